"""Synthetic partners and relationships for tests and benchmarks (core.synthetic), deterministic by seed.

Names are built from syllables of each country's language, written the way Vietnamese documents write
them: a Vietnamese name with its generic word ("tỉnh", "thành phố"), an English name with its own ("Province",
"City"), and aliases met in documents (the name with its country in parentheses, a Vietnamese
transliteration, a typo). The bulk inserts bypass ``save()``, so the folded columns are filled here.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify
from unidecode import unidecode

from core.models import Country, Unit
from core.synthetic import generator
from core.text import fold
from partners.choices import LocalityLevel, PartnerKind, RelationshipKind, RelationshipStatus
from partners.models import Partner, PartnerAlias, Relationship, RelationshipStatusChange

# About 5,000 partners at national scale (34 provinces), about 150 for one province.
PARTNERS_PER_PROVINCE = 147
RELATIONSHIPS_PER_PROVINCE = (4, 10)
KEY_PREFIX = "syn-"

# Countries the provinces work with, with their names when no reference data is loaded, and how often
# they appear (Laos, Cambodia, China, Korea and Japan dominate the documents).
COUNTRIES = {
    "LA": ("Laos", "Lào", 14),
    "KH": ("Cambodia", "Campuchia", 8),
    "CN": ("China", "Trung Quốc", 12),
    "KR": ("South Korea", "Hàn Quốc", 16),
    "JP": ("Japan", "Nhật Bản", 14),
    "TH": ("Thailand", "Thái Lan", 7),
    "FR": ("France", "Pháp", 7),
    "DE": ("Germany", "Đức", 6),
    "US": ("United States", "Hoa Kỳ", 6),
    "RU": ("Russia", "Nga", 5),
    "HU": ("Hungary", "Hungary", 2),
    "PL": ("Poland", "Ba Lan", 2),
    "AU": ("Australia", "Úc", 3),
    "BY": ("Belarus", "Belarus", 2),
}

# Syllables of place names in each country's style (partners/synthetic_names.json).
NAME_PARTS = json.loads((Path(__file__).resolve().parent / "synthetic_names.json").read_text(encoding="utf-8"))

# The local and Vietnamese generic words of each level, by country.
LEVEL_WORDS = {
    "KR": {"province": ("-do", "tỉnh"), "city": (" City", "thành phố"), "district": ("-gu", "quận")},
    "JP": {"province": (" Prefecture", "tỉnh"), "city": (" City", "thành phố"), "district": (" Ward", "quận")},
    "CN": {"province": (" Province", "tỉnh"), "city": (" City", "thành phố"), "district": (" County", "huyện")},
    "LA": {"province": (" Province", "tỉnh"), "city": (" City", "thành phố"), "district": (" District", "huyện")},
    "KH": {"province": (" Province", "tỉnh"), "city": (" City", "thành phố"), "district": (" District", "huyện")},
    "TH": {"province": (" Province", "tỉnh"), "city": (" City", "thành phố"), "district": (" District", "huyện")},
    "FR": {"province": (" (département)", "tỉnh"), "city": ("", "thành phố"), "district": (" (canton)", "quận")},
    "DE": {"province": (" District", "huyện"), "city": ("", "thành phố"), "district": (" (Ortsteil)", "quận")},
    "US": {"province": (" County", "hạt"), "city": (" City", "thành phố"), "district": (" Township", "thị trấn")},
    "RU": {"province": (" Oblast", "tỉnh"), "city": ("", "thành phố"), "district": (" Raion", "huyện")},
}
DEFAULT_LEVEL_WORDS = {"province": (" Region", "vùng"), "city": ("", "thành phố"), "district": (" District", "huyện")}

# Organisations: English pattern, Vietnamese pattern ({name} is the place the organisation is from).
ORGANISATIONS = [
    (PartnerKind.COMPANY, "{name} Industrial Corporation", "Tập đoàn công nghiệp {name}"),
    (PartnerKind.COMPANY, "{name} Trading Co., Ltd.", "Công ty Thương mại {name}"),
    (PartnerKind.SCHOOL, "University of {name}", "Trường Đại học {name}"),
    (PartnerKind.SCHOOL, "{name} College of Technology", "Trường Cao đẳng Kỹ thuật {name}"),
    (PartnerKind.NGO, "{name} Development Foundation", "Quỹ Phát triển {name}"),
    (PartnerKind.ASSOCIATION, "{name}–Viet Nam Friendship Association", "Hội hữu nghị {name} - Việt Nam"),
    (PartnerKind.GOVERNMENT_AGENCY, "{name} Department of Foreign Affairs", "Sở Ngoại vụ {name}"),
    (PartnerKind.GOVERNMENT_AGENCY, "{name} Provincial Military Command", "Bộ Chỉ huy Quân sự {name}"),
    (PartnerKind.EMBASSY, "Consulate General in {name}", "Tổng Lãnh sự quán tại {name}"),
]
INTERNATIONAL = [
    ("{name} Regional Development Fund", "Quỹ Phát triển khu vực {name}"),
    ("{name} Programme for Rural Water", "Chương trình Nước sạch nông thôn {name}"),
    ("International Network of {name} Cities", "Mạng lưới quốc tế các thành phố {name}"),
]
# Letters a Vietnamese transliteration changes ("Suwon" → "Xuwon", "Kanazawa" → "Canadaua").
TRANSLITERATION = {"sh": "s", "s": "x", "k": "c", "z": "d", "w": "u", "j": "gi", "f": "ph"}
_TRANSLITERATED = re.compile("|".join(TRANSLITERATION))

# Any kind but the special friendship, which is the word of Viet Nam and Laos for their own localities.
SYNTHETIC_KINDS = [kind for kind in RelationshipKind if kind != RelationshipKind.SPECIAL_FRIENDSHIP]


@dataclass
class _Plan:
    kind: str
    name_en: str
    name_vi: str
    iso2: str | None
    owner: Unit
    level: str = ""
    name_original: str = ""
    population: int | None = None
    key: str = ""  # made unique once the whole set is planned
    aliases: list[str] = field(default_factory=list)


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def _syllables(rng: random.Random, table: list, counts: tuple[int, ...]) -> list:
    """Syllables for one name, never the same one twice in a row ("Xê Xê")."""
    chosen: list = []
    for _number in range(rng.choice(counts)):
        syllable = rng.choice(table)
        while chosen and syllable == chosen[-1]:
            syllable = rng.choice(table)
        chosen.append(syllable)
    return chosen


def _place(rng: random.Random, iso2: str) -> tuple[str, str, str]:
    """A place name in the country's style: (romanised or local, Vietnamese spelling, original)."""
    if iso2 in {"LA", "KH", "CN"}:
        table = NAME_PARTS[iso2]
        syllables = _syllables(rng, table, (2, 2, 3))
        if iso2 == "CN":
            return _title("".join(s[0] for s in syllables)), " ".join(_title(s[1]) for s in syllables), ""
        return " ".join(_title(s[0]) for s in syllables), " ".join(_title(s[1]) for s in syllables), ""
    if iso2 in {"KR", "JP", "TH"}:
        table = NAME_PARTS[iso2]
        count = {"KR": (2, 2, 3), "JP": (2, 3, 3, 4), "TH": (2, 2, 3)}[iso2]
        syllables = _syllables(rng, table, count)
        name = _title("".join(syllables))
        # Vietnamese documents often hyphenate each syllable of a transliterated name.
        return name, "-".join(_title(s) if i == 0 else s for i, s in enumerate(syllables)), ""
    parts = NAME_PARTS.get(iso2, NAME_PARTS["other"])
    name = rng.choice(parts[0]) + rng.choice(parts[1])
    return name, name, name if iso2 in {"FR", "DE", "HU", "PL"} else ""


def _transliterate(name: str) -> str:
    text = _TRANSLITERATED.sub(lambda match: TRANSLITERATION[match.group(0)], name.lower())
    return " ".join(_title(word) for word in text.split(" "))


def _typo(rng: random.Random, name: str) -> str:
    """One slip of the pen: two letters swapped, one dropped or one doubled."""
    letters = list(name)
    spots = [i for i in range(1, len(letters) - 1) if letters[i].isalpha() and letters[i + 1].isalpha()]
    if not spots:
        return name + name[-1]
    at = rng.choice(spots)
    how = rng.random()
    if how < 0.4:
        letters[at], letters[at + 1] = letters[at + 1], letters[at]
    elif how < 0.7:
        del letters[at]
    else:
        letters.insert(at, letters[at])
    return "".join(letters)


def _countries() -> dict[str, Country]:
    found = {country.iso2: country for country in Country.objects.filter(iso2__in=list(COUNTRIES))}
    for iso2, (name_en, name_vi, _weight) in COUNTRIES.items():
        if iso2 not in found:
            found[iso2], _created = Country.objects.get_or_create(
                iso2=iso2, defaults={"name_en": name_en, "name_vi": name_vi}
            )
    return found


def _plan_partner(rng: random.Random, owner: Unit, taken: set[str]) -> _Plan:
    codes = list(COUNTRIES)
    weights = [COUNTRIES[code][2] for code in codes]
    for _attempt in range(50):
        iso2 = rng.choices(codes, weights)[0]
        place_en, place_vi, original = _place(rng, iso2)
        country_vi = COUNTRIES[iso2][1]
        roll = rng.random()
        if roll < 0.8:
            level = rng.choices(["province", "city", "district"], [25, 55, 20])[0]
            local_word, vietnamese_word = LEVEL_WORDS.get(iso2, DEFAULT_LEVEL_WORDS)[level]
            plan = _Plan(
                PartnerKind.LOCALITY,
                f"{place_en}{local_word}",
                f"{_title(vietnamese_word)} {place_vi}",
                iso2,
                owner,
                level=LocalityLevel(level),
                name_original=original,
                population=rng.randint(20, 9000) * 1000,
            )
            written = [f"{vietnamese_word} {place_en}", f"{place_vi} ({country_vi})", f"{place_en}, {country_vi}"]
        elif roll < 0.98:
            kind, english, vietnamese = rng.choice(ORGANISATIONS)
            plan = _Plan(kind, english.format(name=place_en), vietnamese.format(name=place_vi), iso2, owner)
            written = [vietnamese.format(name=place_en), f"{english.format(name=place_en)} ({country_vi})"]
        else:
            english, vietnamese = rng.choice(INTERNATIONAL)
            international = PartnerKind.INTERNATIONAL_ORGANISATION
            plan = _Plan(international, english.format(name=place_en), vietnamese.format(name=place_vi), None, owner)
            written = [vietnamese.format(name=place_en)]
        own = {fold(name) for name in (plan.name_en, plan.name_vi, plan.name_original) if name}
        if own & taken:
            continue
        if plan.kind == PartnerKind.LOCALITY:
            written += [_transliterate(place_en), _typo(rng, place_en)]
        else:
            written.append(_typo(rng, plan.name_en))
        for alias in rng.sample(written, k=min(len(written), rng.randint(1, 3))):
            folded = fold(alias)
            if folded and folded not in own and folded not in taken:
                plan.aliases.append(alias)
                own.add(folded)
        taken.update(own)
        base = slugify(unidecode(f"{KEY_PREFIX}{(iso2 or 'int').lower()} {plan.name_en}"))[:72]
        plan.key = base
        return plan
    msg = "could not make a partner name that is not taken"
    raise RuntimeError(msg)


def _search_text(*parts: str) -> str:
    return " ".join(fold(part) for part in parts if part)


@generator
def partners(rng: random.Random, provinces: list[Unit], years: int, **_) -> int:
    """Foreign partners with their spellings, and a few relationships of each province with them, each
    with its first status step. Partners already made by an earlier run (same keys) are kept as they are."""
    countries = _countries()
    taken: set[str] = set()
    keys: set[str] = set()
    plans: list[_Plan] = []
    for owner in provinces:
        for _number in range(PARTNERS_PER_PROVINCE):
            plan = _plan_partner(rng, owner, taken)
            key, number = plan.key, 2
            while key in keys:
                key, number = f"{plan.key}-{number}", number + 1
            plan.key = key
            keys.add(key)
            plans.append(plan)
    existing = set(Partner.all_objects.filter(key__startswith=KEY_PREFIX).values_list("key", flat=True))
    new = [plan for plan in plans if plan.key not in existing]
    rows = [
        Partner(
            key=plan.key,
            owner=plan.owner,
            kind=plan.kind,
            level=plan.level,
            name_en=plan.name_en,
            name_vi=plan.name_vi,
            name_original=plan.name_original,
            country=countries[plan.iso2] if plan.iso2 else None,
            population=plan.population,
            search_text=_search_text(plan.name_vi, plan.name_en, plan.name_original, plan.key, *plan.aliases),
        )
        for plan in new
    ]
    Partner.objects.bulk_create(rows, batch_size=500)
    made = dict(Partner.all_objects.filter(key__in=[plan.key for plan in new]).values_list("key", "pk"))
    PartnerAlias.objects.bulk_create(
        [
            PartnerAlias(partner_id=made[plan.key], name=alias, folded=fold(alias)[:255], search_text=fold(alias))
            for plan in new
            for alias in plan.aliases
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    _relationships(rng, provinces, new, made, years)
    return len(rows)


def _relationships(
    rng: random.Random, provinces: list[Unit], plans: list[_Plan], made: dict[str, int], years: int
) -> None:
    """A few relationships of each province, with their first dated status step."""
    by_key = {plan.key: plan for plan in plans}
    pool = sorted(by_key)
    if not pool:
        return
    relationships = []
    last_year = 2025
    for owner in provinces:
        for key in rng.sample(pool, k=min(len(pool), rng.randint(*RELATIONSHIPS_PER_PROVINCE))):
            plan = by_key[key]
            since = dt.date(rng.randint(last_year - max(years, 1) - 10, last_year), rng.randint(1, 12), 1)
            relationships.append(
                Relationship(
                    owner=owner,
                    partner_id=made[key],
                    kind=rng.choice(SYNTHETIC_KINDS),
                    status=rng.choice(list(RelationshipStatus)),
                    status_since=since,
                    search_text=_search_text(plan.name_vi, plan.name_en, *plan.aliases, owner.name),
                )
            )
    Relationship.objects.bulk_create(relationships, batch_size=500, ignore_conflicts=True)
    stored = {
        (owner_id, partner_id, kind): pk
        for pk, owner_id, partner_id, kind in Relationship.objects.filter(
            partner_id__in=list(made.values()), owner__in=provinces
        ).values_list("pk", "owner_id", "partner_id", "kind")
    }
    RelationshipStatusChange.objects.bulk_create(
        [
            RelationshipStatusChange(
                relationship_id=stored[(row.owner_id, row.partner_id, row.kind)],
                status=row.status,
                on=row.status_since,
                note="Dữ liệu tổng hợp",
                search_text="",
            )
            for row in relationships
            if (row.owner_id, row.partner_id, row.kind) in stored
        ],
        batch_size=1000,
    )
