"""Synthetic agreements for tests and benchmarks (core.synthetic), deterministic by seed: for each province
a few agreements a year with the partners of its relationships, in every status of the procedure."""

from __future__ import annotations

import datetime as dt
import random

from agreements.choices import AgreementKind, AgreementStatus, RelationshipEffect, SignatoryLevel
from agreements.models import Agreement
from core.models import Unit
from core.synthetic import generator
from core.text import fold
from partners.models import Relationship

PER_YEAR = 3
LAST_YEAR = 2025
TITLES = {
    AgreementKind.AGREEMENT: "Thỏa thuận hợp tác hữu nghị giữa {unit} và {partner}",
    AgreementKind.MOU: "Biên bản ghi nhớ về hợp tác giữa {unit} và {partner}",
    AgreementKind.HIGH_LEVEL_MINUTES: "Biên bản Hội nghị cấp cao thường niên năm {year} giữa {unit} và {partner}",
    AgreementKind.COOPERATION_PLAN: "Kế hoạch hợp tác giai đoạn {year}-{end} giữa {unit} và {partner}",
}


@generator
def agreements(rng: random.Random, provinces: list[Unit], years: int, seed: int = 0, **_) -> int:
    """About ``PER_YEAR`` agreements a year per province, each with one of the province's partners. Each
    province draws from its own generator, so that the set does not depend on what other generators drew."""
    made = 0
    for province in provinces:
        rng = random.Random(f"agreements:{seed}:{province.key}")
        relationships = list(Relationship.objects.filter(owner=province).select_related("partner").order_by("pk"))
        if not relationships:
            continue
        existing = set(Agreement.all_objects.filter(owner=province).values_list("title", flat=True))
        for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1):
            for _ in range(PER_YEAR):
                relationship = rng.choice(relationships)
                kind = rng.choice(list(TITLES))
                title = TITLES[kind].format(unit=province.name, partner=relationship.partner, year=year, end=year + 4)
                signed_on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                status = rng.choice(
                    [AgreementStatus.IN_FORCE] * 5
                    + [AgreementStatus.SIGNED, AgreementStatus.EXPIRED, AgreementStatus.DRAFT]
                )
                duration = rng.choice([3, 5, None])
                # Every draw happens before this test, so that a second run draws the same sequence.
                if title in existing:
                    continue
                existing.add(title)
                agreement = Agreement(
                    owner=province,
                    title=title,
                    kind=kind,
                    signatory_level=SignatoryLevel.PROVINCIAL,
                    status=status,
                    planned_year=year if status == AgreementStatus.DRAFT else None,
                    signed_on=None if status == AgreementStatus.DRAFT else signed_on,
                    in_force_on=signed_on if status in {AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED} else None,
                    duration_years=duration,
                    relationship=relationship,
                    relationship_effect=(
                        RelationshipEffect.RENEWS
                        if kind == AgreementKind.HIGH_LEVEL_MINUTES
                        else RelationshipEffect.ESTABLISHES
                    ),
                    search_text=fold(title),
                )
                agreement.save()
                agreement.partners.add(relationship.partner)
                made += 1
    return made
