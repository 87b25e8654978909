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

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from core.collation import sort_key
from core.indicators import catalogue
from core.models import Unit
from core.reference import MERGER_DATE
from reports.choices import ReportStatus
from reports.drafting import MISSING, amount_text, count_text
from reports.models import ReportingPeriod, ReportRevision, stated_decimal
from reports.register import build_register, expected_q, predecessors_of

# The reports the national figures count: sent and not returned (a returned report is being corrected).
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.RECEIVED)
TOP = 5
FACTS = 3


@dataclass
class Reported:
    """One province's report as the aggregation reads it: its unit (None for a report of the period compared with,
    read by value only), the revision, its figures' values as sent ({code: [value, previous, currency]},
    ReportRevision.figure_values), and the revision's id; the values and the previous values as numbers, by code."""

    unit: Unit | None
    revision: int
    values: dict[str, list]
    revision_id: int

    @cached_property
    def numbers(self) -> dict[str, Decimal]:
        return self._numbers(0)

    @cached_property
    def previous(self) -> dict[str, Decimal]:
        return self._numbers(1)

    def _numbers(self, index: int) -> dict[str, Decimal]:
        found = {}
        for code, stated in self.values.items():
            number = stated_decimal(stated[index]) if len(stated) > index else None
            if number is not None:
                found[code] = number
        return found

    def currency(self, code: str) -> str:
        stated = self.values.get(code) or []
        return stated[2] if len(stated) > 2 else ""


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
    # Each province's value and the value it is compared with, by unit id in Vietnamese alphabetical order, and the
    # units by id: what the ranking and the movers are read from, when a page or the document asks for them.
    values: dict[int, Decimal] = field(repr=False)
    previous: dict[int, Decimal] = field(repr=False)
    units: dict[int, Unit] = field(repr=False)

    @cached_property
    def ranking(self) -> list[tuple[Unit, Decimal]]:
        """The provinces with the highest values (TOP), equal values in alphabetical order."""
        order = {pk: rank for rank, pk in enumerate(self.values)}
        top = sorted(self.values, key=lambda pk: (-self.values[pk], order[pk]))[:TOP]
        return [(self.units[pk], self.values[pk]) for pk in top]

    @cached_property
    def movers(self) -> list[int]:
        """The provinces whose value moved most (by unit id, FACTS of them), whose reports the facts quote
        (National.facts)."""
        order = {pk: rank for rank, pk in enumerate(self.values)}
        moved = (pk for pk in self.values if pk in self.previous)
        return sorted(moved, key=lambda pk: (-abs(self.values[pk] - self.previous[pk]), order[pk]))[:FACTS]


def share_text(count: int, of: int) -> str:
    """``41/59 địa phương (69,5%)``: a count among the provinces compared, with its percentage."""
    percent = (Decimal(count) * 100 / of).quantize(Decimal("0.1")) if of else Decimal(0)
    return f"{count}/{of} địa phương ({str(percent).replace('.', ',')}%)"


def _sent(regime, labels: list[str]):
    """The revisions of the reports sent and not returned of ``regime`` in the periods ``labels``."""
    return (
        ReportRevision.objects.filter(
            report__reporting_period__regime=regime,
            report__reporting_period__period__in=labels,
            report__status__in=COUNTED,
            report__deleted_at__isnull=True,
        )
        .exclude(report__owner=regime.recipient_id)
        .order_by("report_id", "revision")
        .unrestricted("the national figures read every province's report as sent")
    )


def revisions_sent(regime, labels: list[str]):
    """The revisions of the reports sent and not returned of ``regime`` in the periods ``labels``, in one query: the
    values of each one's figures only (the sections are read for the few facts quoted, National.facts)."""
    return _sent(regime, labels).values_list(
        "pk", "report__owner_id", "report__reporting_period__period", "revision", "figure_values"
    )


# A unit as the aggregation names it: read with its report's revision, these fields only (the others deferred).
UNIT_FIELDS = ("id", "key", "name", "valid_from")


def _revisions(reporting_period: ReportingPeriod, before: str) -> list[tuple]:
    """The revisions sent of the period, of the units expected in it only (a unit that did not exist then is a
    register's flag, not a figure), each with its unit's fields (UNIT_FIELDS); and those of the period ``before``,
    compared with. One query."""
    return list(
        _sent(reporting_period.regime, [reporting_period.period, before])
        .filter(Q(report__reporting_period__period=before) | expected_q(reporting_period, "report__owner__"))
        .values_list(
            "pk",
            "report__reporting_period__period",
            "revision",
            "figure_values",
            *(f"report__owner__{name}" for name in UNIT_FIELDS),
        )
    )


def _by_unit(revisions, label: str, *, first: bool = False, named: bool = True) -> dict[int, Reported]:
    """The revisions of the period ``label`` by unit: the last of each (the first with ``first``), with its unit
    (``named``) or read by value only."""
    found: dict[int, Reported] = {}
    units: dict[int, list] = {}
    for pk, period, number, values, *unit in revisions:
        owner = unit[0]
        if period != label or (first and owner in found):
            continue
        found[owner] = Reported(None, number, values or {}, pk)
        units[owner] = unit
    if named:
        for owner, item in found.items():
            item.unit = Unit.from_db(Unit.objects.db, UNIT_FIELDS, units[owner])
    return found


class _Before:
    """Each province's value of a figure in the period compared with: its own report's, else the sum of its
    predecessors' reports (all of them must have reported it), else what its own report stated as the previous value.
    The predecessors are read once, and only for the provinces created after that period (``ended``) and without a
    report of their own in it: a province that existed then has no predecessors of that period."""

    def __init__(self, current: dict[int, Reported], previous: dict[int, Reported], ended):
        self.current, self.previous = current, previous
        missing = {
            pk
            for pk, item in current.items()
            if pk not in previous and item.unit.valid_from is not None and item.unit.valid_from > ended
        }
        self.predecessors = predecessors_of(missing) if missing and previous else {}

    def values(self, code: str, pks) -> dict[int, Decimal]:
        found = {}
        for pk in pks:
            own = self.previous[pk].numbers.get(code) if pk in self.previous else None
            if own is not None:
                found[pk] = own
                continue
            parts = [
                self.previous[item].numbers.get(code) if item in self.previous else None
                for item in self.predecessors.get(pk, [])
            ]
            if parts and all(part is not None for part in parts):
                found[pk] = sum(parts, Decimal(0))
                continue
            stated = self.current[pk].previous.get(code)
            if stated is not None:
                found[pk] = stated
        return found


# A number stated as itself, not as part of another: "12" in "cử 12 đoàn", never in "112", "1.120" or "12,5".
def _stated(text: str) -> re.Pattern:
    return re.compile(rf"(?<!\d)(?<!\d[.,]){re.escape(text)}(?!\d)(?![.,]\d)")


# The words after a number, up to the next number or punctuation and at most COUNTED_WINDOW: what it counts.
COUNTED_WORDS = re.compile(r"[^\d.,;:()]*")
COUNTED_WINDOW = 6
# Measures that say nothing of what is counted ("12 số lượng" is never written).
GENERIC_MEASURES = ("số lượng", "giá trị")
# How many of the label's first words name what it counts ("Hội nghị, hội thảo quốc tế": "hội nghị").
LABEL_LEAD = 2


def _words(text: str) -> list[str]:
    return [word.casefold() for word in re.findall(r"\w+", text)]


def _counted(paragraph: str, end: int) -> list[str]:
    """The words of what the number ending at ``end`` counts."""
    return _words(COUNTED_WORDS.match(paragraph, end).group())[:COUNTED_WINDOW]


def _names(counted: list[str], figure: dict) -> bool:
    """Whether the words after a number name what the figure counts: they begin with its measure ("12 đoàn") or
    with the first words of its label ("12 hội nghị, hội thảo quốc tế"); a sum of money names its currency."""
    measure = figure.get("measure") or ""
    leads = [_words(figure["label"])[:LABEL_LEAD]]
    if measure and measure.casefold() not in GENERIC_MEASURES:
        leads.append(_words(measure))
    return bool(figure.get("money")) or any(lead and counted[: len(lead)] == lead for lead in leads)


def _fact(sections: list[dict], code: str, figure: dict) -> str:
    """What the province's own report says of the figure: the paragraph that states it, else ``label: value``.

    A number like "12" stands in many sentences of a report, so the paragraph is looked for where the figure is
    stated: in the sections that list the figure's code (in every section if none lists codes), holding the
    figure's text as a whole number followed by what the figure counts (_names), and never with an unfilled "…"
    (the sign that a figure of the sentence had no value: the footnote would quote a gap). Of several, the one whose
    words after the number share most with the figure's label and measure; two as alike are both passed over,
    since either may be the wrong one."""
    text = figure.get("text") or ""
    if not text or MISSING in text:
        return figure["label"]
    fallback = f"{figure['label']}: {text}"
    listing = [section for section in sections if code in (section.get("figures") or [])]
    if not listing and not any(section.get("figures") for section in sections):
        listing = sections
    stated = _stated(text)
    named = set(_words(f"{figure['label']} {figure.get('measure') or ''}"))
    scores: dict[str, int] = {}
    for section in listing:
        for paragraph in section.get("paragraphs") or []:
            if MISSING in paragraph or paragraph in scores:
                continue
            counted = [_counted(paragraph, found.end()) for found in stated.finditer(paragraph)]
            alike = [len(set(words) & named) for words in counted if _names(words, figure)]
            if alike:
                scores[paragraph] = max(alike)
    best = max(scores.values(), default=None)
    chosen = [paragraph for paragraph, score in scores.items() if score == best]
    return chosen[0] if len(chosen) == 1 else fallback


@dataclass
class National:
    reporting_period: ReportingPeriod
    basis: str
    reported: dict[int, Reported]
    figures: dict[str, NationalFigure]

    @cached_property
    def expected(self) -> int:
        """How many units were expected to report (reports.register.expected_q)."""
        return Unit.objects.filter(expected_q(self.reporting_period)).count()

    @property
    def sources(self) -> list[tuple[Unit, int]]:
        """The (unit, revision) each national figure was computed from."""
        return sorted(
            ((item.unit, item.revision) for item in self.reported.values()), key=lambda p: sort_key(p[0].name)
        )

    @cached_property
    def register(self):
        """The period's register (reports.register): who sent when, for the national report's appendix."""
        return build_register(self.reporting_period)

    @cached_property
    def _quoted(self) -> dict[int, tuple[list[dict], dict]]:
        """The sections and the figures of the reports quoted as facts, by unit (one query for every figure's
        facts)."""
        wanted = {self.reported[pk].revision_id: pk for figure in self.figures.values() for pk in figure.movers}
        rows = (
            ReportRevision.objects.filter(pk__in=list(wanted))
            .values_list("pk", "content__sections", "content__figures")
            .unrestricted("the reports the national figures were computed from")
        )
        return {wanted[pk]: (sections or [], figures or {}) for pk, sections, figures in rows}

    def facts(self, code: str) -> list[tuple[Unit, str]]:
        """The illustrative facts of a figure: what the provinces whose value moved most say of it, each named; a
        figure without its text in the report is stated by the value the aggregation read."""
        figure = self.figures[code]
        found = []
        for pk in figure.movers:
            sections, figures = self._quoted.get(pk, ([], {}))
            stated = dict(figures.get(code) or {"label": figure.label})
            value = self.reported[pk].numbers.get(code)
            if (not stated.get("text") or MISSING in stated["text"]) and value is not None:
                stated["text"] = amount_text(value, {"money": figure.money, "currency": figure.currency})
            found.append((self.reported[pk].unit, _fact(sections, code, stated)))
        return found


def aggregate(reporting_period: ReportingPeriod, *, first: bool = False) -> National:
    """The national figures of the period from the reports sent (see the module's docstring): the revisions of the
    units expected in the period and of the period it is compared with (one query), the predecessors if needed."""
    regime = reporting_period.regime
    label, before = reporting_period.period, reporting_period.parsed.year_before()
    revisions = _revisions(reporting_period, before.label)
    current = _by_unit(revisions, label, first=first)
    before = _Before(current, _by_unit(revisions, before.label, named=False), before.end)
    # The provinces in Vietnamese alphabetical order, by rank: the order of every list below.
    ordered = sorted(current, key=lambda pk: sort_key(current[pk].unit.name))
    order = {pk: rank for rank, pk in enumerate(ordered)}
    units = {pk: item.unit for pk, item in current.items()}
    known = catalogue()
    codes = dict.fromkeys([*regime.indicators, *(code for item in current.values() for code in item.values)])
    figures = {}
    for code in (code for code in codes if code in known):
        values = {pk: current[pk].numbers[code] for pk in order if code in current[pk].numbers}
        if not values:
            continue
        indicator = known[code]
        currency = indicator.currency
        if indicator.money and not currency:
            currency = next((current[pk].currency(code) for pk in values if current[pk].currency(code)), "")
        previous = before.values(code, values)
        comparison = Comparison()
        for pk in values:
            if pk not in previous:
                continue
            unit = current[pk].unit
            if values[pk] > previous[pk]:
                comparison.increased.append(unit)
            elif values[pk] < previous[pk]:
                comparison.decreased.append(unit)
            else:
                comparison.unchanged.append(unit)
        figures[code] = NationalFigure(
            code=code,
            label=str(indicator.label),
            money=indicator.money,
            currency=currency,
            total=sum(values.values(), Decimal(0)),
            previous_total=sum(previous.values(), Decimal(0)) if previous else None,
            reporting=len(values),
            comparison=comparison,
            values=values,
            previous=previous,
            units=units,
        )
    basis = "legacy_63" if reporting_period.data_to < MERGER_DATE else "current_34"
    return National(reporting_period, basis, current, figures)


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
