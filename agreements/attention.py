"""What needs attention in a user's agreements (issue 4, item 3): agreements in force with no implementation
plan, consultations overdue, agreements expiring within 90 and 30 days, copies not yet sent to the Ministry of
Foreign Affairs. Each list is already restricted to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import workflow
from agreements.choices import AgreementStatus
from agreements.indicators import in_force_at
from agreements.models import Agreement, Consultation


@dataclass
class AttentionList:
    key: str
    title: str
    rows: list
    explanation: str


def attention_lists(user, *, today: dt.date | None = None) -> list[AttentionList]:
    """The lists of what needs attention on ``today`` (the local date by default)."""
    today = today or timezone.localdate()
    agreements = Agreement.objects.restrict(user).select_related("owner").prefetch_related("partners")
    in_force = list(in_force_at(agreements, today))
    expiring = sorted(
        (row for row in in_force if row.ends_on and today <= row.ends_on <= today + dt.timedelta(days=90)),
        key=lambda row: row.ends_on,
    )
    signed = agreements.filter(status__in={AgreementStatus.SIGNED, AgreementStatus.IN_FORCE}, copy_sent_on__isnull=True)
    overdue = (
        Consultation.objects.restrict(user)
        .filter(
            Q(opinion=""),
            due_on__lt=today,
            agreement__status__in={AgreementStatus.CONSULTATION, AgreementStatus.SUBMITTED},
        )
        .select_related("agreement", "owner")
        .order_by("due_on")
    )
    return [
        AttentionList(
            "without_plan",
            _("In force with no implementation plan"),
            [row for row in in_force if not row.implementation_items.exists()],
            _("Agreements are signed and then not implemented: each needs a plan of activities."),
        ),
        AttentionList(
            "consultations_overdue",
            _("Consultations overdue"),
            list(overdue),
            _("The written reply is past its due date."),
        ),
        AttentionList(
            "expiring_30",
            _("Expiring within 30 days"),
            [row for row in expiring if row.ends_on <= today + dt.timedelta(days=30)],
            _("Renew, or let the relationship know."),
        ),
        AttentionList(
            "expiring_90",
            _("Expiring within 90 days"),
            [row for row in expiring if row.ends_on > today + dt.timedelta(days=30)],
            _("Plan the renewal."),
        ),
        AttentionList(
            "copies_not_sent",
            _("Copies not yet sent to the Ministry of Foreign Affairs"),
            [(row, workflow.copy_due(row.signed_on)) for row in signed.order_by("signed_on") if row.signed_on],
            _("A copy of each signed agreement is owed to the Ministry of Foreign Affairs (Law 70/2020/QH14)."),
        ),
    ]
