"""The national figures of a regime's period, aggregated from the provinces' reports as they were sent (issue 20,
items 5 and 6): totals per indicator; how many of the provinces that reported increased, decreased or kept a figure
against the previous period ("41/59 địa phương (69,5%)"), each named; rankings; illustrative facts drawn from the
provinces' own reports, each with its province (the national report puts them in footnotes).

The aggregation reads only frozen revisions (reports.models.ReportRevision) of the reports sent and not returned:
the last revision of each, and it names each (unit, revision) it was computed from. A report amended after a first
revision gives the figures of both, so that the national report says which of its figures the amendment changed.

Across the 2025 merger (Resolution 202/2025/QH15) a province is compared with the sum of the legacy provinces it
replaced, each as it reported the previous period; the aggregation says which basis it uses: the 63 provinces before
1 July 2025, the 34 after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.collation import sort_key
from core.models import Unit
from core.reference import MERGER_DATE
from reports.choices import ReportStatus
from reports.drafting import amount_text, count_text
from reports.models import ReportingPeriod, ReportRevision
from reports.register import build_register, predecessors_of

# The reports the national figures count: sent and not returned (a returned report is being corrected).
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.RECEIVED)
TOP = 5
FACTS = 3


@dataclass
class Reported:
    """One province's report as the aggregation reads it: its unit, revision and figures (code -> figure)."""

    unit: Unit
    revision: int
    sent_at: object
    figures: dict[str, dict]
    paragraphs: list[str]


@dataclass
class Comparison:
    """How the provinces that reported a figure in both periods moved."""

    increased: list[Unit] = field(default_factory=list)
    decreased: list[Unit] = field(default_factory=list)
    unchanged: list[Unit] = field(default_factory=list)

    @property
    def compared(self) -> int:
        return len(self.increased) + len(self.decreased) + len(self.unchanged)


@dataclass
class NationalFigure:
    code: str
    label: str
    money: bool
    currency: str
    total: Decimal | None
    previous_total: Decimal | None
    reporting: int
    comparison: Comparison
    ranking: list[tuple[Unit, Decimal]]
    facts: list[tuple[Unit, str]]


def share_text(count: int, of: int) -> str:
    """``41/59 địa phương (69,5%)``: a count among the provinces compared, with its percentage."""
    percent = (Decimal(count) * 100 / of).quantize(Decimal("0.1")) if of else Decimal(0)
    return f"{count}/{of} địa phương ({str(percent).replace('.', ',')}%)"


def _value(figure: dict | None) -> Decimal | None:
    if not figure or figure.get("value") in (None, ""):
        return None
    return Decimal(figure["value"])


def frozen_reports(reporting_period: ReportingPeriod, *, first: bool = False) -> dict[int, Reported]:
    """The provinces' reports of the period as sent (the last revision; ``first``: the first one), by unit, in one
    query."""
    revisions = (
        ReportRevision.objects.filter(
            report__reporting_period=reporting_period,
            report__status__in=COUNTED,
            report__deleted_at__isnull=True,
        )
        .exclude(report__owner=reporting_period.regime.recipient_id)
        .select_related("report__owner")
        .order_by("report_id", "revision")
        .unrestricted("the national figures read every province's report as sent")
    )
    found: dict[int, Reported] = {}
    for revision in revisions:
        unit = revision.report.owner
        if first and unit.pk in found:
            continue
        paragraphs = [line for section in revision.content.get("sections", []) for line in section["paragraphs"]]
        found[unit.pk] = Reported(unit, revision.revision, revision.sent_at, revision.content["figures"], paragraphs)
    return found


def _previous_values(current: dict[int, Reported], previous: dict[int, Reported], code: str) -> dict[int, Decimal]:
    """Each province's value of ``code`` in the previous period: its own report's, else the sum of its predecessors'
    reports (all of them must have reported it), else what its own report stated as the previous value."""
    predecessors = predecessors_of(set(current))
    values = {}
    for pk, reported in current.items():
        own = _value(previous.get(pk, Reported(reported.unit, 0, None, {}, [])).figures.get(code))
        if own is not None:
            values[pk] = own
            continue
        parts = [_value(previous[item].figures.get(code)) if item in previous else None for item in predecessors[pk]]
        if parts and all(part is not None for part in parts):
            values[pk] = sum(parts, Decimal(0))
            continue
        stated = (reported.figures.get(code) or {}).get("previous")
        if stated not in (None, ""):
            values[pk] = Decimal(stated)
    return values


def _fact(reported: Reported, figure: dict) -> str:
    """What the province's own report says of the figure: the first paragraph stating its value, else the value."""
    text = figure.get("text") or ""
    for paragraph in reported.paragraphs:
        if text and text in paragraph:
            return paragraph
    return f"{figure['label']}: {text}"


@dataclass
class National:
    reporting_period: ReportingPeriod
    basis: str
    expected: int
    reported: dict[int, Reported]
    figures: dict[str, NationalFigure]
    register: object

    @property
    def sources(self) -> list[tuple[Unit, int]]:
        """The (unit, revision) each national figure was computed from."""
        return sorted(
            ((item.unit, item.revision) for item in self.reported.values()), key=lambda p: sort_key(p[0].name)
        )


def aggregate(reporting_period: ReportingPeriod, *, first: bool = False) -> National:
    """The national figures of the period from the reports sent (see the module's docstring)."""
    regime = reporting_period.regime
    register = build_register(reporting_period)
    # Only the units expected in the period count (a unit that did not exist then is a register's flag, not a figure).
    expected = {row.unit.pk for row in register.rows}
    current = {pk: item for pk, item in frozen_reports(reporting_period, first=first).items() if pk in expected}
    previous_period = ReportingPeriod.objects.filter(
        regime=regime, period=reporting_period.parsed.year_before().label
    ).first()
    previous = frozen_reports(previous_period) if previous_period is not None else {}
    codes = list(dict.fromkeys([*regime.indicators, *(code for item in current.values() for code in item.figures)]))
    figures = {}
    for code in codes:
        values = {pk: _value(item.figures.get(code)) for pk, item in current.items()}
        values = {pk: value for pk, value in values.items() if value is not None}
        if not values:
            continue
        sample = next(item.figures[code] for pk, item in current.items() if pk in values)
        before = _previous_values({pk: current[pk] for pk in values}, previous, code)
        comparison = Comparison()
        for pk in sorted(values, key=lambda key: sort_key(current[key].unit.name)):
            if pk not in before:
                continue
            unit = current[pk].unit
            if values[pk] > before[pk]:
                comparison.increased.append(unit)
            elif values[pk] < before[pk]:
                comparison.decreased.append(unit)
            else:
                comparison.unchanged.append(unit)
        ranking = sorted(
            ((current[pk].unit, value) for pk, value in values.items()),
            key=lambda item: (-item[1], sort_key(item[0].name)),
        )
        moved = sorted(
            (pk for pk in values if pk in before), key=lambda pk: (-abs(values[pk] - before[pk]), current[pk].unit.name)
        )
        facts = [(current[pk].unit, _fact(current[pk], current[pk].figures[code])) for pk in moved[:FACTS]]
        figures[code] = NationalFigure(
            code=code,
            label=sample["label"],
            money=sample.get("money", False),
            currency=sample.get("currency", ""),
            total=sum(values.values(), Decimal(0)),
            previous_total=sum(before.values(), Decimal(0)) if before else None,
            reporting=len(values),
            comparison=comparison,
            ranking=ranking[:TOP],
            facts=facts,
        )
    basis = "legacy_63" if reporting_period.data_to < MERGER_DATE else "current_34"
    return National(reporting_period, basis, len(register.rows), current, figures, register)


def changed_by_amendments(reporting_period: ReportingPeriod, national: National | None = None) -> list[dict]:
    """The national figures that the provinces' amendments changed: each figure computed from the first revisions
    and from the last, where they differ, with the provinces whose later revision changed it."""
    national = national or aggregate(reporting_period)
    amended = [item for item in national.reported.values() if item.revision > 1]
    if not amended:
        return []
    first = aggregate(reporting_period, first=True)
    changes = []
    for code, figure in national.figures.items():
        before = first.figures.get(code)
        if before is None or before.total != figure.total:
            changes.append(
                {
                    "code": code,
                    "label": figure.label,
                    "before": total_text(before) if before else "—",
                    "after": total_text(figure),
                    "units": [f"{item.unit.name} (lần {item.revision})" for item in amended],
                }
            )
    return changes


def total_text(figure: NationalFigure) -> str:
    return amount_text(figure.total, {"money": figure.money, "currency": figure.currency})


def ranking_text(figure: NationalFigure) -> str:
    return ", ".join(
        f"{unit.name} ({amount_text(value, {'money': figure.money, 'currency': figure.currency})})"
        for unit, value in figure.ranking
    )


def names(units: list[Unit]) -> str:
    return ", ".join(unit.name for unit in units) or "—"


def reported_text(national: National) -> str:
    return f"{count_text(Decimal(len(national.reported)))}/{national.expected}"
