"""Writing and verifying the hash-chained audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from core.models import AuditEntry

_GENESIS = "0" * 64
# Arbitrary constant naming the PostgreSQL advisory lock that serialises appends to the chain.
_PG_LOCK_ID = 7_020_2020


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(
    action: str,
    *,
    user=None,
    request=None,
    obj=None,
    verb: str = "",
    unit=None,
    detail: dict | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the audit log, chained to the previous entry by hash.

    Appends are serialised: an advisory lock on PostgreSQL, the IMMEDIATE write lock on SQLite.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None and unit is None:
        unit = obj.scope_unit() if hasattr(obj, "scope_unit") else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            user=user,
            username=(user.get_username() if user else username)[:150],
            action=action,
            verb=verb[:80],
            model=obj._meta.label_lower if obj is not None else "",
            object_pk=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:255] if obj is not None else "",
            unit=unit,
            ip=client_ip(request),
            detail=detail or {},
            prev_hash=last or _GENESIS,
        )
        entry.hash = entry.compute_hash()
        entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Recompute every entry's hash and link; report the first entry that does not match."""
    previous = _GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        checked += 1
        if entry.prev_hash != previous:
            return ChainReport(checked, entry.pk, "link to the previous entry is broken")
        if entry.compute_hash() != entry.hash:
            return ChainReport(checked, entry.pk, "content does not match its hash")
        previous = entry.hash
    return ChainReport(checked)
