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

from django.db.models import Count, QuerySet
from django.urls import reverse

from activities.choices import DelegationStatus, Direction
from activities.models import Delegation
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
            {"by_country": _by_country(rows, weight)},
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
