"""Writing and verifying the hash-chained audit log."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, transaction

from core.models import AuditEntry
from core.network import client_ip

_GENESIS = "0" * 64
# Arbitrary constant naming the PostgreSQL advisory lock that serialises appends to the chain.
_PG_LOCK_ID = 7_020_2020


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


# Refusals met inside a verb's transaction, written when it ends: the refusal rolls the transaction back,
# and the entry must outlive it (issue 17: "refusals are audited for real").
_refusals: ContextVar[list | None] = ContextVar("audit_pending_refusals", default=None)


@contextlib.contextmanager
def atomic():
    """``transaction.atomic()`` for service verbs: a refusal audited inside it (:func:`audit_refusal`) is
    written after it ends, so that the entry is not rolled back with the refused work."""
    outermost = _refusals.get() is None
    token = _refusals.set([]) if outermost else None
    try:
        with transaction.atomic():
            yield
    finally:
        if outermost:
            pending = _refusals.get()
            _refusals.reset(token)
            for entry in pending:
                audit(**entry)


def audit_refusal(*, user, request=None, obj=None, action: str = "change") -> None:
    """Audit a permission refusal on ``obj``: at once outside a verb's transaction, else when it ends."""
    from core.choices import AuditAction

    entry = {
        "user": user,
        "request": request,
        "obj": obj if obj is not None and obj.pk is not None else None,
        "unit": obj.scope_unit() if obj is not None and hasattr(obj, "scope_unit") else None,
        "detail": {"model": obj._meta.label_lower if obj is not None else "", "action": action},
    }
    pending = _refusals.get()
    if pending is None:
        audit(AuditAction.DENIED, **entry)
    else:
        pending.append({"action": AuditAction.DENIED, **entry})


@dataclass(frozen=True)
class ChainReport:
    """What :func:`verify_chain` found: the entries checked, the first broken link if any, the chain's last entry,
    and, when a head was expected, where it was found."""

    checked: int
    broken_at: int | None = None
    reason: str = ""
    last_id: int | None = None
    last_hash: str = ""
    expected_head: str = ""
    expected_id: int | None = None
    # The id of the entry with the expected hash (None: not in the log), and how many entries follow it.
    head_id: int | None = None
    after_head: int = 0

    @property
    def truncated(self) -> bool:
        """The log no longer holds the expected head where it was recorded: entries were removed from its end
        (a chain cut at its end still links up, so only a head recorded elsewhere reveals the cut)."""
        if not self.expected_head or self.broken_at is not None:
            return False
        return self.head_id is None or (self.expected_id is not None and self.head_id != self.expected_id)

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.truncated


def verify_chain(batch_size: int = 2000, *, expect_head: str = "", expect_id: int | None = None) -> ChainReport:
    """Recompute every entry's hash and link; report the first entry that does not match.

    ``expect_head`` is a hash recorded earlier as the chain's head (a backup's manifest, the log of a past
    check), ``expect_id`` optionally the id of its entry. The log is append-only, so it must still hold that
    entry, at that id; the entries written since follow it (``after_head``).
    """
    previous = _GENESIS
    checked = 0
    last_id = None
    head_id = None
    after_head = 0
    expected = {"expected_head": expect_head, "expected_id": expect_id}
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        checked += 1
        if entry.prev_hash != previous:
            return ChainReport(checked, entry.pk, "link to the previous entry is broken", **expected)
        if entry.compute_hash() != entry.hash:
            return ChainReport(checked, entry.pk, "content does not match its hash", **expected)
        previous = entry.hash
        last_id = entry.pk
        if head_id is not None:
            after_head += 1
        elif expect_head and entry.hash == expect_head:
            head_id = entry.pk
    return ChainReport(
        checked,
        last_id=last_id,
        last_hash=previous if last_id is not None else "",
        head_id=head_id,
        after_head=after_head,
        **expected,
    )
