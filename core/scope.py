"""Scope: the units a user's memberships reach for each action, and the queryset that asks a policy.

:func:`scope_for` is the only place that turns a user's memberships into units (accounts.roles). Each
model's policy (core.policy) turns that reach into rows and answers; ``ScopedQuerySet.restrict`` asks it.
Domain code never tests ``request.user`` itself (DESIGN.md, "Where things live").
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


def scope_for(user, action: str, *, own: bool = False) -> ScopeSet:
    """Compute (and cache on the user object for the request) the units ``user`` reaches for ``action``.

    ``own``: a reach over every unit (a central body's roles) counts only for the membership's own body and what
    is under it, as a province's roles count for the province: a province's report is read there while it is
    being written, and by every central body once sent (reports.policy)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ScopeSet()
    cache = user.__dict__.setdefault("_scope_cache", {})
    key = (action, "own") if own else action
    if key in cache:
        return cache[key]
    if user.is_superuser:
        cache[key] = ScopeSet(everything=True)
        return cache[key]
    roots: set[int] = set()
    units: set[int] = set()
    everything = False
    for membership in user.active_memberships():
        reach = CAPABILITIES.get(membership.role, {}).get(action)
        if reach is Reach.ALL and own:
            reach = Reach.PROVINCE
        if reach is Reach.ALL:
            everything = True
        elif reach is Reach.PROVINCE:
            roots |= _predecessor_closure({membership.unit.root_id or membership.unit_id})
        elif reach is Reach.UNIT:
            units |= _subtree(_predecessor_closure({membership.unit_id}))
    result = ScopeSet(everything=True) if everything else ScopeSet(roots=frozenset(roots), units=frozenset(units))
    cache[key] = result
    return result


def holds_role_for(user, action: str) -> bool:
    """Whether ``user`` reaches any unit for ``action``: the answer of ``not scope_for(user, action).empty``
    without walking predecessors and subtrees (the shared catalogue asks only this on every read)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = user.__dict__.get("_scope_cache", {}).get(action)
    if cached is not None:
        return not cached.empty
    return user.is_superuser or any(
        CAPABILITIES.get(membership.role, {}).get(action) is not None for membership in user.active_memberships()
    )


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships change."""
    user.__dict__.pop("_scope_cache", None)


class ScopedQuerySet(models.QuerySet):
    """A queryset of a model whose rows belong to units: its policy (core.policy) says which a user may see.

    ``restrict(user, action)`` asks the model's policy; ``unrestricted(reason)`` says why a query must see every
    row (a uniqueness check, a national aggregate). Evaluated with neither while the tripwire watches (tests), it
    raises :class:`core.policy.UnscopedQuery`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy_reason: str | None = None

    def _clone(self):
        clone = super()._clone()
        clone.policy_reason = self.policy_reason
        return clone

    def checked(self, reason: str) -> ScopedQuerySet:
        """This queryset, marked as having been through a policy (``reason`` says which answer)."""
        clone = self._chain()
        clone.policy_reason = reason
        return clone

    def restrict(self, user, action: str = "view") -> ScopedQuerySet:
        """Rows of this queryset that ``user`` may ``action`` (view, change, approve, view_personal): the
        model's policy answers."""
        return self.model.policy.rows(user, action, self)

    def unrestricted(self, reason: str) -> ScopedQuerySet:
        """Every row, whatever the user: for work that is not done on a user's behalf or must see all rows
        (a key unique across units, a merge's links), with the reason written where it is asked."""
        if not reason:
            raise ValueError("unrestricted() needs a reason")
        return self.checked(f"unrestricted: {reason}")

    # The tripwire (core.policy): every way a queryset reaches the database.
    def _fetch_all(self):
        if self._result_cache is None:
            _trip(self)
        super()._fetch_all()

    def count(self):
        if self._result_cache is None:
            _trip(self)
        return super().count()

    def exists(self):
        if self._result_cache is None:
            _trip(self)
        return super().exists()

    def aggregate(self, *args, **kwargs):
        _trip(self)
        return super().aggregate(*args, **kwargs)

    def iterator(self, *args, **kwargs):
        _trip(self)
        return super().iterator(*args, **kwargs)

    def resolve_expression(self, *args, **kwargs):
        # Used as a subquery of another query (``pk__in=Relationship.objects...``): a filter's subquery too.
        _trip(self)
        return super().resolve_expression(*args, **kwargs)


def _trip(queryset) -> None:
    if queryset.model.policy.watched:
        from core.policy import trip

        trip(queryset)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """The manager of scoped models. A query that follows a foreign key from a record already in hand
    (``interaction.relationship``) is not a new list: it is marked as checked by the record it starts from."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self._hints.get("instance") is not None:
            queryset.policy_reason = "followed from a record in hand"
        elif getattr(getattr(self, "field", None), "name", None) == self.model.scope_parent:
            # A related manager from a parent to its own rows (an agreement's documents): in the parent's scope.
            queryset.policy_reason = "rows of the record in hand"
        return queryset
