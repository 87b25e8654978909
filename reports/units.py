"""Units as registers write them: "Quảng Nam", "Tỉnh ủy Quảng Nam", "UBND tỉnh Quang Nam", "Sở Ngoại vụ Quảng
Nam", "TP. Hồ Chí Minh", with or without diacritics, resolved to the unit that existed in the period (CONTRACT.md,
the register's interface). A province's Party committee, People's Committee and foreign-affairs department report
for the province: the register counts the province."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from core.choices import PROVINCE_KINDS
from core.models import Unit
from core.text import fold_words
from reports.register import existed_in

# Words that name a body of the province before its name, longest first (folded: no diacritics, lower case).
_BODIES = (
    "ban doi ngoai tinh uy",
    "ban doi ngoai thanh uy",
    "uy ban nhan dan",
    "so ngoai vu",
    "tinh uy",
    "thanh uy",
    "ubnd",
    "so ngv",
)
_PLACE_WORDS = ("thanh pho", "tinh", "tp")


def _core_name(text: str) -> str:
    """The province's name in ``text`` without the body and the word for a province or city, folded with spaces."""
    words = fold_words(text)
    changed = True
    while changed:
        changed = False
        for prefix in (*_BODIES, *_PLACE_WORDS):
            if words == prefix:
                break
            if words.startswith(prefix + " "):
                words = words[len(prefix) + 1 :]
                changed = True
    return words.replace(" ", "")


@dataclass(frozen=True)
class Found:
    unit: Unit
    existed: bool


class UnitNames:
    """Province-level units by their folded names and keys, loaded once for a whole file."""

    def __init__(self):
        self.by_name: dict[str, list[Unit]] = {}
        self.by_key: dict[str, Unit] = {}
        provinces = Unit.objects.filter(Q(kind__in=PROVINCE_KINDS), level="province")
        for unit in provinces:
            self.by_key[unit.key] = unit
            for name in {unit.name, unit.full_name}:
                if name:
                    self.by_name.setdefault(_core_name(name), []).append(unit)
        # "TP. HCM", "HCM": the short forms registers use.
        for unit in list(self.by_name.get("hochiminh", [])):
            self.by_name.setdefault("hcm", []).append(unit)

    def find(self, text: str, reporting_period) -> Found | None:
        """The unit ``text`` names in ``reporting_period``: the one that existed then when the name is shared (Hà
        Nội before and after 1 July 2025), else the unit named, marked as not existing then; None if unknown."""
        text = (text or "").strip()
        if not text:
            return None
        unit = self.by_key.get(text.lower())
        candidates = [unit] if unit is not None else self.by_name.get(_core_name(text), [])
        if not candidates:
            return None
        existing = [unit for unit in candidates if existed_in(unit, reporting_period)]
        if existing:
            return Found(existing[0], True)
        return Found(candidates[0], False)

    def names(self) -> list[str]:
        return sorted({unit.name for units in self.by_name.values() for unit in units})
