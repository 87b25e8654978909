"""The central register of a regime and period (issue 20, item 4): who was expected to report, who did and when, who
is late, who has not reported, and the rates; each province's timeliness over past periods.

The units expected are those that existed and reported then, never today's list applied to the past: the 63 legacy
provinces for a period whose data end before 1 July 2025, the 34 provinces after it (Resolution 202/2025/QH15). A
row of a unit that was not expected is shown and flagged, and counts in no rate, so a rate never exceeds 100%.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from core.choices import PROVINCE_KINDS, UnitLevel
from core.collation import sort_key
from core.models import Unit, UnitSuccession
from core.reference import MERGER_DATE
from reports.choices import SubmissionFlag, SubmissionStatus
from reports.models import ReportingPeriod, Submission


def units_of_level(levels: set[str]) -> list[Unit]:
    """Every unit of ``levels`` (the provinces and centrally-run cities, for the province level), of every time, in
    Vietnamese alphabetical order: read once, then sorted into each period's expected units (:func:`expected_among`).
    """
    units = Unit.objects.filter(level__in=levels)
    if UnitLevel.PROVINCE in levels:
        units = units.filter(Q(kind__in=PROVINCE_KINDS) | ~Q(level=UnitLevel.PROVINCE))
    return sorted(units, key=lambda unit: sort_key(unit.name))


def expected_among(units: list[Unit], reporting_period: ReportingPeriod) -> list[Unit]:
    """The units among ``units`` that the period expects: of its regime's level, existing on its data cut-off."""
    level = reporting_period.regime.reporting_level
    return [unit for unit in units if unit.level == level and existed_in(unit, reporting_period)]


def expected_q(reporting_period: ReportingPeriod, prefix: str = "") -> Q:
    """The units obliged to report in the period, as a filter on the units (``prefix``: the path to a unit from the
    model filtered, ``report__owner__``): those of the regime's level that existed on the data cut-off."""
    level, on = reporting_period.regime.reporting_level, reporting_period.data_to
    found = (
        Q(**{f"{prefix}level": level})
        & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on}))
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on}))
    )
    if level == UnitLevel.PROVINCE:
        found &= Q(**{f"{prefix}kind__in": PROVINCE_KINDS})
    return found


def expected_units(reporting_period: ReportingPeriod) -> list[Unit]:
    """The units obliged to report in the period (:func:`expected_q`), in Vietnamese alphabetical order (the units of
    other times left out in the query)."""
    return sorted(Unit.objects.filter(expected_q(reporting_period)), key=lambda unit: sort_key(unit.name))


def existed_in(unit: Unit, reporting_period: ReportingPeriod) -> bool:
    on = reporting_period.data_to
    return (unit.valid_from is None or unit.valid_from <= on) and (unit.valid_to is None or unit.valid_to >= on)


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, one decimal (None when nothing was expected)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class RegisterRow:
    """One expected unit in the register, with its first live row (and any further rows of it, flagged)."""

    unit: Unit
    submission: Submission | None
    status: str
    expected: bool = True
    # The day the receiving body last reminded the unit of the period (the register page sets it).
    reminded_on: date | None = None
    # The unit's report where it was written in the product (the register page sets it).
    report_url: str = ""

    @property
    def status_label(self) -> str:
        return str(SubmissionStatus(self.status).label)


@dataclass
class Register:
    reporting_period: ReportingPeriod
    rows: list[RegisterRow]
    # Rows of units that were not expected (a unit that did not exist then), and every flagged row.
    unexpected: list[Submission] = field(default_factory=list)
    flagged: list[Submission] = field(default_factory=list)

    @property
    def expected(self) -> list[Unit]:
        return [row.unit for row in self.rows]

    @property
    def submitted(self) -> list[RegisterRow]:
        return [row for row in self.rows if row.submission is not None and row.submission.sent_on is not None]

    @property
    def on_time(self) -> list[RegisterRow]:
        return [row for row in self.submitted if row.submission.on_time]

    @property
    def late(self) -> list[RegisterRow]:
        return [row for row in self.submitted if not row.submission.on_time]

    @property
    def missing(self) -> list[RegisterRow]:
        return [row for row in self.rows if row.submission is None or row.submission.sent_on is None]

    @property
    def reporting_rate(self) -> Decimal | None:
        return rate(len(self.submitted), len(self.rows))

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(len(self.on_time), len(self.rows))


def _live_rows(periods: list[ReportingPeriod], user, units: list[Unit]) -> list[Submission]:
    """The live rows of ``periods`` that ``user`` may see, each with its unit: taken from ``units`` (those the
    register lists, already read) rather than joined, which built each unit again for each of its rows
    (docs/performance.md, the register); owners of another level, if any, are read in one more query."""
    queryset = Submission.objects.filter(reporting_period__in=periods)
    if user is None:
        rows = list(queryset.unrestricted("the register of a period, computed for every unit it lists"))
    else:
        rows = list(queryset.restrict(user))
    known = {unit.pk: unit for unit in units}
    others = {row.owner_id for row in rows} - known.keys()
    if others:
        known.update(Unit.objects.in_bulk(others))
    for row in rows:
        row.owner = known[row.owner_id]
    return rows


def build_registers(periods: list[ReportingPeriod], user=None) -> dict[int, Register]:
    """The registers of ``periods`` (saved ones) as ``user`` may see them (every row for ``None``: a command), in two
    queries whatever their number (three when a row is of a unit of another level). A unit with several rows counts
    once, by its earliest row sent; its other rows are among the flagged ones. A user who does not read every
    province gets the register of the units within reach (a province's own, and its predecessors'), its figures
    computed over them: whether another province has reported is not disclosed, not even as "missing"."""
    units = units_of_level({period.regime.reporting_level for period in periods})
    rows = _live_rows(periods, user, units)
    if user is not None:
        reach = Submission.policy.reach(user, "view")
        if not reach.everything:
            units = [unit for unit in units if reach.covers(unit)]
    rows_by_period: dict[int, dict[int, list[Submission]]] = {period.pk: defaultdict(list) for period in periods}
    for submission in rows:
        rows_by_period[submission.reporting_period_id][submission.owner_id].append(submission)
    drafting = _drafting(periods)
    return {
        period.pk: _register(period, expected_among(units, period), rows_by_period[period.pk], drafting[period.pk])
        for period in periods
    }


def _drafting(periods: list[ReportingPeriod]) -> dict[int, set[int]]:
    """The units with a report being drafted in the product for each of ``periods`` (one query): shown as drafting
    until it is sent, when the register gets its row."""
    from reports.models import Report
    from reports.workflow import EDITABLE

    found: dict[int, set[int]] = {period.pk: set() for period in periods}
    rows = (
        Report.objects.filter(reporting_period__in=periods, status__in=EDITABLE)
        .unrestricted("whether a unit the register lists is drafting its report")
        .values_list("reporting_period_id", "owner_id")
    )
    for period_id, owner_id in rows:
        found[period_id].add(owner_id)
    return found


def build_register(reporting_period: ReportingPeriod, user=None) -> Register:
    """The register of one period (see :func:`build_registers`)."""
    return build_registers([reporting_period], user)[reporting_period.pk]


def _register(
    reporting_period: ReportingPeriod,
    expected: list[Unit],
    by_unit: dict[int, list[Submission]],
    drafting: set[int] = frozenset(),
) -> Register:
    rows, flagged = [], []
    by_unit = dict(by_unit)
    for unit in expected:
        found = by_unit.pop(unit.pk, [])
        for submission in found:
            submission.reporting_period = reporting_period
        sent = sorted((row for row in found if row.sent_on), key=lambda row: (row.sent_on, row.pk))
        first = sent[0] if sent else (found[0] if found else None)
        status = first.status if first is not None else SubmissionStatus.NOT_STARTED
        if status == SubmissionStatus.NOT_STARTED and unit.pk in drafting:
            status = SubmissionStatus.DRAFTING
        rows.append(RegisterRow(unit=unit, submission=first, status=status))
        flagged.extend(row for row in found if row.flags)
    unexpected = sorted((row for found in by_unit.values() for row in found), key=lambda row: sort_key(row.owner.name))
    for submission in unexpected:
        submission.reporting_period = reporting_period
    flagged.extend(row for row in unexpected if row.flags)
    return Register(reporting_period=reporting_period, rows=rows, unexpected=unexpected, flagged=flagged)


def summary(register: Register) -> dict:
    """The figures of a register as the API answers them (CONTRACT.md, ``/api/v1/reporting-periods/``)."""

    def units(items) -> list[dict]:
        return [{"key": unit.key, "name": unit.name} for unit in items]

    period = register.reporting_period
    return {
        "regime": period.regime.key,
        "period": period.period,
        "data_from": period.data_from,
        "data_to": period.data_to,
        "deadline": period.deadline,
        "on_time_until": period.on_time_until,
        "locks_on": period.locks_on,
        "basis": "legacy_63" if period.data_to < MERGER_DATE else "current_34",
        "expected_count": len(register.rows),
        "submitted_count": len(register.submitted),
        "on_time_count": len(register.on_time),
        "late_count": len(register.late),
        "missing_count": len(register.missing),
        "expected": units(register.expected),
        "submitted": units(row.unit for row in register.submitted),
        "on_time": units(row.unit for row in register.on_time),
        "late": units(row.unit for row in register.late),
        "missing": units(row.unit for row in register.missing),
        "reporting_rate": register.reporting_rate,
        "on_time_rate": register.on_time_rate,
        "flagged_count": len(register.flagged),
    }


def timeliness(regime, user=None, *, periods: int = 6) -> dict:
    """Each unit's record over the regime's last ``periods`` periods with rows: how many it sent, how many late,
    its average delay in days (as the IATI Dashboard shows publishers' timeliness). Each entry's ``cells`` are its
    days late in each of ``periods`` in turn (None where it sent nothing). Three queries whatever the number of
    rows: the rows are read as values (a model instance for each of a few hundred rows was most of the time of the
    register page, docs/performance.md), and their units once each."""
    recent = list(
        ReportingPeriod.objects.filter(regime=regime, submissions__isnull=False)
        .distinct()
        .order_by("-data_to")[:periods]
    )
    by_pk = {period.pk: period for period in recent}
    queryset = Submission.objects.filter(reporting_period__in=recent)
    queryset = queryset.unrestricted("timeliness across every unit") if user is None else queryset.restrict(user)
    # In the register's order (Submission.Meta): a unit listed twice in a period counts by its earliest row sent.
    per_unit: dict[int, dict] = {}
    for owner_id, period_id, sent_on, flags in queryset.values_list(
        "owner_id", "reporting_period_id", "sent_on", "flags"
    ):
        if sent_on is None or SubmissionFlag.UNIT_NOT_IN_PERIOD in (flags or []):
            # Not sent, or sent by a unit that was not expected then: nothing to say of its timeliness.
            continue
        period = by_pk[period_id]
        entry = per_unit.setdefault(owner_id, {"unit": None, "sent": 0, "late": 0, "delays": [], "periods": {}})
        if period.period in entry["periods"]:
            continue
        # As Submission.days_late and Submission.on_time.
        days_late = max(0, (sent_on - period.deadline).days)
        entry["periods"][period.period] = days_late
        entry["sent"] += 1
        if sent_on > period.on_time_until:
            entry["late"] += 1
        entry["delays"].append(days_late)
    units = Unit.objects.in_bulk(list(per_unit))
    labels = [period.period for period in reversed(recent)]
    rows = []
    for owner_id, entry in per_unit.items():
        delays = entry.pop("delays")
        entry["unit"] = units[owner_id]
        entry["average_delay"] = (
            (Decimal(sum(delays)) / len(delays)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if delays else None
        )
        entry["repeat_late"] = entry["late"] >= 2
        entry["cells"] = [entry["periods"].get(label) for label in labels]
        rows.append(entry)
    rows.sort(key=lambda entry: (-entry["late"], -(entry["average_delay"] or 0), sort_key(entry["unit"].name)))
    return {"periods": labels, "rows": rows}


def predecessors_of(unit_ids: set[int]) -> dict[int, list[int]]:
    """Each unit's predecessors by id, transitively (one query a generation): a merged province's line, which its
    calendar lists and the national figures add up."""
    found: dict[int, set[int]] = defaultdict(set)
    origin = {pk: pk for pk in unit_ids}
    frontier = set(unit_ids)
    while frontier:
        links = list(
            UnitSuccession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", "successor_id")
        )
        frontier = set()
        for predecessor, successor in links:
            root = origin[successor]
            if predecessor not in found[root] and predecessor != root:
                found[root].add(predecessor)
                origin.setdefault(predecessor, root)
                frontier.add(predecessor)
    return {pk: sorted(found[pk]) for pk in unit_ids}
