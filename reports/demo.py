"""The demo register of reports received (issue 20, item 4): ``demo_data/register-local-foreign-affairs-2017-H1.csv``.

The file is ILLUSTRATIVE AND SYNTHETIC, not a real register (and so are the figures of the reports the provinces of the
register sent, drawn as the synthetic data draws them): no body's actual register of 2017 is reproduced, and
its dates and notes are made up to show what the register page does. It is written as a receiving body's clerk
keeps a register in Excel, for the regime ``local_foreign_affairs`` and the period 2017-H1 (deadline 20/06/2017):
59 of the 63 provinces of 2017 report, under the names registers use ("Tỉnh ủy Quảng Nam", "Thành ủy Hà Nội",
"UBND tỉnh Bà Rịa - Vũng Tàu", "Sở Ngoại vụ An Giang", some without diacritics); six report late; and a few rows
are suspicious, which the import keeps and flags: one received before it was sent (Bình Phước), one province listed
twice (Nghệ An, its Party committee and its People's Committee), one row out of date order (Phú Yên) and one row
naming a unit that did not exist in 2017 ("Thành phố Huế", a city only from 2025: the report of Thừa Thiên Huế
written under today's name, so that Thừa Thiên Huế shows as not reported beside Hà Giang, Lai Châu and Kon Tum).

The demo also holds what Quảng Nam's people typed into its annual summary of 2013 (``foreign_affairs_annual``,
``demo_data/typed-foreign-affairs-quang-nam-2013.json``): the text of each section, copied from the province's own
report and reviewed, its figures written as placeholders that the registries and the declared figures fill in, and
the author's choice where the registry and the document disagree (load_reports).

The register is imported through the register's own importer (reports.importing.SubmissionImporter) as the system
account, when the period has no rows yet: a second ``load_demo`` creates nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from accounts.services import system_user
from core.tabular import read_table
from reports.models import ReportingPeriod, ReportingRegime, Submission
from reports.register import expected_units
from reports.synthetic import write_reports

REGISTER = Path(__file__).resolve().parent / "demo_data" / "register-local-foreign-affairs-2017-H1.csv"
REGIME, PERIOD = "local_foreign_affairs", "2017-H1"
# The seed of the illustrative figures of the provinces' reports of the demo period (reports.synthetic).
DEMO_SEED = 2017
TYPED_REPORTS = Path(__file__).resolve().parent / "demo_data" / "typed-foreign-affairs-quang-nam-2013.json"


def load_register(log=print) -> int:
    """Import the demo register when its period has no rows yet; the number of rows created."""
    from reports.importing import SubmissionImporter
    from reports.registries import SUBMISSIONS

    if not ReportingRegime.objects.filter(key=REGIME).exists():
        log(f"register of reports received: regime {REGIME} not loaded (load_reference_data): skipped")
        return 0
    period = ReportingPeriod.objects.filter(regime__key=REGIME, period=PERIOD).first()
    rows = Submission.all_objects.filter(reporting_period=period).unrestricted("whether the demo register is loaded")
    if period is not None and rows.exists():
        log("register of reports received: 0 created")
        return 0
    importer = SubmissionImporter(SUBMISSIONS, system_user())
    plan = importer.plan(*read_table(REGISTER.read_bytes(), "csv"))
    if not plan.ok:
        # The shipped file is checked by the tests: an error here is a unit or regime missing from the database.
        for error in plan.errors:
            log(f"register of reports received: {error.contract_line()}")
        return 0
    created, _updated = importer.commit(plan)
    log(f"register of reports received: {created} created")
    # Each province that sent its report has it in the product, frozen as sent, with illustrative figures drawn as
    # the synthetic data draws them (reports.synthetic): the national report of the period is made from them.
    period = ReportingPeriod.objects.get(regime__key=REGIME, period=PERIOD)
    expected = {unit.pk for unit in expected_units(period)}
    rows = Submission.objects.filter(reporting_period=period, owner_id__in=expected).unrestricted("the demo register")
    written = write_reports(DEMO_SEED, period.regime, period, list(rows.select_related("owner")))
    log(f"illustrative reports sent: {written} created")
    return created


def load_reports(log=print) -> int:
    """Create the typed reports of the demo that do not exist yet (found by unit, regime and period), in drafting:
    a user walks them through review, approval and sending. The number created."""
    from django.utils import timezone

    from core.models import Unit
    from reports.models import Report
    from reports.regimes import regime_named, reporting_period

    created = 0
    user = system_user()
    for row in json.loads(TYPED_REPORTS.read_text(encoding="utf-8"))["reports"]:
        regime = ReportingRegime.objects.filter(key=row["regime"]).first()
        unit = Unit.objects.filter(key=row["unit"]).first()
        if regime is None or unit is None:
            log(f"typed reports: regime {row['regime']} or unit {row['unit']} not loaded: skipped")
            continue
        period = reporting_period(regime_named(row["regime"]), row["period"])
        rows = Report.all_objects.unrestricted("whether the demo report is loaded")
        if rows.filter(owner=unit, reporting_period=period).exists():
            continue
        report = Report(
            owner=unit,
            reporting_period=period,
            responds_to=row.get("responds_to", ""),
            place=row.get("place", ""),
            recipients="\n".join(row.get("recipients", [])),
            sections={key: "\n".join(lines) for key, lines in row["sections"].items()},
            figure_choices=row.get("figure_choices", {}),
            created_by=user,
            updated_by=user,
            created_at=timezone.now(),
        )
        report.full_clean()
        report._change_reason = "demo"
        report.save()
        created += 1
    log(f"typed reports: {created} created")
    return created
