"""The one gate for scope: which records a user may see or change.

``ScopedQuerySet.restrict(user, action)`` is the only place that turns a user's memberships into a
filter. Base views, API viewsets, form choice fields and the post-save check call it; domain code
never tests ``request.user`` itself (DESIGN.md, "Scope is enforced in one place").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from accounts.roles import CAPABILITIES, Reach


@dataclass(frozen=True)
class ScopeSet:
    """The units a user reaches for one action: everything, or a set of root units and unit ids."""

    everything: bool = False
    roots: frozenset[int] = field(default_factory=frozenset)
    units: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.roots or self.units)

    def q(self, prefix: str) -> Q:
        """A Q object on the unit reached through ``prefix`` (``"owner__"`` or ``""`` for a Unit)."""
        if self.everything:
            return Q()
        if self.empty:
            return Q(pk__in=[])
        condition = Q()
        if self.roots:
            condition |= Q(**{f"{prefix}root_id__in": sorted(self.roots)})
        if self.units:
            condition |= Q(**{f"{prefix}{'pk' if not prefix else 'id'}__in": sorted(self.units)})
        return condition

    def covers(self, unit) -> bool:
        if self.everything:
            return True
        return unit is not None and (unit.root_id in self.roots or unit.pk in self.units)


def _predecessor_closure(unit_ids: set[int]) -> set[int]:
    """The units and, transitively, every unit they succeeded."""
    from core.models import UnitSuccession

    found, frontier = set(unit_ids), set(unit_ids)
    while frontier:
        frontier = (
            set(UnitSuccession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True))
            - found
        )
        found |= frontier
    return found


def _subtree(unit_ids: set[int]) -> set[int]:
    from core.models import Unit

    found, frontier = set(unit_ids), set(unit_ids)
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def scope_for(user, action: str) -> ScopeSet:
    """Compute (and cache on the user object for the request) the units ``user`` reaches for ``action``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ScopeSet()
    cache = user.__dict__.setdefault("_scope_cache", {})
    if action in cache:
        return cache[action]
    if user.is_superuser:
        cache[action] = ScopeSet(everything=True)
        return cache[action]
    roots: set[int] = set()
    units: set[int] = set()
    everything = False
    for membership in user.active_memberships():
        reach = CAPABILITIES.get(membership.role, {}).get(action)
        if reach is Reach.ALL:
            everything = True
        elif reach is Reach.PROVINCE:
            roots |= _predecessor_closure({membership.unit.root_id or membership.unit_id})
        elif reach is Reach.UNIT:
            units |= _subtree(_predecessor_closure({membership.unit_id}))
    result = ScopeSet(everything=True) if everything else ScopeSet(roots=frozenset(roots), units=frozenset(units))
    cache[action] = result
    return result


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships change."""
    user.__dict__.pop("_scope_cache", None)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which unit owns each row (``scope_field``) and filters by the gate."""

    def restrict(self, user, action: str = "view") -> ScopedQuerySet:
        """Rows of this queryset that ``user`` may ``action`` (view, change, approve, view_personal)."""
        prefix = self.model.scope_prefix()
        if prefix is None:
            # Reference data: readable by every signed-in user, changed by reference managers.
            if action == "view":
                return self.all() if getattr(user, "is_authenticated", False) else self.none()
            return self.all() if scope_for(user, "manage_reference").everything else self.none()
        if getattr(self.model, "scope_shared_reads", False):
            # A shared catalogue (foreign partners): read by everyone who holds a role anywhere, changed
            # within its owner's scope and by reference managers.
            if action == "view":
                return self.none() if scope_for(user, "view").empty else self.all()
            if action == "change" and scope_for(user, "manage_reference").everything:
                return self.all()
        return self.filter(scope_for(user, action).q(prefix))


def may_see_personal(user, unit) -> bool:
    """Whether ``user`` sees the personal data of records owned by ``unit`` unmasked: those who change the
    unit's records and the personal-data officers who reach it (Decree 13/2023/NĐ-CP, Art. 26-27)."""
    return scope_for(user, "change").covers(unit) or scope_for(user, "view_personal").covers(unit)
