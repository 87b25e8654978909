"""The demo register of reports received (issue 20, item 4): ``demo_data/register-local-foreign-affairs-2017-H1.csv``.

The file is ILLUSTRATIVE AND SYNTHETIC, not a real register: no body's actual register of 2017 is reproduced, and
its dates and notes are made up to show what the register page does. It is written as a receiving body's clerk
keeps a register in Excel, for the regime ``local_foreign_affairs`` and the period 2017-H1 (deadline 20/06/2017):
59 of the 63 provinces of 2017 report, under the names registers use ("Tỉnh ủy Quảng Nam", "Thành ủy Hà Nội",
"UBND tỉnh Bà Rịa - Vũng Tàu", "Sở Ngoại vụ An Giang", some without diacritics); six report late; and a few rows
are suspicious, which the import keeps and flags: one received before it was sent (Bình Phước), one province listed
twice (Nghệ An, its Party committee and its People's Committee), one row out of date order (Phú Yên) and one row
naming a unit that did not exist in 2017 ("Thành phố Huế", a city only from 2025: the report of Thừa Thiên Huế
written under today's name, so that Thừa Thiên Huế shows as not reported beside Hà Giang, Lai Châu and Kon Tum).

It is imported through the register's own importer (reports.importing.SubmissionImporter) as the system account,
when the period has no rows yet: a second ``load_demo`` creates nothing.
"""

from __future__ import annotations

from pathlib import Path

from accounts.services import system_user
from core.tabular import read_table
from reports.models import ReportingPeriod, ReportingRegime, Submission

REGISTER = Path(__file__).resolve().parent / "demo_data" / "register-local-foreign-affairs-2017-H1.csv"
REGIME, PERIOD = "local_foreign_affairs", "2017-H1"


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
    return created
