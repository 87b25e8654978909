"""Verbs of the delegations registry: create and update with their members (the rule that a delegation has members
or a declared count), the status steps of activities.workflow, and the visits a delegation adds to the timelines of
the relationships it met (issue 19, item 1). Views, the API, imports and commands call these functions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from activities import workflow
from activities.choices import DelegationStatus, Direction
from activities.models import Delegation
from core.audit import atomic, audit
from core.choices import AuditAction, UnitKind
from core.services import record_create, record_step, record_update, reread
from partners.choices import InteractionKind
from partners.models import Interaction, Relationship

# The units that hold a province's relationships: a delegation of a department or a district meets the partners of
# its province.
PROVINCE_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.MUNICIPALITY})


def check_members(delegation: Delegation) -> None:
    """A delegation lists its members or declares how many they are: its person-trips cannot be unknown."""
    if not delegation.members.exists() and not delegation.member_count:
        raise ValidationError(
            {
                "member_count": _(
                    "Number of members: list the members of the delegation or declare their number when the list "
                    "is not kept."
                )
            }
        )


def check_approved_within_rules(delegation: Delegation, previous_status: str | None) -> None:
    """A delegation written as approved (on its form, by an import) that breaks its unit's rules is refused: only
    the approval step sees the rules' warnings and takes the reason for setting them aside. An approved delegation
    edited afterwards may break only what its approver set aside, as it was then (seven members, not nine): a
    change that breaks more goes back to its approver (postpone it, then approve it again)."""
    if delegation.status != DelegationStatus.APPROVED:
        return
    found = workflow.breaches(delegation)
    if previous_status == DelegationStatus.APPROVED:
        set_aside = set(delegation.rules_override_breaches or [])
        new = [breach for breach in found if breach.message not in set_aside]
        if new:
            raise ValidationError(
                _(
                    "The delegation was approved as it was; with this change it breaks the rules of its unit "
                    "(%(breaches)s). Postpone it and have it approved again."
                )
                % {"breaches": "; ".join(breach.message for breach in new)}
            )
        return
    if found:
        raise ValidationError(
            {
                "status": _(
                    "Status: the delegation breaks the rules of its unit (%(breaches)s); approve it with the "
                    "“Approve” step, which asks for the reason."
                )
                % {"breaches": "; ".join(breach.message for breach in found)}
            }
        )


def delegation_create(*, instance: Delegation, user, request=None, m2m: dict | None = None, children=()) -> Delegation:
    """Create a delegation with its members; one done with partners met adds the visit to their relationships."""
    with atomic():
        record_create(instance=instance, user=user, request=request, m2m=m2m, children=children)
        check_members(instance)
        check_approved_within_rules(instance, None)
        record_meetings(instance, user=user, request=request)
    return instance


def delegation_update(
    *, instance: Delegation, user, expected_version: int, request=None, m2m: dict | None = None, children=()
) -> Delegation:
    """Save a delegation's particulars and members; saved as done, it adds the visits not added yet."""
    with atomic():
        previous_status = reread(instance).status if instance.pk else None
        record_update(
            instance=instance,
            user=user,
            expected_version=expected_version,
            request=request,
            m2m=m2m,
            children=children,
        )
        check_members(instance)
        check_approved_within_rules(instance, previous_status)
        record_meetings(instance, user=user, request=request)
    return instance


def _registry_name() -> str:
    """Where a visit added by a delegation comes from, as the timeline says it: the registry's name, in the
    records' language (what is stored is data, read by everyone, whatever the language of the request)."""
    with translation.override(settings.LANGUAGE_CODE):
        return capfirst(str(Delegation._meta.verbose_name_plural))


def _relationship_for(delegation: Delegation, partner) -> Relationship | None:
    """The relationship with ``partner`` held by the delegation's unit, else by its province."""
    units = [delegation.owner]
    unit = delegation.owner
    while unit is not None and unit.kind not in PROVINCE_KINDS:
        unit = unit.parent
        if unit is not None:
            units.append(unit)
    rows = Relationship.objects.unrestricted("the relationships of the unit whose delegation met the partner").filter(
        partner=partner, owner__in=units
    )
    found = {row.owner_id: row for row in rows.order_by("pk")}
    return next((found[item.pk] for item in units if item.pk in found), None)


def record_meetings(delegation: Delegation, *, user, request=None, audited: bool = True) -> list[Interaction]:
    """For a delegation done, one visit in the timeline of each relationship it met (the delegation's unit's, else its
    province's), once: a second call adds nothing. A visit of the same kind already in that timeline on the same
    start date, and not from another delegation, is linked rather than written twice. ``audited`` is False only
    for the demo loader, which writes without a user as the other demo loaders do."""
    if delegation.status != DelegationStatus.DONE:
        return []
    kind = InteractionKind.VISIT_OUT if delegation.direction == Direction.OUTGOING else InteractionKind.VISIT_IN
    linked = Interaction.objects.unrestricted("the visits this delegation already added").filter(delegations=delegation)
    done = set(linked.values_list("relationship_id", flat=True))
    added = []
    for partner in delegation.partners.all():
        relationship = _relationship_for(delegation, partner)
        if relationship is None or relationship.pk in done:
            continue
        same = (
            Interaction.objects.unrestricted("a visit already in the relationship's timeline")
            .filter(relationship=relationship, kind=kind, on=delegation.departs_on, delegations__isnull=True)
            .first()
            if delegation.departs_on
            else None
        )
        if same is None:
            same = Interaction(
                owner=relationship.owner,
                relationship=relationship,
                on=delegation.departs_on,
                precision=delegation.date_precision,
                kind=kind,
                summary=delegation.purpose,
                people=", ".join(part for part in (delegation.leader_name, delegation.leader_position) if part),
                outcome=delegation.outcomes,
                source=_registry_name(),
            )
            same.full_clean()
            same.created_by = same.updated_by = user
            same._change_reason = "delegation"
            same.save()
            if audited:
                audit(AuditAction.CREATE, user=user, request=request, obj=same, detail={"delegation": delegation.pk})
        delegation.interactions.add(same)
        done.add(relationship.pk)
        added.append(same)
    return added


def _move(*, delegation: Delegation, user, verb: str, request=None, detail=None, **changes) -> Delegation:
    """Apply the step ``verb`` of activities.workflow with ``changes``, or refuse it."""
    with atomic():
        stored = reread(delegation)
        step = workflow.STEPS[verb]
        if stored.status not in step.sources:
            allowed = ", ".join(str(workflow.STEPS[name].label) for name in workflow.allowed_verbs(stored.status))
            raise ValidationError(
                _("“%(verb)s” is not allowed for a delegation that is “%(status)s”; allowed: %(allowed)s.")
                % {"verb": step.label, "status": stored.get_status_display(), "allowed": allowed or "—"}
            )
        stored.policy.ensure(user, step.action, stored, request=request)
        record_step(
            stored,
            version=delegation.version,
            target=step.target,
            user=user,
            # Named apart from an agreement's steps of the same name ("approve" is "Phê duyệt ký kết" there).
            verb=f"delegation_{verb}",
            audit_verb=f"delegation_{verb}",
            request=request,
            detail=detail,
            **changes,
        )
        record_meetings(stored, user=user, request=request)
    delegation.refresh_from_db()
    return delegation


def delegation_approve(
    *,
    delegation: Delegation,
    user,
    approval_number: str,
    approval_on: dt.date,
    approval_authority: str = "",
    override_reason: str = "",
    request=None,
) -> Delegation:
    """Record the approval of the trip (or of the visit): the document's number, date and authority. A trip that
    breaks its province's rules (activities.workflow.breaches) is approved only with a written reason, kept on the
    delegation with the rules set aside and in the audit log; without one, the approval is refused and says why."""
    changes = {"approval_number": approval_number, "approval_on": approval_on}
    if approval_authority:
        changes["approval_authority"] = approval_authority
    reason = (override_reason or "").strip()
    with atomic():
        found = workflow.breaches(reread(delegation))
        detail = {}
        if found and not reason:
            raise ValidationError(
                {
                    "override_reason": _(
                        "The delegation breaks the rules of its unit: %(breaches)s. Approve it anyway only with a "
                        "written reason."
                    )
                    % {"breaches": "; ".join(breach.message for breach in found)}
                }
            )
        if found:
            messages = [breach.message for breach in found]
            changes.update(rules_override_breaches=messages, rules_override_reason=reason, rules_override_by=user)
            detail = {"override": True, "breaches": [breach.rule for breach in found], "reason": reason[:500]}
        return _move(delegation=delegation, user=user, verb="approve", request=request, detail=detail, **changes)


def delegation_mark_done(*, delegation: Delegation, user, outcomes: str = "", request=None) -> Delegation:
    """The delegation took place; it adds its visit to the timelines of the relationships it met."""
    changes = {"outcomes": outcomes} if outcomes else {}
    return _move(delegation=delegation, user=user, verb="mark_done", request=request, **changes)


def delegation_postpone(*, delegation: Delegation, user, request=None) -> Delegation:
    return _move(delegation=delegation, user=user, verb="postpone", request=request)


def delegation_cancel(*, delegation: Delegation, user, request=None) -> Delegation:
    return _move(delegation=delegation, user=user, verb="cancel", request=request)
