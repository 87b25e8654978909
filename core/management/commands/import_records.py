from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import system_user
from core.records import record_types
from core.tabular import read_table


class Command(BaseCommand):
    help = "Import a registry from Excel or CSV, all rows or none; errors print as 'row N, column C: message'."

    def add_arguments(self, parser):
        parser.add_argument("resource", help=", ".join(sorted(record_types())))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--user", help="act as this user (scope and history); default: the system account")

    def handle(self, *args, **options):
        record_type = record_types().get(options["resource"])
        if record_type is None or not record_type.importable:
            raise CommandError(f"unknown resource {options['resource']!r}; one of: {', '.join(sorted(record_types()))}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        user = User.objects.get(username=options["user"]) if options["user"] else system_user()
        kind = "csv" if path.suffix.lower() == ".csv" else "xlsx"
        try:
            headers, rows = read_table(path.read_bytes(), kind)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        importer = record_type.importer(record_type, user)
        plan = importer.plan(headers, rows)
        for error in plan.errors:
            self.stderr.write(error.contract_line())
        if not plan.ok:
            raise CommandError(f"{len(plan.errors)} errors; nothing was written")
        if options["dry_run"]:
            self.stdout.write(f"would create {len(plan.creates)}, update {len(plan.updates)}")
            return
        created, updated = importer.commit(plan)
        self.stdout.write(f"created {created}, updated {updated}")
