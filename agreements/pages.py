"""The agreement's page beyond the generic record page (issue 4): its particulars, where it stands in the
procedure of Law 70/2020/QH14 and Decree 64/2021/NĐ-CP with the next steps the user may take, the written
opinions it needs against those asked for, the copy owed to the Ministry of Foreign Affairs, and the plan that
implements it with its evaluations and documents.

The page is read with a fixed number of queries, whatever the number of consultations, activities, evaluations
and documents (issue 4, "Pages"). Which steps are offered follows the transition table (agreements.workflow) and
the scope gate (core.scope); the services check both again when a step is posted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import workflow
from agreements.choices import SIGNED_STATUSES, AgreementStatus, ConsultedBody
from agreements.forms import ReplyForm
from agreements.models import Agreement, Consultation, ImplementationItem
from agreements.verbs import AGREEMENT_VERBS
from core.collation import collated
from core.scope import scope_for
from partners.models import Partner

# The colour of the status badge (Bootstrap's text-bg-* classes).
STATUS_STYLES = {
    AgreementStatus.DRAFT: "text-bg-secondary",
    AgreementStatus.CONSULTATION: "text-bg-info",
    AgreementStatus.SUBMITTED: "text-bg-primary",
    AgreementStatus.APPROVED: "text-bg-primary",
    AgreementStatus.REFUSED: "text-bg-danger",
    AgreementStatus.SIGNED: "text-bg-success",
    AgreementStatus.IN_FORCE: "text-bg-success",
    AgreementStatus.EXPIRED: "text-bg-dark",
    AgreementStatus.TERMINATED: "text-bg-dark",
    AgreementStatus.POSTPONED: "text-bg-warning",
    AgreementStatus.CANCELLED: "text-bg-light border",
}
CONTENT_FLAGS = ("concerns_defence", "concerns_security", "concerns_border", "concerns_investment", "is_sensitive")
OVERRIDE_HELP = _(
    "Only when a required written opinion has not been received. Signing without it is then recorded by a person "
    "who also holds the approver role for this unit; the reason is kept and audited (Law 70/2020/QH14, Ch. II)."
)
APPROVAL_OVERRIDE_HELP = _(
    "Only when a required written opinion had not been received by the date of the decision: the reason is kept, "
    "audited, and shown on this page and in the annual report (Law 70/2020/QH14, Ch. II)."
)


@dataclass
class Step:
    """A step of the procedure the user may take now, with the values it takes and the rule it follows."""

    verb: str
    label: str
    basis: str
    fields: list[BoundField]
    style: str
    needs_approver: bool
    # The question asked before an irreversible step (core.verbs.Verb.confirm), and what the step lacks.
    confirm: str = ""
    warning: str = ""


@dataclass
class ConsultationRow:
    """A consultation as the page shows it: overdue or not, and the reply form for an unanswered one."""

    consultation: Consultation
    overdue: bool
    reply_form: ReplyForm | None = None


@dataclass
class BodyGroup:
    """A body whose written opinion the agreement needs, why, and the consultations that asked it; or, with
    ``required`` false, the consultations of bodies the rules do not require."""

    body: str
    label: str
    reason: str
    rows: list[ConsultationRow] = field(default_factory=list)
    required: bool = True

    @property
    def answered(self) -> bool:
        return any(row.consultation.answered for row in self.rows)

    @property
    def asked(self) -> bool:
        return any(row.consultation.sent_on for row in self.rows)


def _agreement(pk: int, user) -> Agreement:
    """The agreement with every row its page shows, read in a fixed number of queries."""
    own = "the agreement's own rows, in its scope"
    return (
        Agreement.objects.restrict(user)
        .select_related("owner", "relationship__partner", "relationship__owner", "override_by", "approval_override_by")
        .prefetch_related(
            Prefetch("partners", queryset=collated(Partner.all_objects.select_related("country").order_by("name_vi"))),
            "fields",
            Prefetch(
                "consultations", queryset=Consultation.objects.unrestricted(own).order_by("body", "sent_on", "pk")
            ),
            Prefetch(
                "implementation_items",
                queryset=ImplementationItem.objects.unrestricted(own)
                .select_related("lead_unit")
                .order_by("deadline", "pk"),
            ),
            "evaluations",
            "documents",
        )
        .get(pk=pk)
    )


def _steps(
    agreement: Agreement, *, may_edit: bool, may_approve: bool, today: dt.date, missing: list[str]
) -> list[Step]:
    """The allowed steps (agreements.workflow) that the user's roles let them take: editors move the file, the
    leaders who approve for the unit decide (approve, refuse, terminate). ``missing`` are the labels of the
    required bodies whose opinion has not come: the decision and the signing say so."""
    steps = []
    for verb in workflow.allowed_verbs(agreement.status):
        transition = workflow.TRANSITIONS[verb]
        needs_approver = transition.action == "approve"
        if not (may_approve if needs_approver else may_edit):
            continue
        declared = AGREEMENT_VERBS[verb]
        # Each step's form has its own ids: several forms with the same field names share the page.
        form = declared.form(
            auto_id=f"{verb}-%s", initial=dict.fromkeys(("sent_on", "decision_on", "signed_on", "on"), today)
        )
        if "override_reason" in form.fields:
            form.fields["override_reason"].help_text = APPROVAL_OVERRIDE_HELP if verb == "approve" else OVERRIDE_HELP
        warning = ""
        # A signing after a decision that went ahead without the opinions follows that decision (its reason shows).
        if missing and (verb == "approve" or (verb == "sign" and not agreement.approval_override_reason)):
            warning = _("Written opinions not received: %(bodies)s. Going ahead needs the reason written below.") % {
                "bodies": ", ".join(str(label) for label in missing)
            }
        steps.append(
            Step(
                verb=verb,
                label=declared.label,
                basis=transition.basis,
                fields=list(form),
                style=declared.style,
                needs_approver=needs_approver,
                confirm=declared.confirm or "",
                warning=warning,
            )
        )
    return steps


def _consultations(agreement: Agreement, *, may_edit: bool, today: dt.date) -> list[BodyGroup]:
    """The required bodies, each with the consultations that asked it, then the consultations of other bodies."""
    rows = []
    for consultation in agreement.consultations.all():
        overdue = not consultation.answered and consultation.due_on is not None and consultation.due_on < today
        form = None
        if may_edit and not consultation.answered and consultation.sent_on is not None:
            form = ReplyForm(auto_id=f"reply-{consultation.pk}-%s", initial={"reply_on": today})
        rows.append(ConsultationRow(consultation, overdue, form))
    # The bodies as they existed on the day the opinions were asked (Resolution 176/2025/QH15: planning and
    # investment merged into finance on 1 March 2025); an opinion of a predecessor or successor stands for its body.
    on = workflow.consulted_on(agreement, [row.consultation for row in rows])
    groups = [
        BodyGroup(
            body,
            ConsultedBody(body).label,
            reason,
            [row for row in rows if workflow.answers_for(row.consultation, body, on)],
        )
        for body, reason in workflow.required_bodies(agreement, on).items()
    ]
    grouped = {id(row) for group in groups for row in group.rows}
    others = [row for row in rows if id(row) not in grouped]
    if others:
        groups.append(BodyGroup("", _("Other bodies consulted"), "", others, required=False))
    return groups


def _copy(agreement: Agreement, today: dt.date) -> dict | None:
    """The copy of a signed agreement owed to the Ministry of Foreign Affairs (Law 70/2020/QH14). One signed before
    the Law took effect (1 July 2021) is not flagged: the rules of its time differ (``owed`` false)."""
    if agreement.status not in SIGNED_STATUSES or agreement.signed_on is None:
        return None
    if not workflow.copy_owed(agreement.signed_on):
        return {"owed": False, "due": None, "sent_on": agreement.copy_sent_on, "late": False}
    due = workflow.copy_due(agreement.signed_on)
    return {
        "owed": True,
        "due": due,
        "sent_on": agreement.copy_sent_on,
        "late": agreement.copy_sent_on is None and due < today,
    }


def agreement_detail_context(record: Agreement, request) -> dict:
    """An agreement's page: particulars, procedure with the next steps, required opinions against the
    consultations, the copy owed to the Ministry, the implementation plan, evaluations and documents.

    The generic view decides ``may_edit`` (the "change" gate) for the template; the steps are computed here from
    the same gate, so that the approver's steps show to leaders who may not edit."""
    agreement = _agreement(record.pk, request.user)
    today = timezone.localdate()
    user = request.user
    may_edit = scope_for(user, "change").covers(agreement.owner)
    may_approve = scope_for(user, "approve").covers(agreement.owner)
    groups = _consultations(agreement, may_edit=may_edit, today=today)
    missing = [group.label for group in groups if group.required and not group.answered]
    steps = _steps(agreement, may_edit=may_edit, may_approve=may_approve, today=today, missing=missing)
    offered = {step.verb for step in steps}
    return {
        "agreement": agreement,
        "status_style": STATUS_STYLES.get(agreement.status, "text-bg-secondary"),
        "agreement_partners": list(agreement.partners.all()),
        "agreement_fields": list(agreement.fields.all()),
        "content_flags": [
            agreement._meta.get_field(name).verbose_name for name in CONTENT_FLAGS if getattr(agreement, name)
        ],
        "steps": steps,
        # Steps the table allows that another role takes (an approver's decision, seen by the editor).
        "other_steps": [
            AGREEMENT_VERBS[verb].label for verb in workflow.allowed_verbs(agreement.status) if verb not in offered
        ],
        "body_groups": groups,
        "before_decision": agreement.status in workflow.BEFORE_DECISION,
        "missing_bodies": missing,
        # The opinions the decision to sign went ahead without (agreements.services.agreement_approve).
        "decision_missing": [ConsultedBody(body).label for body in agreement.approval_override_bodies],
        "law_in_force": workflow.LAW_IN_FORCE,
        "overdue_count": sum(1 for group in groups for row in group.rows if row.overdue),
        "copy": _copy(agreement, today),
        "copy_verb": AGREEMENT_VERBS["record_copy_sent"],
        "items": list(agreement.implementation_items.all()),
        "evaluations": list(agreement.evaluations.all()),
        "documents": list(agreement.documents.all()),
        "today": today,
    }
