from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.filtersets import find_unit, unit_portfolio_q
from core.records import record_types
from core.tabular import write_csv, write_xlsx


class Command(BaseCommand):
    help = "Export a registry with the same columns import_records reads."

    def add_arguments(self, parser):
        parser.add_argument("resource", help=", ".join(sorted(record_types())))
        parser.add_argument("--unit", help="a unit's key or name: its records and its predecessors'")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, **options):
        record_type = record_types().get(options["resource"])
        if record_type is None:
            raise CommandError(f"unknown resource {options['resource']!r}; one of: {', '.join(sorted(record_types()))}")
        # The server's operator exports every row of the registry (CONTRACT.md); its personal data is audited.
        rows = record_type.model._default_manager.all().order_by("pk")
        if hasattr(rows, "unrestricted"):
            rows = rows.unrestricted("the server's operator exports the registry")
        if options["unit"]:
            unit = find_unit(options["unit"])
            if unit is None:
                raise CommandError(f"unknown unit {options['unit']!r}")
            prefix = record_type.model.scope_prefix() or ""
            rows = rows.filter(unit_portfolio_q(unit, prefix))
        columns = ("id", *record_type.columns)
        headers = [record_type.header(name) if name != "id" else "id" for name in columns]
        values = ([record_type.export_value(row, name) for name in columns] for row in rows.iterator())
        content = write_xlsx(headers, values) if options["format"] == "xlsx" else write_csv(headers, values)
        if hasattr(record_type.model, "policy"):
            record_type.model.policy.audit_personal_views(
                None, rows, surface="export_records", operator="manage.py export_records"
            )
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"wrote {rows.count()} rows to {options['output']}")
