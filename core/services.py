"""Verbs on registry records, used by the web views, the API, the importers and commands alike.

Each verb runs in a transaction, asks the record's policy (core.policy), refuses stale
versions (optimistic locking: a conditional UPDATE on ``version`` works on SQLite too, where
``select_for_update`` does nothing), saves, and writes one audit entry.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import atomic, audit
from core.choices import AuditAction
from core.policy import exempt


class VersionConflict(Exception):
    """The record changed since the client read it."""

    def __init__(self, current):
        super().__init__(_("This record was changed by someone else."))
        self.current = current


# Checks that refuse a change to a record whose period a report has frozen (issue 20, item 3), registered by the apps
# that freeze periods (reports.apps): core does not import them.
_FREEZE_CHECKS: list[Callable[[Sequence[models.Model]], list[str | None]]] = []


def register_freeze_check(check: Callable[[Sequence[models.Model]], list[str | None]]) -> None:
    """Add ``check(records) -> [message or None, one a record]``: the refusal of a change to each record (created,
    changed, moved to the trash or out of it, stepped) because a period it is in is frozen. Given many records at
    once (an import's), a check answers them together, in a few queries whatever their number."""
    if check not in _FREEZE_CHECKS:
        _FREEZE_CHECKS.append(check)


def frozen_refusals(records: Sequence[models.Model]) -> list[str | None]:
    """For each of ``records``, the first registered check's refusal, or None. A record in no period
    (``period_span()`` None: undated, or a type without ``period_date``) is asked of no check and costs no query."""
    answers: list[str | None] = [None] * len(records)
    dated = [index for index, record in enumerate(records) if _in_a_period(record)]
    for check in _FREEZE_CHECKS:
        pending = [index for index in dated if answers[index] is None]
        if not pending:
            break
        for index, message in zip(pending, check([records[index] for index in pending]), strict=True):
            answers[index] = message
    return answers


def ensure_not_frozen(*records: models.Model) -> None:
    """Refuse (ValidationError) a change that touches a frozen period: a record's stored row and its new values are
    both given, so that moving a record into a frozen period or out of one are both refused."""
    message = next(filter(None, frozen_refusals(records)), None)
    if message:
        raise ValidationError(message, code="frozen_period")


def _in_a_period(record: models.Model) -> bool:
    span = getattr(record, "period_span", None)
    return span is not None and span() is not None


def _base_manager(instance: models.Model) -> models.Manager:
    return type(instance)._base_manager


def reread(instance: models.Model) -> models.Model:
    """The stored row of a record in hand, read again inside a verb (which then asks the record's policy)."""
    model = type(instance)
    manager = getattr(model, "all_objects", model._default_manager)
    return manager.unrestricted("the record in hand, read again by its verb").get(pk=instance.pk)


def _save_related(instance: models.Model, user, m2m: dict | None, children) -> None:
    """Many-to-many values and child rows (inline formsets) saved with their parent, in its transaction."""
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    if not children:
        return
    for formset in children:
        if not formset.is_bound:
            continue
        formset.instance = instance
        for child in formset.save(commit=False):
            child.created_by = child.created_by or user
            child.updated_by = user
            child.save()
        for child in formset.deleted_objects:
            child.delete()
    # The parent's search text may include its children (a partner's spellings).
    _base_manager(instance).filter(pk=instance.pk).update(search_text=instance.build_search_text())


def record_create(*, instance: models.Model, user, request=None, m2m: dict | None = None, children=()) -> models.Model:
    """Create a registry record owned by a unit the user may change, with its child rows."""
    with atomic():
        instance.policy.ensure(user, "change", instance, request=request)
        instance.full_clean()
        ensure_not_frozen(instance)
        instance.created_by = instance.updated_by = user
        instance.created_at = instance.updated_at = timezone.now()
        instance._change_reason = "create"
        instance.save()
        _save_related(instance, user, m2m, children)
        audit(AuditAction.CREATE, user=user, request=request, obj=instance)
    return instance


def record_update(
    *, instance: models.Model, user, expected_version: int, request=None, m2m: dict | None = None, children=()
) -> models.Model:
    """Save changes to ``instance`` if nobody saved it since ``expected_version``.

    The owner before and after must both be in the user's scope: a save that would move a record
    out of scope is refused and rolled back.
    """
    with atomic():
        manager = _base_manager(instance)
        stored = reread(instance)
        stored.policy.ensure(user, "change", stored, request=request)
        bumped = manager.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
        if not bumped:
            raise VersionConflict(reread(instance))
        instance.version = expected_version + 1
        instance.full_clean()
        instance.policy.ensure(user, "change", instance, request=request)
        ensure_not_frozen(stored, instance)
        instance.updated_by = user
        instance.updated_at = timezone.now()
        instance._change_reason = "update"
        instance.save()
        _save_related(instance, user, m2m, children)
        changed = [
            f.name
            for f in instance._meta.concrete_fields
            if f.editable and getattr(stored, f.attname) != getattr(instance, f.attname)
        ]
        audit(AuditAction.UPDATE, user=user, request=request, obj=instance, detail={"fields": changed})
    return instance


def record_save_verb(instance: models.Model, *, user, verb: str, reason: str, request=None, detail=None) -> None:
    """Save a record that a service verb has changed (a reply recorded, a merge): one version more, ``reason``
    in its history, and one audit entry naming the verb. The caller has checked scope and rules."""
    if getattr(instance, "freeze_steps", True):
        ensure_not_frozen(instance)
    instance.version += 1
    instance._change_reason = reason
    instance.save()
    audit(AuditAction.VERB, verb=verb, user=user, request=request, obj=instance, detail=detail)


def record_step(
    stored: models.Model,
    *,
    version: int,
    target: str,
    user,
    verb: str,
    audit_verb: str,
    request=None,
    detail=None,
    **changes,
) -> models.Model:
    """Move ``stored`` (read under its lock; its rules and its policy already checked) to the status ``target``
    with ``changes``: refused with VersionConflict when the version the person saw (``version``) is no longer
    the stored one; validated whole; refused while a period it is in, before or after the step, is frozen; saved with
    ``verb`` in its history; one audit entry ``audit_verb`` with the statuses before and after and ``detail``. The
    step of a procedure (an agreement's, a delegation's) is this."""
    before = copy.copy(stored)  # the stored row, kept apart from the changes made to ``stored``
    bumped = _base_manager(stored).filter(pk=stored.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise VersionConflict(reread(stored))
    previous = stored.status
    stored.version = version + 1
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.status = target
    stored.full_clean()
    if stored.freeze_steps or before.period_span() != stored.period_span():
        ensure_not_frozen(before, stored)
    stored.updated_by, stored.updated_at = user, timezone.now()
    stored._change_reason = verb
    stored.save()
    audit(
        AuditAction.VERB,
        verb=audit_verb,
        user=user,
        request=request,
        obj=stored,
        detail={"from": previous, "to": stored.status, **(detail or {})},
    )
    return stored


def record_delete(*, instance: models.Model, user, request=None) -> None:
    """Move a record to the trash; it can be restored until purged. Refused while a period it is in is frozen."""
    with atomic():
        instance.policy.ensure(user, "change", instance, request=request)
        refusal = instance.refusal_to_trash()
        if refusal:
            raise ValidationError(refusal, code="kept")
        ensure_not_frozen(instance)
        _base_manager(instance).filter(pk=instance.pk).update(
            deleted_at=timezone.now(), deleted_by=user, version=F("version") + 1
        )
        instance.refresh_from_db()
        instance._change_reason = "delete"
        instance.save(update_fields=["deleted_at"])
        audit(AuditAction.DELETE, user=user, request=request, obj=instance)


def record_restore(*, instance: models.Model, user, request=None) -> models.Model:
    """Take a record out of the trash; refused while a period it is in is frozen (a report sent did not count it)."""
    with atomic():
        instance.policy.ensure(user, "change", instance, request=request)
        if instance.deleted_at is None:
            raise ValidationError(_("This record is not in the trash."))
        ensure_not_frozen(instance)
        instance.deleted_at = None
        instance.deleted_by = None
        # A record made since with the same key keeps it (core.models.unique_live): say so rather than fail.
        instance.validate_constraints()
        instance.version += 1
        instance._change_reason = "restore"
        instance.save(update_fields=["deleted_at", "deleted_by", "version"])
        audit(AuditAction.RESTORE, user=user, request=request, obj=instance)
    return instance


def record_purge(*, instance: models.Model, user, reason: str, request=None) -> None:
    """Erase a record in the trash for good, with its history (personal data must be erasable).

    Not refused in a frozen period: a record in the trash is counted by no report (the figures read live records,
    and a record cannot be moved to the trash while its period is frozen), and erasing personal data on request
    cannot wait for a report to be reopened (Decree 13/2023/NĐ-CP, Art. 9 and 16)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for erasing this record.")})
    with atomic():
        instance.policy.ensure(user, "change", instance, request=request)
        if instance.deleted_at is None:
            raise ValidationError(_("Only a record in the trash can be erased."))
        audit(AuditAction.PURGE, user=user, request=request, obj=instance, detail={"reason": reason[:500]})
        pk = instance.pk
        with exempt("the record's scope is checked; its rows go with it"):
            instance.delete()
        # After the delete: deleting writes one more history row, which must go too.
        history = getattr(type(instance), "history", None)
        if history is not None:
            history.model.objects.filter(id=pk).delete()
