"""Indicators computed from the delegations registry (issue 19, item 7): delegations and person-trips out and in.

What counts: a delegation of the unit's portfolio (its own, the units below it, its predecessors) that is *done*
and started (departed, or arrived) within the period. A planned or approved delegation has not taken place and is
not counted, even when its dates have passed: the reports count trips made, and a trip not marked done is an
error the trip-report reminders bring to light, not a trip. Person-trips are the members listed, else the number
declared.

A period before the registry was kept holds only the delegations a document names (the demo's 2013 holds 21 of the
164 the summary counts): these computations are registered as *partial* (core.indicators), so a declared figure
greater than the count is answered, with the count beside it. A period in which the unit recorded no delegation at
all has no computed value (None, "unknown"), not 0: the declared figure, if any, answers, and a change against it
is not made up.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.db.models import BooleanField, Count, ExpressionWrapper, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.choices import AwardDirection, AwardStatus, ConferenceStatus, DelegationStatus, Direction, Funding
from activities.filtersets import foreign_state_q
from activities.models import Award, Conference, Delegation, PressVisit
from core.indicators import Computed, portfolio_q, register_computation, run_periods, shared


def _portfolio(unit) -> QuerySet:
    return Delegation.objects.unrestricted(
        "a unit's portfolio, for a caller who checked the unit is within reach"
    ).filter(portfolio_q(unit))


def _recorded(unit, period) -> list[Delegation]:
    """The portfolio's delegations that started within ``period``, whatever their status; one query for every
    period of the call."""
    periods = run_periods(period)

    def load():
        start, end = min(each.start for each in periods), max(each.end for each in periods)
        return list(
            _portfolio(unit)
            .filter(departs_on__gte=start, departs_on__lte=end)
            .annotate(listed=Count("members"))
            .select_related("origin_country")
            .prefetch_related("countries")
            .order_by("pk")
        )

    rows = shared(("delegations", unit.pk, periods), load)
    return [row for row in rows if period.start <= row.departs_on <= period.end]


def _trips(row: Delegation) -> int:
    return row.listed or (row.member_count or 0)


def _records_url(unit, period, direction: str) -> str:
    query = {"unit": unit.key, "direction": direction, "status": DelegationStatus.DONE, "started_in": period.label}
    return f"{reverse('activities:delegation_list')}?{urlencode(query)}"


def _by_country(rows, weight) -> dict[str, int]:
    counts: Counter = Counter()
    for row in rows:
        if row.direction == Direction.INCOMING:
            countries = [row.origin_country] if row.origin_country else []
        else:
            countries = list(row.countries.all())
        for country in dict.fromkeys(countries):
            counts[str(country)] += weight(row)
    return dict(counts.most_common())


def _by_level(rows, weight) -> dict[str, int]:
    """Incoming delegations by the level of their head (the summaries count the ambassadors, the ministers...)."""
    counts: Counter = Counter()
    for row in rows:
        counts[str(row.get_level_display()) if row.level else str(_("level not stated"))] += weight(row)
    return dict(counts.most_common())


def _breakdown(direction: str, rows, weight) -> dict[str, dict[str, int]]:
    breakdown = {"by_country": _by_country(rows, weight)}
    if direction == Direction.INCOMING:
        breakdown["by_visitor_level"] = _by_level(rows, weight)
    return breakdown


def _computation(direction: str, weight):
    def compute(*, unit, period) -> Computed | None:
        recorded = _recorded(unit, period)
        if not recorded:
            # Nothing recorded for the period: the registry was not kept then, and 0 would be a claim, not a count.
            return None
        rows = [row for row in recorded if row.direction == direction and row.status == DelegationStatus.DONE]
        return Computed(
            sum(weight(row) for row in rows),
            _records_url(unit, period, direction),
            _breakdown(direction, rows, weight),
        )

    return compute


def _one(row) -> int:
    return 1


outgoing_delegations = _computation(Direction.OUTGOING, _one)
outgoing_person_trips = _computation(Direction.OUTGOING, _trips)
incoming_delegations = _computation(Direction.INCOMING, _one)
incoming_visitors = _computation(Direction.INCOMING, _trips)

for code, function in (
    ("outgoing_delegations", outgoing_delegations),
    ("outgoing_person_trips", outgoing_person_trips),
    ("incoming_delegations", incoming_delegations),
    ("incoming_visitors", incoming_visitors),
):
    register_computation(code, function, app="activities", partial=True)


# How the outgoing delegations were paid for and planned (issue 19, item 7: "state-funded ones, in-plan versus arising
# during the year"): the delegations counted by outgoing_delegations that meet a condition, each with the list
# filtered the same way behind it.
OUTGOING_SPLITS = {
    # (what is counted, what must be known of a delegation for it to be counted or not, the list's filters)
    "outgoing_state_funded_delegations": (
        lambda row: row.funding == Funding.STATE_BUDGET,
        lambda row: bool(row.funding),
        {"funding": "state_budget"},
    ),
    # A delegation whose plan is not known (None) is neither.
    "outgoing_planned_delegations": (
        lambda row: row.in_annual_plan is True,
        lambda row: row.in_annual_plan is not None,
        {"in_plan": "true"},
    ),
    "outgoing_arising_delegations": (
        lambda row: row.in_annual_plan is False,
        lambda row: row.in_annual_plan is not None,
        {"in_plan": "false"},
    ),
}


def _outgoing_split(condition, known, filters: dict):
    def compute(*, unit, period) -> Computed | None:
        recorded = _recorded(unit, period)
        if not recorded:
            return None  # as for the totals: a registry not kept in the period is unknown, not 0
        done = [row for row in recorded if row.direction == Direction.OUTGOING and row.status == DelegationStatus.DONE]
        if done and not any(known(row) for row in done):
            # Nothing recorded says how they were paid for or planned (the delegations a document names): unknown,
            # not "none of them".
            return None
        rows = [row for row in done if condition(row)]
        url = f"{_records_url(unit, period, Direction.OUTGOING)}&{urlencode(filters)}"
        return Computed(len(rows), url, {"by_country": _by_country(rows, _one)})

    return compute


for code, (condition, known, filters) in OUTGOING_SPLITS.items():
    register_computation(code, _outgoing_split(condition, known, filters), app="activities", partial=True)


# Awards (issue 19, item 6): ``awards_received`` adds up the number of each award received from abroad and granted;
# ``awards_proposed`` ("awards proposed for foreigners") the number of each award of Viet Nam the unit proposed,
# whatever became of the proposal (a proposal to a foreign state for the unit's own people is not one of them:
# activities.filtersets.foreign_state_q). Over the unit's portfolio, dated (decision or proposal) within the period.
# An award whose number the document does not state adds nothing it does not know; like the delegations, a period
# without any award recorded has no computed value, and a declared figure above the sum is answered (partial): the
# demo's legacy Quảng Nam 2013 holds the four awards received from Laos that its summary lists, 1 + 3 + 13 + 10 =
# 27, the total core.demo declares, and the five kinds it proposed for Sê Koong, 1 + 2 + 4 + 14 + 9 = 30.
def _awards_recorded(unit, period) -> list[Award]:
    """The portfolio's awards dated within ``period``, whatever their direction or status, each with
    ``of_foreign_state``; one query for every period of the call."""
    periods = run_periods(period)

    def load():
        start, end = min(each.start for each in periods), max(each.end for each in periods)
        return list(
            Award.objects.unrestricted("a unit's portfolio, for a caller who checked the unit is within reach")
            .filter(portfolio_q(unit), decided_on__gte=start, decided_on__lte=end)
            .annotate(of_foreign_state=ExpressionWrapper(foreign_state_q(), output_field=BooleanField()))
            .order_by("pk")
        )

    rows = shared(("awards", unit.pk, periods), load)
    return [row for row in rows if period.start <= row.decided_on <= period.end]


def _by_award(rows) -> dict[str, int]:
    """ "Huân chương ITXALA hạng nhì": 1, the award and its class as the record writes them, in the order they were
    recorded (as the document that lists them does: the orders by class, then the medals)."""
    counts: Counter = Counter()
    for row in rows:
        counts[" ".join(part for part in (row.name, row.award_class) if part)] += row.count or 0
    return dict(counts)


def _awards_computation(counted, filters: dict):
    def compute(*, unit, period) -> Computed | None:
        recorded = _awards_recorded(unit, period)
        if not recorded:
            return None
        rows = [row for row in recorded if counted(row)]
        query = {"unit": unit.key, **filters, "decided_in": period.label}
        return Computed(
            sum(row.count or 0 for row in rows),
            f"{reverse('activities:award_list')}?{urlencode(query)}",
            {"by_award": _by_award(rows)},
        )

    return compute


awards_received = _awards_computation(
    lambda row: row.direction == AwardDirection.RECEIVED and row.status == AwardStatus.GRANTED,
    {"direction": AwardDirection.RECEIVED, "status": AwardStatus.GRANTED},
)
awards_proposed = _awards_computation(
    lambda row: row.direction == AwardDirection.PROPOSED and not row.of_foreign_state,
    {"direction": AwardDirection.PROPOSED, "foreign_state": "false"},
)
register_computation("awards_received", awards_received, app="activities", partial=True)
register_computation("awards_proposed", awards_proposed, app="activities", partial=True)


# International conferences and workshops (issue 19, item 3; Decision 06/2020/QĐ-TTg) and foreign press visits
# (item 4; Decree 88/2012/NĐ-CP), counted as the delegations are: over the unit's portfolio, by the day each opened
# or started; a conference counts once *held* (one planned, applied for or permitted has not taken place). Partial, as
# the delegations: a past year holds only the rows a document names, and a period without any row is unknown, not 0.


def _started_in(model, label: str, unit, period) -> list:
    """The portfolio's rows of ``model`` that started within ``period``, whatever their status; one query for every
    period of the call."""
    periods = run_periods(period)

    def load():
        start, end = min(each.start for each in periods), max(each.end for each in periods)
        related = ("countries",) if model is Conference else ()
        return list(
            model.objects.unrestricted("a unit's portfolio, for a caller who checked the unit is within reach")
            .filter(portfolio_q(unit), starts_on__gte=start, starts_on__lte=end)
            .select_related(*(("country",) if model is PressVisit else ()))
            .prefetch_related(*related)
            .order_by("pk")
        )

    rows = shared((label, unit.pk, periods), load)
    return [row for row in rows if period.start <= row.starts_on <= period.end]


def international_conferences(*, unit, period) -> Computed | None:
    recorded = _started_in(Conference, "conferences", unit, period)
    if not recorded:
        return None
    rows = [row for row in recorded if row.status == ConferenceStatus.HELD]
    counts: Counter = Counter()
    for row in rows:
        for country in row.countries.all():
            counts[str(country)] += 1
    query = {"unit": unit.key, "status": ConferenceStatus.HELD, "started_in": period.label}
    return Computed(
        len(rows),
        f"{reverse('activities:conference_list')}?{urlencode(query)}",
        {"by_country": dict(counts.most_common())},
    )


def _press_computation(weight):
    def compute(*, unit, period) -> Computed | None:
        rows = _started_in(PressVisit, "press_visits", unit, period)
        if not rows:
            return None
        counts: Counter = Counter()
        for row in rows:
            if row.country is not None:
                counts[str(row.country)] += weight(row)
        query = {"unit": unit.key, "started_in": period.label}
        return Computed(
            sum(weight(row) for row in rows),
            f"{reverse('activities:pressvisit_list')}?{urlencode(query)}",
            {"by_country": dict(counts.most_common())},
        )

    return compute


foreign_press_groups = _press_computation(_one)
foreign_reporters = _press_computation(lambda row: row.reporter_count)
register_computation("international_conferences", international_conferences, app="activities", partial=True)
register_computation("foreign_press_groups", foreign_press_groups, app="activities", partial=True)
register_computation("foreign_reporters", foreign_reporters, app="activities", partial=True)
