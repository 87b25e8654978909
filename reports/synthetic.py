"""A synthetic register of reports received for tests and benchmarks (core.synthetic), deterministic by seed
(issue 20: "with synthetic data for every province of a half-year, the register shows who reported and when").

For the regime ``local_foreign_affairs`` (half-yearly, to the Central Foreign Relations Commission), each half-year
and year of the generated years whose deadline is past gets a row for every expected province
(``reports.register.expected_units``: the units of the synthetic database that existed then, so the 63 legacy
provinces of the reference data, or the legacy units ``core.synthetic.ensure_units`` made, before 1 July 2025, and
the current ones after): most sent by the deadline, some late by a few days to weeks, a few missing. One row in
about fifty is flagged: either received before it was sent, or a unit listed twice (a report sent again). At the
province scale only the rows of the province and of its predecessors are written, the same rows as at the
national scale.

Each period draws from its own generator (``register:<seed>:<period>``), so that its rows depend neither on what
other generators drew nor on which other periods are generated; a unit that already has a row in a period is left
as it is, so that running the command again adds nothing.

The regime comes from the reference data. When it is missing and the central bodies its regimes are sent to exist
(``cfrc``, ``mofa``), the regimes are loaded (``reports.regimes.load_regimes``, as ``load_reference_data`` does);
when those do not exist either, nothing is written and the log says so.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re

from django.utils import timezone

from core.models import Unit, UnitSuccession
from core.periods import Period
from core.synthetic import generator
from reports.choices import SubmissionFlag, SubmissionSource
from reports.models import ReportingPeriod, ReportingRegime, Submission
from reports.regimes import DATA, load_regimes, reporting_period
from reports.register import existed_in, expected_among, units_of_level
from reports.services import refresh_flags

REGIME = "local_foreign_affairs"
LAST_YEAR = 2025
# Of the expected units of a period: how many have no row, how many sent late; one unit in FLAGGED_EVERY has
# its row received before it was sent, or is listed twice (two rows flagged): about 2% of the rows flagged.
MISSING = 0.05
LATE = 0.15
FLAGGED_EVERY = 75
FLAGS = [SubmissionFlag.RECEIVED_BEFORE_SENT, SubmissionFlag.DUPLICATE]
RESENT_NOTES = ["Gửi lại bản có chữ ký", "Gửi bổ sung phụ lục số liệu", "Gửi lại theo yêu cầu"]
LATE_NOTES = ["Chậm do chờ số liệu của các sở", "Gửi qua đường bưu điện", ""]


def _regime(log) -> ReportingRegime | None:
    regime = ReportingRegime.objects.filter(key=REGIME).first()
    if regime is not None:
        return regime
    recipients = {row["recipient"] for row in json.loads(DATA.read_text(encoding="utf-8"))}
    present = set(Unit.objects.filter(key__in=recipients, level="central").values_list("key", flat=True))
    if present != recipients:
        log(
            f"register: no regime {REGIME} and no central bodies {', '.join(sorted(recipients - present))} to load "
            "the regimes for (run load_reference_data first): no register written"
        )
        return None
    load_regimes()
    return ReportingRegime.objects.get(key=REGIME)


def _covered(provinces: list[Unit]) -> set[int]:
    """The province units of ``provinces`` and, back through the successions, their predecessors."""
    covered = {unit.pk for unit in provinces}
    links = list(UnitSuccession.objects.values_list("successor_id", "predecessor_id"))
    grew = True
    while grew:
        found = {predecessor for successor, predecessor in links if successor in covered}
        grew = not found <= covered
        covered |= found
    return covered


def _rows(rng: random.Random, period: ReportingPeriod, units: list[Unit]) -> list[Submission]:
    """The rows of ``units`` in ``period``, every draw made for every unit (in the register's order) whether its row
    is written or not; a flagged unit is never missing."""
    rows = []
    share = len(units) / FLAGGED_EVERY
    cases = int(share) + (rng.random() < share - int(share))
    # The kinds in turn, a half-year starting with the one and a year with the other, so that both show.
    start = 0 if period.period.endswith("-H1") else 1
    picked = rng.sample(range(len(units)), cases)
    flagged = {index: FLAGS[(start + number) % 2] for number, index in enumerate(picked)}
    for index, unit in enumerate(units):
        draw = rng.random()
        early = rng.randint(0, 12)
        late_by = rng.choice([1, 2, 3, 5, 7, 10, 14, 21, 30, 45])
        transit = rng.choice([0, 0, 1, 1, 2, 3, 5])
        note = rng.choice(LATE_NOTES)
        resent_after = rng.randint(2, 20)
        kind = flagged.get(index)
        if draw < MISSING and kind is None:
            continue
        late = draw < MISSING + LATE
        sent = period.on_time_until + dt.timedelta(days=late_by) if late else period.deadline - dt.timedelta(days=early)
        received = sent + dt.timedelta(days=transit)
        if kind == SubmissionFlag.RECEIVED_BEFORE_SENT:
            received = sent - dt.timedelta(days=1 + transit)
        rows.append(_row(unit, period, sent, received, note if late else ""))
        if kind == SubmissionFlag.DUPLICATE:
            again = sent + dt.timedelta(days=resent_after)
            rows.append(_row(unit, period, again, again + dt.timedelta(days=transit), rng.choice(RESENT_NOTES)))
    return rows


def _row(unit: Unit, period: ReportingPeriod, sent: dt.date, received: dt.date, note: str) -> Submission:
    row = Submission(
        owner=unit,
        reporting_period=period,
        sent_on=sent,
        received_on=received,
        note=note,
        source=SubmissionSource.REGISTER,
        flags=[],
    )
    row.search_text = row.build_search_text()  # bulk_create calls no save()
    return row


@generator
def register(rng: random.Random, provinces: list[Unit], years: int, seed: int = 0, log=print, **_) -> int:
    """The register of ``local_foreign_affairs`` for each half-year and year of the generated years whose deadline
    is past; at the national scale every expected unit, else those of ``provinces`` and their predecessors."""
    regime = _regime(log)
    if regime is None:
        return 0
    national = len(provinces) > 1
    covered = None if national else _covered(provinces)
    units = units_of_level({regime.reporting_level})
    today = timezone.localdate()
    made = 0
    for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1):
        for label in regime.periods_of(year):
            if regime.dates_for(Period.parse(label))["deadline"] >= today:
                continue
            period = reporting_period(regime, label)
            period.regime = regime
            expected = expected_among(units, period)
            rows = _rows(random.Random(f"register:{seed}:{label}"), period, expected)
            present = set(
                Submission.all_objects.filter(reporting_period=period)
                .unrestricted("a unit with a row in the period is left as it is")
                .values_list("owner_id", flat=True)
            )
            rows = [row for row in rows if row.owner_id not in present and (covered is None or row.owner_id in covered)]
            if not rows:
                continue
            Submission.objects.bulk_create(rows, batch_size=1000)
            refresh_flags(period)
            made += len(rows)
            write_reports(seed, regime, period, rows)
    return made


# The provinces' reports as sent (issue 20, "Done when": "with synthetic data for every province of a half-year ...
# the national aggregation's N/M counts"): each unit with a row sent in the synthetic register also has its report,
# frozen as revision 1, with the regime's figures drawn per unit, indicator and period (so that a period's previous
# values are those drawn for the period before, and a merged province's are the sum of its predecessors').


# People are counted by the visit: several to a delegation.
PEOPLE_PER_GROUP = {"outgoing_person_trips": 5, "incoming_visitors": 7, "foreign_reporters": 4}


def figure_value(seed: int, unit: Unit, code: str, label: str) -> int:
    """A unit's synthetic value of ``code`` in the period ``label``: around a level of its own, moving a little."""
    level = random.Random(f"level:{seed}:{unit.key}:{code}").randint(3, 60)
    value = max(0, level + random.Random(f"value:{seed}:{unit.key}:{code}:{label}").randint(-6, 6))
    return value * PEOPLE_PER_GROUP.get(code, 1)


def _previous_value(seed: int, unit: Unit, code: str, period: ReportingPeriod, predecessors: list[Unit]) -> int:
    previous = period.parsed.year_before()
    dates = ReportingPeriod(regime=period.regime, period=previous.label, **period.regime.dates_for(previous))
    if existed_in(unit, dates) or not predecessors:
        return figure_value(seed, unit, code, previous.label)
    return sum(figure_value(seed, item, code, previous.label) for item in predecessors)


def _without_lists(line: str) -> str:
    """An outline's line without its lists of records ("Ký kết {{x}} thỏa thuận quốc tế: {{records.x}}."): an
    illustrative report has no records to list, and its text says so by leaving them out, not by a "…"."""
    return re.sub(r":?\s*\{\{records\.[a-z_]+\}\}", "", line)


def synthetic_content(seed: int, report, predecessors) -> dict:
    """What a province's report says, in the shape a sent revision keeps (reports.drafting.build), its header too."""
    from core.indicators import catalogue
    from reports.drafting import change_text, draft_header, fill, outline, period_words, value_text

    period, unit = report.reporting_period, report.owner
    regime = period.regime

    known = catalogue()
    figures = {}
    for code in regime.indicators:
        value = figure_value(seed, unit, code, period.period)
        before = _previous_value(seed, unit, code, period, predecessors)
        figure = {
            "code": code,
            "label": str(known[code].label),
            "measure": str(known[code].measure),
            "value": str(value),
            "value_max": None,
            "qualifier": "exact",
            "source": "declared",
            "money": known[code].money,
            "currency": known[code].currency,
            "previous_period": period.parsed.year_before().label,
            "previous": str(before),
            "change": str(value - before),
            "records_url": "",
            "breakdown": {},
            "declared": [],
            "candidates": [],
            "flagged": False,
            "chosen_reason": "",
            "next": None,
        }
        figure["text"] = value_text(figure)
        figure["change_text"] = change_text(figure)
        figures[code] = figure
    words = period_words(period.period, regime)
    plan = outline(regime)
    sections = [
        {
            "key": section.key,
            "title": section.title,
            "part": section.part,
            "heading": section.heading,
            "required": section.required,
            "paragraphs": [
                fill(_without_lists(line), figures, words, {}) for line in section.text.splitlines() if line.strip()
            ],
            "figures": [code for code in section.indicators if code in figures],
            "lists": [],
        }
        for section in plan.sections
    ]
    header = draft_header(report, plan)
    return {"header": header, "sections": sections, "figures": figures, "problems": {}, "changed_figures": []}


def write_reports(seed: int, regime: ReportingRegime, period: ReportingPeriod, rows: list[Submission]) -> int:
    """The reports, frozen, of the units whose rows ``rows`` say were sent (a unit listed twice reports once)."""
    from reports.choices import ReportStatus
    from reports.models import Report, ReportRevision, figure_values
    from reports.national import predecessors_of

    sent = {}
    for row in rows:
        if row.sent_on is not None:
            sent.setdefault(row.owner_id, row)
    present = set(
        Report.all_objects.filter(reporting_period=period, owner_id__in=list(sent))
        .unrestricted("a unit with a report in the period is left as it is")
        .values_list("owner_id", flat=True)
    )
    chosen = [row for pk, row in sent.items() if pk not in present]
    if not chosen:
        return 0
    lineage = predecessors_of({row.owner_id for row in chosen})
    units = Unit.objects.in_bulk({pk for pks in lineage.values() for pk in pks})
    now = timezone.now()
    reports = []
    for row in chosen:
        report = Report(
            owner=row.owner,
            reporting_period=period,
            status=ReportStatus.RECEIVED if row.received_on else ReportStatus.SUBMITTED,
            # Said on the report's page and in its file: its figures are drawn, not reported by anyone.
            number="…/BC-UBND (minh họa)",
            # Dated and placed as sent: the document's header reads "<province>, ngày ... tháng ... năm ...".
            place=row.owner.name,
            issued_on=row.sent_on,
            recipients=f"- {regime.recipient.name};",
            created_at=now,
            updated_at=now,
        )
        report.search_text = report.build_search_text()
        reports.append(report)
    Report.objects.bulk_create(reports, batch_size=500)
    saved = {
        report.owner_id: report
        for report in Report.all_objects.filter(reporting_period=period, owner_id__in=[row.owner_id for row in chosen])
        .unrestricted("the reports just written")
        .select_related("owner", "reporting_period__regime__recipient")
    }
    revisions = []
    for row in chosen:
        content = synthetic_content(seed, saved[row.owner_id], [units[pk] for pk in lineage.get(row.owner_id, [])])
        revisions.append(
            ReportRevision(
                report=saved[row.owner_id],
                revision=1,
                content=content,
                figure_values=figure_values(content["figures"]),
                sent_at=timezone.make_aware(dt.datetime.combine(row.sent_on, dt.time(9))),
            )
        )
    ReportRevision.objects.bulk_create(revisions, batch_size=500)
    return len(revisions)
