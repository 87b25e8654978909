"""Synthetic data for tests and benchmarks, deterministic by seed. Grows with each registry: each
app adds a generator to ``GENERATORS``."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from core.choices import UnitKind
from core.indicators import catalogue
from core.models import DeclaredFigure, Unit, UnitSuccession

GENERATORS: list[Callable[..., int]] = []
SCALES = {"province": 1, "national": 34}


def generator(function: Callable[..., int]) -> Callable[..., int]:
    GENERATORS.append(function)
    return function


def ensure_units(rng: random.Random, provinces: int) -> list[Unit]:
    """Current provinces with a legacy predecessor and departments, when no reference data is loaded."""
    existing = list(Unit.objects.filter(level="province", is_legacy=False).order_by("key")[:provinces])
    if len(existing) >= provinces:
        return existing
    made = existing
    for index in range(len(existing), provinces):
        current = Unit(
            key=f"syn-province-{index}",
            name=f"Tỉnh tổng hợp {index}",
            kind=UnitKind.PROVINCE,
            valid_from=dt.date(2025, 7, 1),
        )
        current.save()
        legacy = Unit(
            key=f"syn-province-{index}-legacy",
            name=f"Tỉnh cũ {index}",
            kind=UnitKind.PROVINCE,
            is_legacy=True,
            valid_to=dt.date(2025, 6, 30),
        )
        legacy.save()
        UnitSuccession.objects.create(predecessor=legacy, successor=current, effective_on=dt.date(2025, 7, 1))
        for dept in range(3):
            Unit(
                key=f"syn-province-{index}.dept-{dept}",
                name=f"Sở {dept} tỉnh {index}",
                kind=UnitKind.DEPARTMENT,
                parent=current,
            ).save()
        made.append(current)
    return made


@generator
def declared_figures(rng: random.Random, provinces: list[Unit], years: int, **_) -> int:
    codes = sorted(catalogue())
    rows = []
    last_year = 2025
    for unit in provinces:
        for year in range(last_year - years + 1, last_year + 1):
            for code in codes:
                if rng.random() < 0.5:
                    continue
                rows.append(
                    DeclaredFigure(
                        owner=unit,
                        indicator=code,
                        period=str(year),
                        value=Decimal(rng.randint(0, 500)),
                        source_document=f"Báo cáo năm {year}",
                        search_text=f"{code} {year} baocaonam{year}",
                    )
                )
    DeclaredFigure.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def generate(*, scale: str, years: int, seed: int, log=print) -> dict[str, int]:
    """Build the synthetic set; the same seed gives the same data."""
    rng = random.Random(seed)
    counts = {}
    with transaction.atomic():
        provinces = ensure_units(rng, SCALES[scale])
        for function in GENERATORS:
            counts[function.__name__] = function(rng, provinces=provinces, years=years, seed=seed, log=log)
    for name, count in counts.items():
        log(f"{name}: {count}")
    return counts
