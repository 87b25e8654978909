"""Global search across every registry, without diacritics or spaces.

Every record keeps a folded ``search_text`` column (core.text.fold), so "quang nam" and "quảng
nam" and "QuangNam" find "Quảng Nam" on SQLite and PostgreSQL alike; on PostgreSQL a pg_trgm GIN
index on that column keeps the substring search fast.
"""

from core.collation import collated
from core.models import Unit
from core.records import record_types
from core.text import fold

PER_GROUP = 10


def search_everything(user, query: str) -> list[tuple[str, list, int]]:
    """Groups of (label, first matches, total) for every registry the user may read."""
    folded = fold(query)
    if not folded:
        return []
    groups = []
    units = collated(
        Unit.objects.restrict(user).filter(search_text__contains=folded).order_by("is_legacy", "level", "name")
    )
    found = list(units.prefetch_related("successors")[:PER_GROUP])
    # A legacy unit is shown with its successors: "quang nam" finds Quảng Nam and Đà Nẵng.
    successors = [s for unit in found if unit.is_legacy for s in unit.successors.all() if s not in found]
    groups.append((str(Unit._meta.verbose_name_plural), found + successors, units.count() + len(successors)))
    for record_type in record_types().values():
        if record_type.model is Unit:
            continue
        rows = collated(record_type.model._default_manager.restrict(user, "view").filter(search_text__contains=folded))
        groups.append((record_type.verbose_name_plural, list(rows[:PER_GROUP]), rows.count()))
    return [group for group in groups if group[2]]
