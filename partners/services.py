"""Verbs on partners and relationships: record a relationship's status with its date, merge two
partners, add a spelling. Each runs in a transaction, checks scope through core's gate, and writes one
audit entry (DESIGN.md, "Verbs with side effects")."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import atomic, audit
from core.choices import AuditAction, DatePrecision
from core.services import VersionConflict, record_create, record_save_verb, record_update, reread
from core.text import fold
from partners.choices import AliasLanguage
from partners.models import Partner, PartnerAlias, Relationship, RelationshipStatusChange


def _latest_status(relationship: Relationship, *, before: RelationshipStatusChange | None = None):
    entries = relationship.status_history.order_by("-on", "-pk")
    if before is not None:
        entries = entries.exclude(pk=before.pk)
    return entries.first()


def _refuse_backwards(relationship: Relationship, on: dt.date, *, field: str, ignoring=None) -> None:
    """A relationship's history moves forward: a step cannot be dated before the step it follows."""
    latest = _latest_status(relationship, before=ignoring)
    if latest is not None and on < latest.on:
        raise ValidationError(
            {
                field: _(
                    "A status change cannot be dated before the previous one (%(status)s from %(date)s): "
                    "the status history must move forward in time."
                )
                % {"status": latest.get_status_display(), "date": latest.on.strftime("%d/%m/%Y")}
            }
        )


def _append_status(relationship, *, user, **step) -> RelationshipStatusChange:
    """Add a dated step (``status``, ``on``, ``precision``, and a ``note`` and ``source`` if known) to the
    relationship's history."""
    entry = RelationshipStatusChange(relationship=relationship, created_by=user, updated_by=user, **step)
    entry.full_clean(exclude=["relationship"])
    entry.save()
    return entry


def relationship_create(
    *, instance: Relationship, user, request=None, m2m: dict | None = None, children=()
) -> Relationship:
    """Create a relationship; its status and date open its status history."""
    with atomic():
        instance.status_since = instance.status_since or timezone.localdate()
        record_create(instance=instance, user=user, request=request, m2m=m2m, children=children)
        _append_status(
            instance, user=user, status=instance.status, on=instance.status_since, precision=DatePrecision.DAY
        )
    return instance


def relationship_update(
    *, instance: Relationship, user, expected_version: int, request=None, m2m: dict | None = None, children=()
) -> Relationship:
    """Save a relationship. A new status is a new dated step of its history; a new date for the same
    status corrects the date of the latest step. Neither may go back before the step before it."""
    with atomic():
        stored = reread(instance)
        latest = _latest_status(stored)
        new_status = instance.status != stored.status or latest is None
        instance.status_since = instance.status_since or (timezone.localdate() if new_status else stored.status_since)
        if new_status:
            _refuse_backwards(stored, instance.status_since, field="status_since")
        elif instance.status_since != stored.status_since:
            _refuse_backwards(stored, instance.status_since, field="status_since", ignoring=latest)
        record_update(
            instance=instance, user=user, expected_version=expected_version, request=request, m2m=m2m, children=children
        )
        if new_status:
            _append_status(
                instance, user=user, status=instance.status, on=instance.status_since, precision=DatePrecision.DAY
            )
        elif instance.status_since != latest.on:
            latest.on = instance.status_since
            latest.precision = DatePrecision.DAY
            latest.updated_by = user
            latest.save()
    return instance


def relationship_change_status(
    *,
    relationship: Relationship,
    user,
    status: str,
    on: dt.date,
    precision: str = DatePrecision.DAY,
    note: str = "",
    source: str = "",
    request=None,
) -> RelationshipStatusChange:
    """Record the next step of a relationship's status (goodwill exchanged, established, dormant...), dated.

    The step becomes the relationship's current status; a step dated before the latest one is refused.
    """
    with atomic():
        relationship.policy.ensure(user, "change", relationship, request=request)
        if status not in dict(Relationship._meta.get_field("status").choices):
            raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": str(status)[:40]}})
        _refuse_backwards(relationship, on, field="on")
        bumped = Relationship.all_objects.filter(pk=relationship.pk, version=relationship.version).update(
            status=status, status_since=on, version=F("version") + 1, updated_at=timezone.now(), updated_by=user
        )
        if not bumped:
            raise VersionConflict(reread(relationship))
        entry = _append_status(
            relationship, user=user, status=status, on=on, precision=precision, note=note, source=source
        )
        relationship.refresh_from_db()
        relationship._change_reason = "status"
        relationship.save(update_fields=["status"])  # one history row for the relationship itself
        audit(
            AuditAction.VERB,
            verb="relationship_change_status",
            user=user,
            request=request,
            obj=relationship,
            detail={"status": status, "on": on.isoformat()},
        )
    return entry


def partner_add_alias(
    *, partner: Partner, user, name: str, source: str = "", language: str = AliasLanguage.VIETNAMESE, request=None
) -> PartnerAlias | None:
    """Add a spelling met in a document to a partner; a spelling it already has is not added twice.

    A spelling that belongs to another partner is refused (the two may be one partner: merge them)."""
    with atomic():
        partner.policy.ensure(user, "change", partner, request=request)
        if fold(name)[:255] in known_spellings(partner):
            return None
        alias = PartnerAlias(
            partner=partner, name=name, source=source, language=language, created_by=user, updated_by=user
        )
        alias.full_clean()
        alias.save()
        Partner.all_objects.filter(pk=partner.pk).update(search_text=partner.build_search_text())
        audit(
            AuditAction.VERB,
            verb="partner_add_alias",
            user=user,
            request=request,
            obj=partner,
            detail={"alias": name[:200]},
        )
    return alias


def known_spellings(partner: Partner) -> set[str]:
    """Every folded spelling of a partner: its names and its aliases."""
    return {fold(name)[:255] for name in partner.names()} | set(partner.aliases.values_list("folded", flat=True))


def _links_to(partner: Partner):
    """Every foreign key and many-to-many that points at a partner, from every app (agreements' parties
    later): (model, field name, many_to_many)."""
    for relation in Partner._meta.related_objects:
        if relation.related_model in {PartnerAlias, Relationship} or relation.field.name == "merged_into":
            continue
        yield relation.related_model, relation.field.name, relation.many_to_many


def _rows_linking(model, name: str, partner: Partner):
    """Every row of ``model`` whose ``name`` points at ``partner``, in the trash too, whatever its unit: a merge
    must know them all before it may move any."""
    manager = getattr(model, "all_objects", model._default_manager)
    rows = manager.filter(**{name: partner})
    return rows.unrestricted("a merge weighs every link to the partner") if hasattr(rows, "unrestricted") else rows


def _refuse_foreign_links(*, remove: Partner, user) -> None:
    """The partner catalogue is shared, but the records that point at it are their units' own: a merge moves
    only links the user may change, so a partner that another unit's records point at is not merged by this
    user (issue 17: "a verb on a shared record never changes another unit's private records")."""
    links = [(Relationship, "partner")] + [(model, name) for model, name, _many in _links_to(remove)]
    foreign = set()
    for model, name in links:
        for row in _rows_linking(model, name, remove):
            if model is not Partner and not row.policy.may(user, "change", row):
                foreign.add(str(row.scope_unit()))
    if foreign:
        raise ValidationError(
            _(
                "Records of other units point at “%(partner)s” (%(units)s): they keep it until those units move "
                "them, or a user who may change their records merges it."
            )
            % {"partner": remove, "units": ", ".join(sorted(foreign))}
        )


def _move_relationships(*, keep: Partner, remove: Partner, user) -> int:
    """Relationships move to the partner kept. Where the unit already has one of the same kind with it,
    the two become one: the timeline and the status steps join the kept relationship, the other goes
    to the trash."""
    moved = 0
    for relationship in _rows_linking(Relationship, "partner", remove):
        twins = Relationship.objects.unrestricted("the unit's own twin, in the scope checked for the merge")
        twin = twins.filter(owner=relationship.owner_id, partner=keep, kind=relationship.kind).first()
        if twin is None or relationship.deleted_at is not None:
            relationship.partner = keep
            relationship._change_reason = "merge"
            relationship.save()
            moved += 1
            continue
        for interaction in relationship.interactions.unrestricted("the timeline of a relationship being merged"):
            interaction.relationship = twin
            interaction._change_reason = "merge"
            interaction.save()
        relationship.status_history.update(relationship=twin)
        latest = _latest_status(twin)
        Relationship.all_objects.filter(pk=twin.pk).update(
            status=latest.status if latest else twin.status,
            status_since=latest.on if latest else twin.status_since,
            version=F("version") + 1,
        )
        twin.fields.add(*relationship.fields.all())
        relationship.deleted_at, relationship.deleted_by = timezone.now(), user
        relationship._change_reason = "merge"
        relationship.save()
        moved += 1
    return moved


def partner_merge(*, keep: Partner, remove: Partner, user, request=None) -> Partner:
    """Merge ``remove`` into ``keep``: every link (relationships, contacts, partners within it, and the
    links of later apps) moves to ``keep``; ``remove``'s names and spellings become ``keep``'s
    spellings; ``remove`` goes to the trash marked as merged. Audited; every moved row keeps a history
    entry with the reason "merge"."""
    if keep.pk == remove.pk:
        raise ValidationError(_("A partner cannot be merged into itself."))
    with atomic():
        keep = reread(keep)
        remove = reread(remove)
        for partner in (keep, remove):
            partner.policy.ensure(user, "change", partner, request=request)
            if partner.deleted_at is not None:
                raise ValidationError(_("“%(partner)s” is in the trash; restore it first.") % {"partner": partner})
        _refuse_foreign_links(remove=remove, user=user)
        counts = {"relationships": _move_relationships(keep=keep, remove=remove, user=user)}
        for model, name, many in _links_to(remove):
            rows = list(_rows_linking(model, name, remove))
            for row in rows:
                if many:
                    getattr(row, name).remove(remove)
                    getattr(row, name).add(keep)
                    continue
                # The kept partner itself may lie in the removed one: it takes the removed one's place.
                is_kept = model is Partner and row.pk == keep.pk
                setattr(row, name, remove.parent if is_kept else keep)
                row._change_reason = "merge"
                row.save()
            counts[model._meta.model_name] = counts.get(model._meta.model_name, 0) + len(rows)
        known = known_spellings(keep)
        source = _("merged from “%(partner)s”") % {"partner": remove}
        spellings = [(name, source, AliasLanguage.OTHER) for name in remove.names()]
        spellings += [(alias.name, alias.source, alias.language) for alias in remove.aliases.all()]
        remove.aliases.all().delete()
        for name, where, language in spellings:
            if fold(name) and fold(name)[:255] not in known:
                known.add(fold(name)[:255])
                PartnerAlias(
                    partner=keep, name=name, source=where[:255], language=language, created_by=user, updated_by=user
                ).save()
        remove.merged_into = keep
        remove.deleted_at, remove.deleted_by = timezone.now(), user
        remove.version += 1
        remove._change_reason = "merge"
        remove.save()
        detail = {"kept": keep.pk, "removed": remove.pk, "removed_name": str(remove), "moved": counts}
        record_save_verb(keep, user=user, verb="partner_merge", reason="merge", request=request, detail=detail)
    return keep
