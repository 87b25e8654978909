"""Verbs of the agreement procedure (agreements.workflow): each runs in a transaction, checks the transition
and the scope gate, refuses a stale version, saves, and writes one audit entry naming the rule it followed.
Views, API actions, commands and the demo loader call these functions (DESIGN.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import workflow
from agreements.choices import AgreementStatus, ConsultedBody, Opinion, RelationshipEffect
from agreements.models import Agreement, Consultation
from core.audit import atomic, audit
from core.choices import AuditAction
from core.services import (
    VersionConflict,
    record_create,
    record_save_verb,
    record_step,
    record_update,
    reread,
)
from partners.choices import FORMAL_STATUSES, RelationshipStatus
from partners.services import relationship_change_status


def check_foreign_parties(partners) -> None:
    """A foreign party must be foreign: a partner recorded in Viet Nam is refused (Law 70/2020/QH14, Art. 2:
    an international agreement is made with a foreign party)."""
    local = [str(partner) for partner in partners if partner.country_id and partner.country.iso2 == "VN"]
    if local:
        raise ValidationError(
            {
                "partners": _("A foreign party cannot be a Vietnamese body: %(names)s (Law 70/2020/QH14, Art. 2).")
                % {"names": ", ".join(local)}
            }
        )


def agreement_create(*, instance: Agreement, user, request=None, m2m: dict | None = None, children=()) -> Agreement:
    """Create an agreement (a draft); its foreign parties must be foreign."""
    check_foreign_parties((m2m or {}).get("partners", []))
    return record_create(instance=instance, user=user, request=request, m2m=m2m, children=children)


def agreement_update(
    *, instance: Agreement, user, expected_version: int, request=None, m2m: dict | None = None, children=()
) -> Agreement:
    """Save an agreement's particulars; its status moves only through the verbs below."""
    if m2m and "partners" in m2m:
        check_foreign_parties(m2m["partners"])
    return record_update(
        instance=instance, user=user, expected_version=expected_version, request=request, m2m=m2m, children=children
    )


def _move(
    *,
    agreement: Agreement,
    user,
    verb: str,
    request=None,
    detail: dict | None = None,
    action: str = "",
    prepare: Callable[[Agreement], tuple[dict, dict]] | None = None,
    **changes,
) -> Agreement:
    """Apply the transition ``verb`` with ``changes`` to the agreement's fields, or refuse it. ``action`` replaces
    the capability the table asks for (an approver's override of the signing gate). ``prepare``, given the stored
    agreement once the transition and the role are checked, refuses the step (ValidationError) or returns more
    changes and more detail for the audit entry: the checks that read the stored record run under its lock."""
    with atomic():
        stored = reread(agreement)
        step = workflow.transition(verb, stored.status)
        if step is None:
            allowed = ", ".join(str(workflow.TRANSITIONS[v].label) for v in workflow.allowed_verbs(stored.status))
            raise ValidationError(
                _("“%(verb)s” is not allowed for an agreement that is “%(status)s”; allowed: %(allowed)s.")
                % {
                    "verb": workflow.TRANSITIONS[verb].label,
                    "status": stored.get_status_display(),
                    "allowed": allowed or "—",
                }
            )
        stored.policy.ensure(user, action or step.action, stored, request=request)
        if prepare is not None:
            more_changes, more_detail = prepare(stored)
            changes = {**changes, **more_changes}
            detail = {**(detail or {}), **more_detail}
        record_step(
            stored,
            version=agreement.version,
            target=step.target,
            user=user,
            verb=verb,
            audit_verb=f"agreement_{verb}",
            request=request,
            detail={"basis": str(step.basis), **(detail or {})},
            **changes,
        )
    agreement.refresh_from_db()
    return agreement


def agreement_submit_for_consultation(*, agreement: Agreement, user, sent_on: dt.date, request=None) -> Agreement:
    """Ask for the written opinions the agreement needs (agreements.workflow.required_bodies): one consultation
    per required body not asked yet, sent on ``sent_on`` and due by the deadline rule. The bodies are those that
    exist on ``sent_on``: a consultation prepared for a body merged away meanwhile goes to its successor
    (Resolution 176/2025/QH15; Decree 45/2025/NĐ-CP)."""
    with atomic():
        _move(agreement=agreement, user=user, verb="submit_for_consultation", request=request)
        unsent = agreement.consultations.unrestricted("the agreement's own").filter(sent_on__isnull=True)
        for body in set(unsent.values_list("body", flat=True)):
            if workflow.body_on(body, sent_on) != body:
                unsent.filter(body=body).update(body=workflow.body_on(body, sent_on))
        asked = set(agreement.consultations.unrestricted("the agreement's own").values_list("body", flat=True))
        for body in workflow.required_bodies(agreement, on=sent_on):
            if body in asked:
                continue
            consultation = Consultation(
                agreement=agreement, owner=agreement.owner, body=body, sent_on=sent_on, created_by=user, updated_by=user
            )
            consultation.due_on = workflow.consultation_due(sent_on)
            consultation.full_clean()
            consultation.save()
        agreement.consultations.filter(sent_on__isnull=True).update(
            sent_on=sent_on, due_on=workflow.consultation_due(sent_on)
        )
    return agreement


def consultation_send(*, consultation: Consultation, user, sent_on: dt.date, request=None) -> Consultation:
    """Record that the request for an opinion was sent; the reply is due by the deadline rule."""
    with atomic():
        consultation.policy.ensure(user, "change", consultation, request=request)
        if consultation.reply_on and sent_on > consultation.reply_on:
            raise ValidationError({"sent_on": _("A request cannot be sent after its reply came.")})
        workflow.check_body_on(consultation.body, sent_on)
        consultation.sent_on = sent_on
        consultation.due_on = workflow.consultation_due(sent_on)
        record_save_verb(consultation, user=user, verb="consultation_send", reason="sent", request=request)
    return consultation


def consultation_record_reply(
    *, consultation: Consultation, user, reply_on: dt.date, opinion: str, text: str = "", request=None
) -> Consultation:
    """Record a body's written opinion (agrees, agrees with conditions, disagrees). A reply needs a request
    sent before it."""
    with atomic():
        consultation.policy.ensure(user, "change", consultation, request=request)
        if opinion not in Opinion.values:
            raise ValidationError({"opinion": _("Choose the opinion: agrees, agrees with conditions or disagrees.")})
        if consultation.sent_on is None:
            raise ValidationError({"reply_on": _("Record when the request was sent before its reply.")})
        if reply_on < consultation.sent_on:
            raise ValidationError(
                {
                    "reply_on": _("A reply cannot come before the request was sent (%(date)s).")
                    % {"date": consultation.sent_on.strftime("%d/%m/%Y")}
                }
            )
        consultation.reply_on, consultation.opinion, consultation.opinion_text = reply_on, opinion, text
        record_save_verb(
            consultation,
            user=user,
            verb="consultation_record_reply",
            reason="reply",
            request=request,
            detail={"opinion": opinion},
        )
    return consultation


def agreement_submit(*, agreement: Agreement, user, request=None) -> Agreement:
    """Submit the agreement with the opinions received to the People's Committee that decides."""
    return _move(agreement=agreement, user=user, verb="submit", request=request)


def agreement_approve(
    *,
    agreement: Agreement,
    user,
    decision_number: str,
    decision_on: dt.date,
    decision_signer: str,
    override_reason: str = "",
    request=None,
) -> Agreement:
    """The leader decides to sign (an approver of the agreement's province), and the decision's number, date and
    signer are recorded: the signing cannot be dated before it.

    The decision is taken after the written opinions the law requires (Law 70/2020/QH14, Ch. II; Decree
    64/2021/NĐ-CP, Art. 5): each required body's opinion must have been received by the decision's date
    (agreements.workflow.missing_opinions). Otherwise the leader may decide anyway only with a written reason,
    which is kept on the agreement with who gave it, audited with the bodies missing, and shown on the agreement's
    page and in the annual report. Bad input is refused naming the field, and nothing is written."""
    number, signer, reason = decision_number.strip(), decision_signer.strip(), override_reason.strip()

    def prepare(stored: Agreement) -> tuple[dict, dict]:
        errors = {}
        if not number:
            errors["decision_number"] = _("Number of the decision: give the number and symbol of the decision.")
        if not signer:
            errors["decision_signer"] = _("Signer of the decision: give the name and title of who signed it.")
        if decision_on > timezone.localdate():
            errors["decision_on"] = _(
                "Date of the decision: %(date)s is after today; a decision is recorded once it is taken."
            ) % {"date": decision_on.strftime("%d/%m/%Y")}
        elif stored.signed_on and decision_on > stored.signed_on:
            # The signing follows the decision (Law 70/2020/QH14, Ch. II).
            errors["decision_on"] = _(
                "Date of the decision: the decision (%(decision)s) cannot come after the signing recorded "
                "(%(signed)s): an agreement is signed after the decision to sign it (Law 70/2020/QH14, Ch. II)."
            ) % {"decision": decision_on.strftime("%d/%m/%Y"), "signed": stored.signed_on.strftime("%d/%m/%Y")}
        missing = workflow.missing_opinions(stored, by=decision_on)
        if missing and not reason:
            errors["override_reason"] = _(
                "Reason for going ahead without every written opinion: the written opinions of %(bodies)s had not "
                "been received by the date of the decision. The decision is taken after the opinions the law "
                "requires (Law 70/2020/QH14, Ch. II; Decree 64/2021/NĐ-CP, Art. 5); to decide anyway, write the "
                "reason."
            ) % {"bodies": _bodies(missing)}
        if errors:
            raise ValidationError(errors)
        changes = {"decision_number": number, "decision_on": decision_on, "decision_signer": signer}
        detail = {"decision": {"number": number, "on": decision_on.isoformat(), "signer": signer}}
        if missing:
            changes.update(approval_override_reason=reason, approval_override_by=user, approval_override_bodies=missing)
            detail.update(override=True, missing=missing, reason=reason[:500])
        return changes, detail

    return _move(agreement=agreement, user=user, verb="approve", request=request, prepare=prepare)


def _bodies(bodies: list[str]) -> str:
    return ", ".join(str(ConsultedBody(body).label) for body in bodies)


def agreement_refuse(*, agreement: Agreement, user, reason: str = "", request=None) -> Agreement:
    """The leader decides not to sign."""
    return _move(agreement=agreement, user=user, verb="refuse", request=request, detail={"reason": reason[:500]})


def agreement_sign(
    *,
    agreement: Agreement,
    user,
    signed_on: dt.date,
    place: str = "",
    mode: str = "",
    override_reason: str = "",
    request=None,
) -> Agreement:
    """Record the signing, not before the decision to sign (Agreement.clean). Every required written opinion must
    have been received; otherwise the signing goes ahead only where the decision already went ahead without the
    same opinions, with its written reason (agreement_approve), or where an approver signs anyway with a written
    reason, which is kept and audited (Law 70/2020/QH14, Ch. II). An agreement that establishes its relationship
    marks the relationship established on that date."""
    changes = {"signed_on": signed_on, "place_signed": place or agreement.place_signed}
    if mode:
        changes["signing_mode"] = mode
    reason = override_reason.strip()

    def prepare(stored: Agreement) -> tuple[dict, dict]:
        missing = workflow.missing_opinions(stored)
        if not missing:
            return {}, {}
        if _decided_without(stored, missing):
            # The leader decided to sign without these opinions, with a reason kept on the agreement.
            return {}, {"override": "decision", "missing": missing}
        if not reason:
            raise ValidationError(
                _(
                    "The written opinions of %(bodies)s have not been received: an agreement is signed after the "
                    "opinions the law requires (Law 70/2020/QH14; Decree 64/2021/NĐ-CP, Art. 5). An approver may "
                    "sign anyway with a written reason."
                )
                % {"bodies": _bodies(missing)}
            )
        return (
            {"override_reason": reason, "override_by": user},
            {"override": True, "missing": missing, "reason": reason[:500]},
        )

    missing = workflow.missing_opinions(agreement)
    # Signing without every opinion, unless the decision already went ahead without them, is the leader's
    # decision: it needs the approver's capability (without a reason, ``prepare`` refuses it and says why).
    action = "approve" if missing and reason and not _decided_without(agreement, missing) else ""
    with atomic():
        _move(agreement=agreement, user=user, verb="sign", request=request, action=action, prepare=prepare, **changes)
        _mark_relationship(agreement, user=user, on=signed_on, request=request)
    return agreement


def _decided_without(agreement: Agreement, missing: list[str]) -> bool:
    """Whether the decision to sign went ahead, with a written reason, without the opinions ``missing``."""
    return bool(agreement.approval_override_reason) and set(missing) <= set(agreement.approval_override_bodies)


def _mark_relationship(agreement: Agreement, *, user, on: dt.date, request=None) -> None:
    relationship = agreement.relationship
    if relationship is None or agreement.relationship_effect != RelationshipEffect.ESTABLISHES:
        return
    latest = relationship.status_history.order_by("-on", "-pk").first()
    if relationship.status in FORMAL_STATUSES or (latest is not None and latest.on > on):
        return
    relationship_change_status(
        relationship=relationship,
        user=user,
        status=RelationshipStatus.ESTABLISHED,
        on=on,
        note=_("Signed: %(title)s") % {"title": agreement.title[:200]},
        request=request,
    )


def agreement_enter_into_force(*, agreement: Agreement, user, on: dt.date, request=None) -> Agreement:
    """Record the entry into force (not before the signing)."""
    return _move(agreement=agreement, user=user, verb="enter_into_force", request=request, in_force_on=on)


def agreement_expire(*, agreement: Agreement, user, on: dt.date, request=None) -> Agreement:
    """Record that the agreement's term ended."""
    return _move(agreement=agreement, user=user, verb="expire", request=request, terminated_on=on)


def agreement_terminate(*, agreement: Agreement, user, on: dt.date, reason: str = "", request=None) -> Agreement:
    """End the agreement before its term (decided as the signing was)."""
    return _move(
        agreement=agreement, user=user, verb="terminate", request=request, terminated_on=on, detail={"reason": reason}
    )


def agreement_postpone(*, agreement: Agreement, user, reason: str = "", request=None) -> Agreement:
    return _move(agreement=agreement, user=user, verb="postpone", request=request, detail={"reason": reason[:500]})


def agreement_resume(*, agreement: Agreement, user, request=None) -> Agreement:
    return _move(agreement=agreement, user=user, verb="resume", request=request)


def agreement_cancel(*, agreement: Agreement, user, reason: str = "", request=None) -> Agreement:
    return _move(agreement=agreement, user=user, verb="cancel", request=request, detail={"reason": reason[:500]})


def agreement_record_copy_sent(*, agreement: Agreement, user, on: dt.date, request=None) -> Agreement:
    """Record that the copy of the signed agreement owed to the Ministry of Foreign Affairs was sent."""
    with atomic():
        stored = reread(agreement)
        stored.policy.ensure(user, "change", stored, request=request)
        if stored.signed_on is None or stored.status not in {AgreementStatus.SIGNED, AgreementStatus.IN_FORCE}:
            raise ValidationError(_("Only a signed agreement has a copy to send."))
        if on < stored.signed_on:
            raise ValidationError({"on": _("The copy cannot be sent before the signing.")})
        bumped = Agreement.all_objects.filter(pk=stored.pk, version=agreement.version).update(
            copy_sent_on=on, version=F("version") + 1
        )
        if not bumped:
            raise VersionConflict(stored)
        stored.refresh_from_db()
        stored._change_reason = "copy sent"
        stored.save(update_fields=["copy_sent_on"])
        audit(AuditAction.VERB, verb="agreement_record_copy_sent", user=user, request=request, obj=stored)
    agreement.refresh_from_db()
    return agreement
