"""What the agreements app asks of its users on their home page (core.todo, issue 18, item 7), and what the
national overview counts of agreements for each province (core.overview). Declared on the record types in
agreements/registries.py.

- A leader (the ``approve`` action: accounts.roles) sees the agreements waiting for the People's Committee's
  decision to sign in the units where the policy lets them decide (Law 70/2020/QH14, Ch. II).
- An officer (the ``change`` action) sees the written opinions past their due date, the copies owed to the
  Ministry of Foreign Affairs, the activities of implementation plans due within 30 days or overdue, and the
  agreements whose term ends within 90 days.

The conditions are those of the page of what needs attention (agreements.attention), which lists them in full
with their explanations.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import workflow
from agreements.choices import AgreementStatus, ItemStatus
from agreements.indicators import in_force_at, in_force_q, signed_in_q
from agreements.models import Agreement, Consultation, ImplementationItem
from core.overview import Tally
from core.periods import Period
from core.todo import Todo

# How far ahead the home page looks for an activity's deadline and for the end of an agreement's term.
ACTIVITY_DAYS = 30
EXPIRY_DAYS = 90
OPEN_ITEM_STATUSES = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)
# The statuses in which a plan is carried out: an expired or ended agreement's activities are no longer due.
IMPLEMENTED_STATUSES = (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE)


def waiting_for_decision(user, action: str, today: dt.date) -> QuerySet:
    """Agreements submitted for decision in the units where ``user`` may decide, the longest waiting first."""
    return (
        Agreement.objects.restrict(user, action)
        .filter(status=AgreementStatus.SUBMITTED)
        .select_related("owner")
        .order_by("updated_at", "pk")
    )


def opinions_overdue(user, action: str, today: dt.date) -> QuerySet:
    """Written opinions asked for and not received by their due date, while the agreement waits for them."""
    return (
        Consultation.objects.restrict(user, action)
        .filter(
            opinion="",
            due_on__lt=today,
            agreement__status__in=(AgreementStatus.CONSULTATION, AgreementStatus.SUBMITTED),
            agreement__deleted_at__isnull=True,
        )
        .select_related("agreement", "owner")
        .order_by("due_on", "pk")
    )


def copies_owed(user, action: str, today: dt.date) -> QuerySet:
    """Signed agreements whose copy has not been sent to the Ministry of Foreign Affairs: those signed since Law
    70/2020/QH14 took effect (workflow.copy_owed), the earliest signed first."""
    return (
        Agreement.objects.restrict(user, action)
        .filter(
            status__in=IMPLEMENTED_STATUSES,
            copy_sent_on__isnull=True,
            signed_on__gte=workflow.LAW_IN_FORCE,
        )
        .select_related("owner")
        .order_by("signed_on", "pk")
    )


def activities_due(user, action: str, today: dt.date) -> QuerySet:
    """Activities of the implementation plans not done and due within ``ACTIVITY_DAYS`` days or overdue."""
    return (
        ImplementationItem.objects.restrict(user, action)
        .filter(
            status__in=OPEN_ITEM_STATUSES,
            deadline__lte=today + dt.timedelta(days=ACTIVITY_DAYS),
            agreement__status__in=IMPLEMENTED_STATUSES,
            agreement__deleted_at__isnull=True,
        )
        .select_related("agreement__owner")
        .order_by("deadline", "pk")
    )


def ending_within(agreements: QuerySet, today: dt.date, days: int) -> list[tuple[dt.date, int]]:
    """(end, pk) of the agreements in force whose term ends within ``days`` days, the nearest end first, in one
    query: the end (Agreement.ends_on) is the stated expiry, or the entry into force plus the duration."""
    horizon = today + dt.timedelta(days=days)
    candidates = in_force_at(agreements, today).filter(
        Q(expires_on__gte=today, expires_on__lte=horizon)
        | Q(expires_on__isnull=True, in_force_on__isnull=False, duration_years__isnull=False)
    )
    return sorted(
        (row.ends_on, row.pk)
        for row in candidates.only("expires_on", "in_force_on", "duration_years")
        if row.ends_on and today <= row.ends_on <= horizon
    )


def expiring(user, action: str, today: dt.date) -> QuerySet:
    """Agreements in force whose term ends within ``EXPIRY_DAYS`` days, the nearest end first.

    The end (Agreement.ends_on) is the stated expiry, or the entry into force plus the duration: the candidates
    are found in one query, their ends worked out here, and the list is a queryset again in that order."""
    agreements = Agreement.objects.restrict(user, action)
    ends = ending_within(agreements, today, EXPIRY_DAYS)
    if not ends:
        return agreements.none()
    order = Case(*(When(pk=pk, then=Value(index)) for index, (_end, pk) in enumerate(ends)))
    return agreements.filter(pk__in=[pk for _end, pk in ends]).select_related("owner").order_by(order, "pk")


def _signed_note(row: Agreement) -> str:
    return gettext("%(unit)s · signed on %(date)s") % {"unit": row.owner.name, "date": f"{row.signed_on:%d/%m/%Y}"}


def _unit_note(row) -> str:
    return row.owner.name


AGREEMENT_TODOS = (
    Todo(
        key="to-approve",
        title=_("Waiting for your decision"),
        action="approve",
        rows=waiting_for_decision,
        explanation=_(
            "Agreements submitted with their written opinions: the People's Committee decides whether to sign "
            "(Law 70/2020/QH14, Ch. II)."
        ),
        note=_unit_note,
    ),
    Todo(
        key="copies-owed",
        title=_("Copies owed to the Ministry of Foreign Affairs"),
        action="change",
        rows=copies_owed,
        explanation=_("A copy of each signed agreement is owed to the Ministry of Foreign Affairs (Law 70/2020/QH14)."),
        due=lambda row: workflow.copy_due(row.signed_on),
        note=_signed_note,
    ),
    Todo(
        key="activities-due",
        title=_("Implementation activities due"),
        action="change",
        rows=activities_due,
        explanation=_("Activities of implementation plans not done, due within 30 days or overdue."),
        due=lambda row: row.deadline,
        note=lambda row: row.agreement.title,
    ),
    Todo(
        key="expiring",
        title=_("Agreements expiring within 90 days"),
        action="change",
        rows=expiring,
        explanation=_("Renew, or let the partner know."),
        due=lambda row: row.ends_on,
        note=_unit_note,
    ),
)

CONSULTATION_TODOS = (
    Todo(
        key="opinions-overdue",
        title=_("Written opinions overdue"),
        action="change",
        rows=opinions_overdue,
        explanation=_("The written reply is past its due date: remind the body consulted."),
        due=lambda row: row.due_on,
        note=_unit_note,
        # The opinion is recorded on the agreement's page, beside the other opinions it needs.
        link=lambda row: f"{row.agreement.get_absolute_url()}#consultation-{row.pk}",
    ),
)

AGREEMENT_TALLIES = (
    Tally(key="in-force", label=_("agreements in force"), condition=in_force_q),
    Tally(
        key="signed-this-year",
        label=_("agreements signed in %(year)s"),
        condition=lambda today: signed_in_q(Period.parse(str(today.year))),
    ),
)
