import sys

from django.core.management.base import BaseCommand

from core.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit non-zero at the first broken link."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} entries"))
            return
        self.stderr.write(f"audit chain broken at entry {report.broken_at}: {report.reason}")
        sys.exit(1)
