from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by 'backup' after checking every file against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, **options):
        try:
            backup_restore(Path(options["directory"]))
        except ValueError as exc:
            raise CommandError(f"backup refused: {exc}") from exc
        self.stdout.write("restored")
