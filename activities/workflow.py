"""The steps of a delegation's status (issue 19, item 1), as one table: verb, the statuses it leaves from, the status
it reaches, and the capability it needs (core.policy). The services apply it; the page and the API offer only the
steps it allows from the current status.

And the rules a trip abroad is checked against when it is approved (issue 19, item 2): the caps a province sets
(DelegationRules: a head of delegation's trips per year, members, days and countries per trip, delegations and state
budget per year), two of its key leaders never abroad at the same time, the extra approval a trip outside the annual
foreign-affairs plan needs, and the central personnel approval of officials whose trips abroad are decided centrally
(the Politburo's regulation on the unified management of foreign-affairs activities, 272-QĐ/TW of 2015, and the
rules on trips abroad of officials under central management; each province writes its own figures and names their
source, which every warning quotes, and its legal officer confirms the references in force). A breach does not
stop the approval: the approver sees it and may approve anyway with a written reason, kept on the delegation and in
the audit log (activities.services.delegation_approve).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.choices import DelegationStatus as S
from activities.choices import Direction
from core.text import fold


@dataclass(frozen=True)
class Step:
    verb: str
    sources: frozenset[str]
    target: str
    action: str
    label: Promise


STEPS: dict[str, Step] = {
    step.verb: step
    for step in (
        # The approval of a trip is decided by the competent leader: the approver's capability, as an agreement's.
        Step("approve", frozenset({S.PLANNED, S.POSTPONED}), S.APPROVED, "approve", _("Approve the delegation")),
        Step("mark_done", frozenset({S.PLANNED, S.APPROVED}), S.DONE, "change", _("Record the delegation as done")),
        Step("postpone", frozenset({S.PLANNED, S.APPROVED}), S.POSTPONED, "change", _("Postpone")),
        Step("cancel", frozenset({S.PLANNED, S.APPROVED, S.POSTPONED}), S.CANCELLED, "change", _("Cancel")),
    )
}


def allowed_verbs(status: str) -> list[str]:
    """The verbs the table allows from ``status``, in the table's order."""
    return [verb for verb, step in STEPS.items() if status in step.sources]


# What a unit "has already approved" in a year: its trips approved and those that took place since.
COMMITTED = frozenset({S.APPROVED, S.DONE})


@dataclass(frozen=True)
class Breach:
    """One rule a delegation breaks: which (a DelegationRules field, or ``plan``/``personnel``), and what a person
    reads."""

    rule: str
    message: str


def rules_for(delegation):
    """The rules that govern ``delegation``: its unit's, else the nearest unit above that has some."""
    from activities.models import DelegationRules

    units = []
    unit = delegation.owner if delegation.owner_id else None
    while unit is not None:
        units.append(unit)
        unit = unit.parent
    if not units:
        return None
    found = {
        rules.owner_id: rules
        for rules in DelegationRules.objects.unrestricted("the rules that govern a delegation the caller may see")
        .filter(owner__in=units)
        .select_related("owner")
    }
    return next((found[unit.pk] for unit in units if unit.pk in found), None)


def _people(delegation) -> set[str]:
    """The folded names of the head and the members of ``delegation`` (members as saved)."""
    names = {fold(delegation.leader_name)} if delegation.leader_name else set()
    if delegation.pk:
        names |= {fold(member.name) for member in delegation.members.all()}
    return names - {""}


def _committed_in_year(delegation, rules):
    """The other outgoing delegations of the units the rules govern, approved or done, that start in the year of
    ``delegation``."""
    from activities.models import Delegation
    from core.filtersets import unit_portfolio_q

    rows = Delegation.objects.unrestricted("what the units the rules govern approved that year").filter(
        unit_portfolio_q(rules.owner),
        direction=Direction.OUTGOING,
        status__in=COMMITTED,
        departs_on__year=delegation.departs_on.year,
    )
    return rows.exclude(pk=delegation.pk) if delegation.pk else rows


def breaches(delegation) -> list[Breach]:
    """The rules ``delegation`` (outgoing) would break if approved now, against what is approved already."""
    if delegation.direction != Direction.OUTGOING:
        return []
    rules = rules_for(delegation)
    if rules is None:
        # No rules configured for the unit or above it: nothing to check but the approval document itself.
        return []
    found: list[Breach] = []
    if (
        rules.outside_plan_needs_approval
        and delegation.in_annual_plan is not True  # not known to be in the plan: the approval must show it
        and not delegation.plan_exception_approval.strip()
    ):
        found.append(
            Breach(
                "plan",
                gettext(
                    "Whether the delegation is in the annual foreign-affairs plan is not recorded: record it, or the "
                    "approval of a trip outside the plan."
                )
                if delegation.in_annual_plan is None
                else gettext(
                    "The delegation is not in the annual foreign-affairs plan: record the approval of a trip outside "
                    "the plan."
                )
                + f" ({rules.source})",
            )
        )
    if (
        rules.personnel_approval_needed
        and delegation.needs_central_personnel_approval
        and not delegation.personnel_approval.strip()
    ):
        found.append(
            Breach(
                "personnel",
                gettext("An official of the delegation needs the central personnel approval: record it.")
                + f" ({rules.source})",
            )
        )
    source = rules.source

    def cap(rule: str, value, limit, message: str) -> None:
        if limit is not None and value is not None and value > limit:
            text = message % {"value": _number(value), "limit": _number(limit)}
            found.append(Breach(rule, f"{text} ({source})"))

    cap(
        "members_per_delegation",
        delegation.person_trips,
        rules.members_per_delegation,
        gettext("%(value)s members, more than the %(limit)s a delegation may have"),
    )
    if delegation.departs_on and delegation.returns_on:
        cap(
            "days_per_trip",
            (delegation.returns_on - delegation.departs_on).days + 1,
            rules.days_per_trip,
            gettext("%(value)s days, more than the %(limit)s a trip may last"),
        )
    if delegation.pk:
        cap(
            "countries_per_trip",
            delegation.countries.count(),
            rules.countries_per_trip,
            gettext("%(value)s countries, more than the %(limit)s a trip may visit"),
        )
    if delegation.departs_on is None:
        return found
    committed = list(
        _committed_in_year(delegation, rules)
        .prefetch_related("members")
        .only("pk", "leader_name", "departs_on", "returns_on", "state_budget_vnd", "purpose", "direction")
    )
    year = delegation.departs_on.year
    cap(
        "trips_per_year",
        len(committed) + 1,
        rules.trips_per_year,
        gettext("%(value)s delegations abroad in the year with this one, more than the %(limit)s allowed")
        + f" ({year})",
    )
    if delegation.leader_name.strip():
        leader = fold(delegation.leader_name)
        cap(
            "leader_trips_per_year",
            sum(1 for row in committed if fold(row.leader_name) == leader) + 1,
            rules.leader_trips_per_year,
            gettext("%(value)s trips abroad of the head of delegation in the year, more than the %(limit)s allowed")
            + f" ({year})",
        )
    if delegation.state_budget_vnd:
        spent = sum((row.state_budget_vnd or Decimal(0) for row in committed), Decimal(0))
        cap(
            "state_budget_per_year_vnd",
            spent + delegation.state_budget_vnd,
            rules.state_budget_per_year_vnd,
            gettext("%(value)s VND of state budget for trips abroad in the year, more than the %(limit)s VND allowed")
            + f" ({year})",
        )
    found += _key_leaders_away(delegation, rules, committed)
    return found


def _key_leaders_away(delegation, rules, committed) -> list[Breach]:
    """Two key leaders abroad at the same time: in this delegation together, or this one's and another's whose
    dates overlap."""
    keys = {fold(name): name for name in rules.key_leader_names()}
    if not keys:
        return []
    mine = _people(delegation) & keys.keys()
    if not mine:
        return []
    found = []
    if len(mine) > 1:
        names = ", ".join(sorted(keys[name] for name in mine))
        found.append(
            Breach(
                "key_leaders",
                gettext("Key leaders in one delegation abroad at the same time: %(names)s") % {"names": names}
                + f" ({rules.source})",
            )
        )
    start = delegation.departs_on
    end = delegation.returns_on or start
    for row in committed:
        other_end = row.returns_on or row.departs_on
        if row.departs_on > end or other_end < start:
            continue
        theirs = _people(row) & keys.keys()
        others = theirs - mine
        if others:
            found.append(
                Breach(
                    "key_leaders",
                    gettext("%(names)s abroad at the same time with another delegation (%(delegation)s, %(dates)s)")
                    % {
                        "names": ", ".join(sorted(keys[name] for name in mine | others)),
                        "delegation": row.purpose[:80],
                        "dates": _dates(row.departs_on, other_end),
                    }
                    + f" ({rules.source})",
                )
            )
    return found


def _dates(start: dt.date, end: dt.date) -> str:
    return f"{start:%d/%m/%Y}" if start == end else f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


def _number(value) -> str:
    """A whole number as Vietnamese writes it: 1.500.000."""
    return f"{int(value):,}".replace(",", ".")
