from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.documents import DocumentConversionError
from core.filtersets import find_unit
from core.periods import Period
from core.report_kinds import FORMATS, render_report, report_kinds


class Command(BaseCommand):
    help = (
        "Render a report from the data (CONTRACT.md): KIND for a unit and period, as docx, xlsx or pdf. "
        "Report kinds are registered by each app's report.py (core.report_kinds.report_kind)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="the report kind, e.g. agreements_annual")
        parser.add_argument("--unit", required=True, help="a unit's key or its name without diacritics (quang nam)")
        parser.add_argument("--period", required=True, help="2013, 2017-H1, 2017-H2 or 2016/2020")
        parser.add_argument("--format", choices=FORMATS, default="docx")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, **options):
        kinds = report_kinds()
        kind = options["kind"]
        if kind not in kinds:
            raise CommandError(f"unknown report kind {kind!r}; known kinds: {', '.join(kinds) or '—'}")
        if options["format"] not in kinds[kind].formats:
            raise CommandError(f"{kind} is made as {', '.join(kinds[kind].formats)}, not {options['format']}")
        unit = find_unit(options["unit"])
        if unit is None:
            raise CommandError(f"unknown unit {options['unit']!r}: give a unit's key or its name (quang nam)")
        try:
            period = Period.parse(options["period"])
            rendered = render_report(kind, unit=unit, period=period, fmt=options["format"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except DocumentConversionError as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        output.write_bytes(rendered.content)
        self.stdout.write(f"wrote {output} ({len(rendered.content):,} bytes): {kind} for {unit.key}, {period.label}")
