from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'backup' after checking every file against its manifest; the database is "
        "replaced in one transaction, checked table by table against the manifest before it commits."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, **options):
        try:
            report = backup_restore(Path(options["directory"]))
        except ValueError as exc:
            raise CommandError(f"backup refused: {exc}") from exc
        self.stdout.write("restored")
        self.stdout.write(
            _("%(rows)d rows in %(tables)d tables, %(files)d media files")
            % {"rows": sum(report.rows.values()), "tables": len(report.rows), "files": report.files}
        )
        if report.audit_head is not None:
            self.stdout.write(
                _("the audit log ends at entry %(id)d:%(hash)s (verify_audit --expect-head %(id)d:%(hash)s)")
                % report.audit_head
            )
