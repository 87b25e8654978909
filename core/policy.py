"""One policy per record type: who sees and changes what (DESIGN.md, "Where things live").

A policy is declared on its model, by import, as Wagtail declares its permission policies::

    class Contact(RegistryModel):
        policy = OwnedPolicy(personal_fields=("email", "phone", "notes"))

and every surface asks it and nothing else: generic views, API viewsets, FilterSets (every subquery of
a filter), form and serializer choices, related panels, search, exports, jobs, files and the services.

A policy answers three questions from one rule, so that the answers cannot disagree:

- :meth:`Policy.rows`: the rows of a queryset that a user may see or change for an action;
- :meth:`Policy.may`: whether a user may do an action on one record (the same reach as ``rows``, tested on
  the record's unit instead of in SQL);
- :meth:`Policy.masked_fields`: the personal fields a user sees masked on a record (Decree 13/2023/NĐ-CP).

The rule is a *reach* (:class:`core.scope.ScopeSet`): the units whose records the user's roles touch for
an action (accounts.roles). ``rows`` filters on it, ``may`` asks whether it covers the record's unit.

**The tripwire.** Where ``SCOPE_TRIPWIRE`` is on (the test settings), a scoped queryset that is evaluated
while a request or a job is served, and that went through neither a policy nor an explicit
``unrestricted(reason)``, raises :class:`UnscopedQuery`: a list that forgot its scope fails its test
instead of leaking another province's records (as NetBox's ``RestrictedQuerySet`` warns).
"""

from __future__ import annotations

import contextlib
import copy
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.scope import ScopeSet, holds_role_for, scope_for

# Whether the current request or job is watched by the tripwire.
_watching: ContextVar[bool] = ContextVar("policy_tripwire_watching", default=False)

MASK = "•••"


class UnscopedQuery(RuntimeError):
    """A scoped queryset was evaluated without its policy (or an explicit ``unrestricted(reason)``)."""


@contextlib.contextmanager
def watching():
    """The tripwire watches what runs inside (a request, a job), where the settings turn it on."""
    token = _watching.set(bool(getattr(settings, "SCOPE_TRIPWIRE", False)))
    try:
        yield
    finally:
        _watching.reset(token)


@contextlib.contextmanager
def exempt(reason: str):
    """Work that must see every row whatever the user's scope, named by ``reason``: Django's own uniqueness
    checks (a key is unique across every unit), the deletion of a record whose scope was checked."""
    if not reason:
        raise ValueError("an exemption from the policy needs a reason")
    token = _watching.set(False)
    try:
        yield
    finally:
        _watching.reset(token)


def trip(queryset) -> None:
    """Raise :class:`UnscopedQuery` when ``queryset`` is evaluated unchecked while the tripwire watches."""
    if _watching.get() and queryset.policy_reason is None:
        raise UnscopedQuery(
            f"{queryset.model._meta.label} was queried without its policy: "
            f"use .restrict(user, action) or .unrestricted(reason)"
        )


class Policy:
    """The rules of one model. A subclass says how far a user reaches for an action (:meth:`reach`);
    :meth:`rows` and :meth:`may` both follow from it.

    ``personal_fields`` are masked for users who may neither change the record nor see personal data
    of its unit, and every unmasked view of them is audited (Decree 13/2023/NĐ-CP, Art. 26-27).
    """

    # A shared record (the partner catalogue) is read by everyone who holds a role; it says so here, and a
    # verb on it must not change another unit's private records (partners.services.partner_merge).
    shared = False
    # Whether the tripwire watches the model's queries: not where every signed-in user reads every row.
    watched = True

    def __init__(self, *, personal_fields: tuple[str, ...] = ()):
        self.personal_fields = tuple(personal_fields)
        self.model = None
        self._bound: dict[type, Policy] = {}

    def __get__(self, instance, owner) -> Policy:
        # A policy declared on a base class (RegistryModel) serves every concrete model with its own copy.
        if owner is None or owner is self.model:
            return self
        bound = self._bound.get(owner)
        if bound is None:
            bound = copy.copy(self)
            bound.model, bound._bound = owner, {}
            self._bound[owner] = bound
        return bound

    # The rule ---------------------------------------------------------------------------------------------

    def reach(self, user, action: str) -> ScopeSet:
        """The units whose records ``user`` may ``action`` (view, change, approve, view_personal)."""
        return scope_for(user, action)

    @property
    def prefix(self) -> str | None:
        """The lookup from the model to the unit that owns its rows (``owner__``); None for reference data."""
        return self.model.scope_prefix()

    def unit_of(self, record):
        return record.scope_unit()

    # The answers ------------------------------------------------------------------------------------------

    def rows(self, user, action: str = "view", queryset=None):
        """The rows of ``queryset`` (by default every live row) that ``user`` may ``action``."""
        if queryset is None:
            queryset = self.model._default_manager.all()
        reach = self.reach(user, action)
        if reach.everything:
            found = queryset.all()
        elif reach.empty or self.prefix is None:
            found = queryset.none()
        else:
            found = queryset.filter(reach.q(self.prefix))
        return found.checked(f"policy: {action}")

    def may(self, user, action: str, record) -> bool:
        """Whether ``user`` may ``action`` ``record``: the reach of :meth:`rows`, tested on the record's unit."""
        return self.reach(user, action).covers(self.unit_of(record))

    def ensure(self, user, action: str, record, *, request=None) -> None:
        """Refuse ``action`` on ``record`` with PermissionDenied unless :meth:`may`; the refusal is audited
        (durably: the entry outlives the transaction that the refusal rolls back)."""
        if self.may(user, action, record):
            return
        from core.audit import audit_refusal

        audit_refusal(user=user, request=request, obj=record, action=action)
        message = (
            _("You may not change records of this unit.")
            if action == "change"
            else _("You may not do this for records of this unit.")
        )
        denied = PermissionDenied(message)
        denied.audited = True  # the entry above; the middleware must not write a second one
        raise denied

    def sees_personal(self, user, record) -> bool:
        """Whether ``user`` sees ``record``'s personal fields unmasked: those who change the unit's records and
        the personal-data officers who reach it (Decree 13/2023/NĐ-CP, Art. 26-27)."""
        return self.may(user, "change", record) or self.may(user, "view_personal", record)

    def masked_fields(self, user, record) -> set[str]:
        """The personal fields of ``record`` that ``user`` sees as :data:`MASK`."""
        if not self.personal_fields or self.sees_personal(user, record):
            return set()
        return set(self.personal_fields)

    def shown(self, user, record, name: str, value):
        """``value`` of the field ``name`` of ``record`` as ``user`` may see it: masked where it is personal data
        the user may not see (an empty value stays empty, so the mask says nothing about absent data)."""
        if value in (None, "") or name not in self.personal_fields or self.sees_personal(user, record):
            return value
        return MASK

    def audit_personal_views(self, user, records, *, request=None, surface: str, operator: str = "") -> None:
        """Write one audit entry for the records among ``records`` whose personal data ``user`` was shown
        unmasked, on any surface: a page, a list, an export, the API, a command (Decree 13/2023/NĐ-CP, Art. 27:
        processing of personal data is logged). ``operator`` names a server command, which shows every row."""
        if not self.personal_fields:
            return
        records = list(records)
        shown = [
            record.pk
            for record in records
            if any(getattr(record, name) for name in self.personal_fields)
            and (operator or self.sees_personal(user, record))
        ]
        if not shown:
            return
        from core.audit import audit
        from core.choices import AuditAction

        single = records[0] if len(records) == 1 else None
        audit(
            AuditAction.VIEW_PERSONAL,
            user=user,
            username=operator,
            request=request,
            obj=single,
            detail={
                "model": self.model._meta.label_lower,
                "surface": surface,
                "records": shown[:1000],
                "count": len(shown),
            },
        )


class OwnedPolicy(Policy):
    """Records owned by a unit (``owner``), or rows of such a record (``scope_parent``): seen and changed
    within the reach of the user's roles for that unit."""


class SharedCataloguePolicy(Policy):
    """A catalogue shared by every unit (foreign partners, their spellings): read by everyone who holds a role
    anywhere, changed within its owner unit's reach and by reference managers (issue 3)."""

    shared = True
    watched = False

    def reach(self, user, action: str) -> ScopeSet:
        if action == "view":
            return ScopeSet(everything=holds_role_for(user, "view"))
        if action == "change" and scope_for(user, "manage_reference").everything:
            return ScopeSet(everything=True)
        return scope_for(user, action)


class ReferencePolicy(Policy):
    """Reference data (countries, subdivisions, fields, currencies): read by every signed-in user, changed by
    reference managers."""

    watched = False

    def reach(self, user, action: str) -> ScopeSet:
        if action == "view":
            return ScopeSet(everything=bool(getattr(user, "is_authenticated", False)))
        return ScopeSet(everything=scope_for(user, "manage_reference").everything)


class UnitPolicy(Policy):
    """Vietnamese units: read by every signed-in user. Provinces, communes and central bodies are changed by
    reference managers; organisations (departments, associations) also by those who change records of the
    unit above them."""

    watched = False

    def reach(self, user, action: str) -> ScopeSet:
        if action == "view":
            return ScopeSet(everything=bool(getattr(user, "is_authenticated", False)))
        if scope_for(user, "manage_reference").everything:
            return ScopeSet(everything=True)
        return scope_for(user, action) if action == "change" else ScopeSet()

    def rows(self, user, action: str = "view", queryset=None):
        from core.choices import ORGANISATION_KINDS

        if queryset is None:
            queryset = self.model._default_manager.all()
        reach = self.reach(user, action)
        if reach.everything:
            return queryset.all().checked(f"policy: {action}")
        return queryset.filter(reach.q(""), kind__in=ORGANISATION_KINDS).checked(f"policy: {action}")

    def may(self, user, action: str, record) -> bool:
        from core.choices import ORGANISATION_KINDS

        reach = self.reach(user, action)
        if reach.everything:
            return True
        # A new organisation is placed under a parent: the parent must be within reach.
        return record.kind in ORGANISATION_KINDS and reach.covers(record if record.pk else record.parent)
