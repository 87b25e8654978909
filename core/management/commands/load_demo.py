import secrets

from django.core.management.base import BaseCommand

from core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data built from the facts in core/demo_facts, and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--facts", default=None, help="Folder of the facts JSON files (default: core/demo_facts)")

    def handle(self, *args, **options):
        created = load_demo(
            facts_dir=options["facts"],
            password_factory=lambda: secrets.token_urlsafe(12),
            log=lambda line: self.stdout.write(line),
        )
        if created:
            self.stdout.write(self.style.WARNING("Demo accounts (passwords are shown once only):"))
            for username, password, role, unit in created:
                self.stdout.write(f"  {username:<18} {password:<20} {role} — {unit}")
