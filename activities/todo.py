"""What the delegations ask of their users on the home page (core.todo; issue 19, item 2: "trip reports overdue
appear in their unit's to-do list and on the leader's home page").

A trip report is owed after an outgoing delegation has returned, by the day its delegation says (15 days after the
return unless set otherwise: Delegation.report_due_on). It is chased only for delegations recorded before they came
back: a trip entered afterwards from an old document (the demo's 2013 trips) is history, not a report to ask for.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from activities.choices import DelegationStatus, Direction
from activities.models import Delegation
from core.todo import Todo


def reports_overdue(user, action: str, today: dt.date) -> QuerySet:
    """Outgoing delegations done whose trip report has not been received by its due day, the longest overdue
    first. The candidates (returned, no report, recorded before the return) are read in one query and their due
    days worked out here; the list is a queryset again, in that order."""
    delegations = Delegation.objects.restrict(user, action)
    candidates = delegations.filter(
        direction=Direction.OUTGOING,
        status=DelegationStatus.DONE,
        report_received_on__isnull=True,
        returns_on__lt=today,
        created_at__date__lte=F("returns_on"),
    ).only("direction", "returns_on", "report_days")
    due = sorted((row.report_due_on, row.pk) for row in candidates if row.report_due_on and row.report_due_on < today)
    if not due:
        return delegations.none()
    order = Case(*(When(pk=pk, then=Value(index)) for index, (_day, pk) in enumerate(due)))
    return delegations.filter(pk__in=[pk for _day, pk in due]).select_related("owner").order_by(order, "pk")


def awaiting_approval(user, action: str, today: dt.date) -> QuerySet:
    """Delegations planned and not yet approved whose trip has not begun (or has no date yet), the soonest first:
    the approver decides each before it leaves."""
    return (
        Delegation.objects.restrict(user, action)
        .filter(status=DelegationStatus.PLANNED)
        .filter(Q(departs_on__gte=today) | Q(departs_on__isnull=True))
        .select_related("owner")
        .order_by(F("departs_on").asc(nulls_last=True), "pk")
    )


def _unit(row: Delegation) -> str:
    return row.owner.name


EXPLANATION = _("The delegation has come back and its trip report has not been received by the day it was due.")

DELEGATION_TODOS = (
    # The leader approves the trips before they leave (activities.workflow: with the rules' warnings on the page).
    Todo(
        key="delegations-awaiting-approval",
        title=_("Delegations waiting for approval"),
        action="approve",
        rows=awaiting_approval,
        explanation=_("Planned and not yet approved; the soonest to leave first."),
        due=lambda row: row.departs_on,
        note=_unit,
    ),
    # The officers who record the delegations chase the reports; the leader who approved the trips sees them too.
    Todo(
        key="trip-reports-overdue",
        title=_("Trip reports overdue"),
        action="change",
        rows=reports_overdue,
        explanation=EXPLANATION,
        due=lambda row: row.report_due_on,
        note=_unit,
    ),
    Todo(
        key="trip-reports-overdue-approver",
        title=_("Trip reports overdue"),
        action="approve",
        rows=reports_overdue,
        explanation=EXPLANATION,
        due=lambda row: row.report_due_on,
        note=_unit,
    ),
)
