"""The national overview (issue 18, item 7: "the central viewer has no national overview"): a tile for each of
the 34 current provinces with its counts, for the users whose reach is national (the central bodies' roles,
accounts.roles).

What a tile counts is declared by the record types (``RecordType.overview``, core.records), by import in their
app's ``registries.py``: the relationships with foreign partners (partners), the agreements in force and those
signed this year (agreements). Core knows no app: each :class:`Tally` is a condition on the record type's rows,
counted through the policy in one query grouped by the province that owns them. A legacy province's records
count for the current province that succeeded it (Resolution 202/2025/QH15), as the province's own pages count
its predecessors' records. The overview reads a fixed number of queries whatever the number of records: the
provinces, the successions between provinces, and one for each tally.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise

from core.choices import UnitLevel
from core.collation import sort_key


@dataclass(frozen=True, kw_only=True)
class Tally:
    """One count of a province's tile, declared on a record type (``RecordType.overview``).

    ``condition(today)`` is the rows counted (a Q object on the record type's model); ``label`` names them after
    the number and may name the year (``%(year)s``): "signed in %(year)s"."""

    key: str
    label: Promise
    condition: Callable[[dt.date], Q]

    def text(self, today: dt.date) -> str:
        return str(self.label) % {"year": today.year} if "%(year)s" in str(self.label) else str(self.label)


@dataclass
class Tile:
    """A province with its counts, as the overview shows it."""

    unit: object
    counts: list[tuple[str, str, int]]  # (tally key, label, count)


def declared_tallies() -> list[tuple[object, Tally]]:
    """Every declared tally with its record type, in the order the record types were registered."""
    from core.records import record_types

    return [(record_type, tally) for record_type in record_types().values() for tally in record_type.overview]


def _successors(provinces: set[int]) -> dict[int, set[int]]:
    """For each legacy province, the current provinces that succeeded it, through any number of steps."""
    from core.models import UnitSuccession

    steps: dict[int, set[int]] = {}
    pairs = UnitSuccession.objects.filter(
        predecessor__level=UnitLevel.PROVINCE, successor__level=UnitLevel.PROVINCE
    ).values_list("predecessor_id", "successor_id")
    for predecessor, successor in pairs:
        steps.setdefault(predecessor, set()).add(successor)

    def current(unit_id: int, seen: frozenset = frozenset()) -> set[int]:
        if unit_id in provinces:
            return {unit_id}
        found: set[int] = set()
        for successor in steps.get(unit_id, ()):
            if successor not in seen:
                found |= current(successor, seen | {unit_id})
        return found

    return {predecessor: current(predecessor) for predecessor in steps}


@dataclass
class Overview:
    """Every current province's tile, and the national total of each count (each record counted once)."""

    tiles: list[Tile]
    totals: list[tuple[str, int]]


def national_overview(user, *, today: dt.date | None = None) -> Overview:
    """The current provinces, each with the counts of every declared tally among the rows ``user`` may see."""
    from core.models import Unit

    today = today or timezone.localdate()
    # In the order of the Vietnamese alphabet (core.collation): "Đà Nẵng" between "Cần Thơ" and "Gia Lai", where a
    # reader looks for it, not after every other name as a plain comparison of code points puts it.
    provinces = sorted(
        Unit.objects.filter(level=UnitLevel.PROVINCE, is_legacy=False), key=lambda unit: (sort_key(unit.name), unit.key)
    )
    ids = {unit.pk for unit in provinces}
    successors = _successors(ids)
    tallies = declared_tallies()
    counts: list[dict[int, int]] = []
    totals: list[tuple[str, int]] = []
    for record_type, tally in tallies:
        model = record_type.model
        root = f"{model.scope_prefix()}root_id"
        per_root = (
            model._default_manager.restrict(user, "view")
            .filter(tally.condition(today))
            .values(root)
            .annotate(found=Count("pk", distinct=True))
            .order_by()
        )
        found: dict[int, int] = {}
        total = 0
        for row in per_root:
            # A legacy province's records go to its successor; a central body's are no province's.
            provinces_of_row = successors.get(row[root], {row[root]} & ids)
            for province in provinces_of_row:
                found[province] = found.get(province, 0) + row["found"]
            total += row["found"] if provinces_of_row else 0
        counts.append(found)
        totals.append((tally.text(today), total))
    tiles = [
        Tile(
            unit,
            [
                (tally.key, tally.text(today), found.get(unit.pk, 0))
                for (_record_type, tally), found in zip(tallies, counts, strict=True)
            ],
        )
        for unit in provinces
    ]
    return Overview(tiles, totals)
