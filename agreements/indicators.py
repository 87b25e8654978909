"""Indicators computed from the agreements registry (issue 4, item 5): agreements signed in a period (by kind,
signatory level and effect on the relationship), in force at its end, planned for it, expiring within it.

A unit's figures count its own agreements, those of the units below it and of its predecessors."""

from __future__ import annotations

import operator
from collections import Counter
from functools import reduce
from urllib.parse import urlencode

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.choices import SIGNED_STATUSES, AgreementKind, AgreementStatus, RelationshipEffect, SignatoryLevel
from agreements.models import Agreement
from core.indicators import Computed, define_indicator, portfolio_q, register_computation, run_periods, shared


def _portfolio(unit) -> QuerySet:
    return Agreement.objects.unrestricted(
        "a unit's portfolio, for a caller who checked the unit is within reach"
    ).filter(portfolio_q(unit))


def signed_in_q(period) -> Q:
    """The condition of :func:`signed_in`."""
    return Q(status__in=SIGNED_STATUSES, signed_on__gte=period.start, signed_on__lte=period.end)


def signed_in(queryset: QuerySet, period) -> QuerySet:
    """Agreements signed within ``period`` (whatever happened to them after)."""
    return queryset.filter(signed_in_q(period))


def in_force_q(day) -> Q:
    """The condition of :func:`in_force_at`."""
    # An agreement recorded as in force with no dates at all (Osan in the 2013 report) is taken as in force.
    started = (
        Q(in_force_on__lte=day)
        | Q(in_force_on__isnull=True, signed_on__lte=day)
        | Q(in_force_on__isnull=True, signed_on__isnull=True, status=AgreementStatus.IN_FORCE)
    )
    not_ended = (Q(terminated_on__isnull=True) | Q(terminated_on__gt=day)) & (
        Q(expires_on__isnull=True) | Q(expires_on__gt=day)
    )
    return started & not_ended & Q(status__in=SIGNED_STATUSES)


def in_force_at(queryset: QuerySet, day) -> QuerySet:
    """Agreements in force on ``day``: entered into force (or signed, when no date of entry is known) on or
    before it, and not ended by then."""
    return queryset.filter(in_force_q(day))


def planned_q(period) -> Q:
    """The condition of :func:`planned_for`."""
    return Q(
        planned_year__gte=period.start.year,
        planned_year__lte=period.end.year,
        status__in={
            AgreementStatus.DRAFT,
            AgreementStatus.CONSULTATION,
            AgreementStatus.SUBMITTED,
            AgreementStatus.APPROVED,
            AgreementStatus.POSTPONED,
        },
    )


def planned_for(queryset: QuerySet, period) -> QuerySet:
    """Agreements planned for signing in the period's years and not signed or dropped."""
    return queryset.filter(planned_q(period))


# What the indicators count, each a condition on an agreement for a period.
_CONDITIONS = {
    "signed": signed_in_q,
    "in_force_at_end": lambda period: in_force_q(period.end),
    "in_force_at_start": lambda period: in_force_q(period.start),
    "planned": planned_q,
}
# The fields the indicators read of each agreement (the breakdown, the end of its term).
_FIELDS = ("kind", "signatory_level", "relationship_effect", "expires_on", "in_force_on", "duration_years")


def _matching(unit, condition: str, period) -> list[Agreement]:
    """The agreements of ``unit``'s portfolio that meet ``condition`` in ``period``, in the registry's order.

    One query serves every indicator and period of an :func:`core.indicators.indicator_values` call: the
    portfolio's agreements that meet any condition in any of its periods, each marked with the conditions it
    meets (the same conditions as :func:`signed_in`, :func:`in_force_at` and :func:`planned_for`, evaluated by
    the database)."""
    periods = run_periods(period)

    def load():
        marks = {
            f"{name}_{index}": condition_q(each)
            for index, each in enumerate(periods)
            for name, condition_q in _CONDITIONS.items()
        }
        rows = (
            _portfolio(unit)
            .filter(reduce(operator.or_, marks.values()))
            .annotate(**{name: ExpressionWrapper(q, output_field=BooleanField()) for name, q in marks.items()})
            .only(*_FIELDS)
        )
        return list(rows)

    rows = shared(("agreements", unit.pk, periods), load)
    mark = f"{condition}_{periods.index(period)}"
    return [row for row in rows if getattr(row, mark)]


def _records_url(unit, **filters) -> str:
    return f"{reverse('agreements:agreement_list')}?{urlencode({'unit': unit.key, **filters})}"


def _breakdown(rows) -> dict[str, dict[str, int]]:
    kinds, levels, effects = dict(AgreementKind.choices), dict(SignatoryLevel.choices), dict(RelationshipEffect.choices)
    return {
        "by_kind": dict(Counter(str(kinds[row.kind]) for row in rows).most_common()),
        "by_level": dict(Counter(str(levels[row.signatory_level]) for row in rows).most_common()),
        "by_effect": dict(Counter(str(effects[row.relationship_effect]) for row in rows).most_common()),
    }


def agreements_signed(*, unit, period) -> Computed:
    """Agreements signed in the period; split by kind, signatory level and whether each establishes a new
    relationship or continues one (a periodic high-level meeting's minutes), which is where documents that
    count "new" agreements differ."""
    rows = _matching(unit, "signed", period)
    return Computed(len(rows), _records_url(unit, signed_in=period.label), _breakdown(rows))


def agreements_signed_new(*, unit, period) -> Computed:
    """Agreements signed in the period that establish a relationship (not the periodic minutes of one)."""
    rows = [
        row for row in _matching(unit, "signed", period) if row.relationship_effect == RelationshipEffect.ESTABLISHES
    ]
    return Computed(
        len(rows), _records_url(unit, signed_in=period.label, effect=RelationshipEffect.ESTABLISHES), _breakdown(rows)
    )


def agreements_in_force(*, unit, period) -> Computed:
    """Agreements in force at the end of the period."""
    rows = _matching(unit, "in_force_at_end", period)
    return Computed(len(rows), _records_url(unit, in_force_at_end_of=period.label), _breakdown(rows))


def agreements_planned(*, unit, period) -> Computed:
    """Agreements planned for signing in the period."""
    rows = _matching(unit, "planned", period)
    return Computed(len(rows), _records_url(unit, planned_year=period.start.year), _breakdown(rows))


def agreements_expiring(*, unit, period) -> Computed:
    """Agreements in force whose term ends within the period."""
    rows = [
        row
        for row in _matching(unit, "in_force_at_start", period)
        if row.ends_on is not None and period.start <= row.ends_on <= period.end
    ]
    return Computed(len(rows), _records_url(unit, expiring_in=period.label), _breakdown(rows))


register_computation("agreements_signed", agreements_signed, app="agreements")
register_computation("agreements_in_force", agreements_in_force, app="agreements")
define_indicator(
    "agreements_signed_new",
    _("International agreements signed that establish a relationship"),
    _("agreements"),
    agreements_signed_new,
    app="agreements",
)
define_indicator(
    "agreements_planned", _("International agreements planned"), _("agreements"), agreements_planned, app="agreements"
)
define_indicator(
    "agreements_expiring",
    _("International agreements expiring"),
    _("agreements"),
    agreements_expiring,
    app="agreements",
)
