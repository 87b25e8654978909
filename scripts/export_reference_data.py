#!/usr/bin/env python3
"""Regenerate the committed reference data in core/reference_data/ (JSON files and SOURCES.md).

Sources: pycountry (ISO 3166-1, ISO 3166-2, ISO 4217), Babel (CLDR Vietnamese names), the PyPI
package ``vietnam-provinces`` (Vietnamese provinces, communes, legacy provinces and districts,
from the National Statistics Office catalogue), Resolution 202/2025/QH15 (the province merger) and
the curated tables, which are data in scripts/reference_tables.json (Resolution 202 is written out there)
and are described below where this script reads them. The facts files in core/demo_facts/*.json
are read to make sure every country spelling, foreign locality and field code they use is covered.

``vietnam-provinces`` is NOT a dependency of the project (its 2026 releases require Python 3.12).
Install it into a throw-away directory and point this script at it:

    pip install --no-deps --ignore-requires-python --target /tmp/vpx vietnam-provinces==2026.9.0
    .venv/bin/python scripts/export_reference_data.py --vp-path /tmp/vpx

Options: --out-dir (default core/reference_data), --facts-dir (default core/demo_facts, or
$FACTS_DIR), --vp-path (or $VIETNAM_PROVINCES_PATH), --check (compare with the committed JSON
files and exit 1 if they differ, writing nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict
from importlib import metadata
from pathlib import Path

import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "core" / "reference_data"
DEFAULT_FACTS = ROOT / "core" / "demo_facts"
TESTED_VP_VERSION = "2026.9.0"
MERGER_VALID_FROM = "2025-07-01"
LEGACY_VALID_TO = "2025-06-30"
INSTALL_HINT = (
    "The PyPI package vietnam-provinces is needed (not a project dependency). Install it aside:\n"
    "  pip install --no-deps --ignore-requires-python --target /tmp/vpx vietnam-provinces==2026.9.0\n"
    "then run:  .venv/bin/python scripts/export_reference_data.py --vp-path /tmp/vpx"
)

# The curated tables: names, spellings and legal facts that the libraries lack. Each is read into the constant
# of the same name below, where it is described.
TABLES_FILE = Path(__file__).with_name("reference_tables.json")
TABLES = json.loads(TABLES_FILE.read_text(encoding="utf-8"))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ASCII form for comparing names (drops diacritics, đ -> d)."""
    text = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"\s+", " ", "".join(ch for ch in text if not unicodedata.combining(ch))).strip().lower()


def natural_key(code: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def unique(items, exclude=()) -> list[str]:
    """Items in first-seen order, NFC, without empties, duplicates or anything in ``exclude``."""
    seen = {nfc(x) for x in exclude if x}
    out = []
    for item in items:
        item = nfc(item).strip() if item else ""
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


# ---------------------------------------------------------------------------------------------
# 1. Countries
# ---------------------------------------------------------------------------------------------

# Vietnamese short names as written in Vietnamese administrative documents. Applied over Babel's
# Locale('vi').territories; SOURCES.md lists which of them differ from Babel. The entries from BL on replace
# English or colloquial forms that Babel (CLDR) keeps.
COUNTRY_NAME_VI: dict[str, str] = TABLES["COUNTRY_NAME_VI"]

# Official Vietnamese names (general knowledge).
COUNTRY_OFFICIAL_NAME_VI: dict[str, str] = TABLES["COUNTRY_OFFICIAL_NAME_VI"]

# Other spellings met in Vietnamese documents (the facts files' spellings are added on top).
COUNTRY_ALIASES_VI: dict[str, list[str]] = TABLES["COUNTRY_ALIASES_VI"]

# English names: pycountry's common_name (else name), except these.
COUNTRY_NAME_EN = {"VN": "Viet Nam"}


def strip_country_words(name: str) -> str:
    return re.sub(r"^(nước|đất nước)\s+", "", nfc(name).strip(), flags=re.IGNORECASE)


def build_countries(facts: list[dict]) -> tuple[list[dict], dict]:
    territories = Locale("vi").territories
    from_facts: dict[str, list[str]] = defaultdict(list)
    for doc in facts:
        for row in doc.get("countries_as_written", []):
            if row.get("iso2"):
                names = list(row.get("names_as_written") or []) + ([row["name_vi"]] if row.get("name_vi") else [])
                from_facts[row["iso2"]].extend(strip_country_words(n) for n in names)
        for group in doc.get("spelling_variants", []):  # e.g. Campuchia / Cam-pu-chia / Cam – pu – chia
            if isinstance(group, list) and any(fold(x) == "campuchia" for x in group):
                from_facts["KH"].extend(group)
    rows, babel_diff = [], {}
    for country in pycountry.countries:
        iso2 = country.alpha_2
        babel_name = territories.get(iso2)
        name_vi = COUNTRY_NAME_VI.get(iso2) or babel_name or country.name
        if babel_name and name_vi != babel_name:
            babel_diff[iso2] = babel_name
        official = COUNTRY_OFFICIAL_NAME_VI.get(iso2)
        aliases = unique(
            COUNTRY_ALIASES_VI.get(iso2, []) + from_facts.get(iso2, []) + ([babel_name] if babel_name else []),
            exclude=[name_vi],
        )
        row = {
            "iso2": iso2,
            "iso3": country.alpha_3,
            "numeric": country.numeric,
            "name_en": COUNTRY_NAME_EN.get(iso2) or getattr(country, "common_name", None) or country.name,
            "name_vi": name_vi,
        }
        if official:
            row["official_name_vi"] = official
        row["aliases_vi"] = aliases
        rows.append(row)
    rows.sort(key=lambda r: r["iso2"])
    missing = set(from_facts) - {r["iso2"] for r in rows}
    if missing:
        raise SystemExit(f"facts name countries that pycountry lacks: {sorted(missing)}")
    return rows, babel_diff


# ---------------------------------------------------------------------------------------------
# 2. Foreign subdivisions
# ---------------------------------------------------------------------------------------------

FULL_COUNTRIES = ("LA", "KH", "CN", "KR", "JP", "TH")

# ISO 3166-2 type (pycountry) -> kind; (country, type) wins over type alone.
KIND_BY_TYPE = {
    "Province": "province",
    "Prefecture": "prefecture",
    "Municipality": "municipality",
    "Autonomous region": "autonomous_region",
    "Special administrative region": "other",
    "Special city": "special_city",
    "Metropolitan city": "municipality",
    "Special self-governing province": "province",
    "Special self-governing city": "special_city",
    "Metropolitan administration": "capital",
    "Special administrative city": "special_city",
    "Autonomous municipality": "capital",
    "Metropolitan department": "province",
    "Metropolitan region": "region",
    "Oblast": "region",
    "Voivodship": "province",
    "Region": "region",
    "State": "state",
    "Land": "state",
    "County": "county",
}
# Tokyo is a metropolis (to), not a prefecture (ken), and documents write it as a city ("thành phố Tokyo"): the
# name resolver reads the kind to tell a city from the region around it (partners.resolve).
KIND_BY_CODE = {"LA-VT": "capital", "JP-13": "capital"}

# code: (name, name_vi, extra aliases, note or None). Names are the usual English/romanised form; the
# ISO 3166-2 name from pycountry is added to the aliases when it differs. name_vi: Vietnamese exonyms for Laos
# and Cambodia (Cambodian names also appear romanised in documents), Sino-Vietnamese names for China, and for
# Korea, Japan (macron spellings as aliases) and Thailand (RTGS, except Bangkok) the romanised names that
# Vietnamese documents write. Of other countries, only the entries the facts need (and their ISO parents).
SUBDIVISIONS: dict[str, tuple] = {code: tuple(row) for code, row in TABLES["SUBDIVISIONS"].items()}

# Foreign localities without an ISO 3166-2 code: code = parent ISO code + "." + ASCII slug.
# (code, country, name, name_vi, kind, parent, aliases, note)
CURATED_LOCALITIES: list[tuple] = [tuple(row) for row in TABLES["CURATED_LOCALITIES"]]

# Partner ids of the facts files -> subdivision code. Every non-generic locality partner must be here.
FACT_PARTNERS: dict[str, str] = TABLES["FACT_PARTNERS"]
# Other foreign localities named in the facts outside "partners" (name as written -> code).
FACT_OTHER_LOCALITIES = {"Kà Lừm": "LA-XE.KALEUM", "Gyeonggi": "KR-41", "Chungcheong-Nam": "KR-44"}
LOCALITY_LEVELS = {"province", "state", "prefecture", "region", "city", "district", "county", "municipality"}
# Since issue 18, item 9 the Vietnamese names of foreign subdivisions are curated by hand in the committed file
# (every first-level subdivision of LA, KH, CN, TH, KR, JP with the spellings documents use): a re-export keeps each
# committed row's name_vi, aliases (new generated ones come after them) and note.
CURATED_SUBDIVISIONS = DEFAULT_OUT / "foreign_subdivisions.json"

_GENERIC_PREFIX = re.compile(
    r"^(tỉnh giáp biên|tỉnh|thành phố|tp\.?|huyện|quận|thị xã|thị trấn|thị|vùng|bang|khu tự trị|giáp biên)\s+",
    re.IGNORECASE,
)


def clean_locality_name(name: str) -> str:
    """'tỉnh Sê Koong, nước CHDCND Lào' -> 'Sê Koong'; 'thành phố Osan (Hàn Quốc)' -> 'Osan'."""
    name = nfc(name).strip()
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    name = name.split(",")[0].strip()
    previous = None
    while previous != name:
        previous = name
        name = _GENERIC_PREFIX.sub("", name).strip()
    return name


def keep_curated_names(rows: dict[str, dict]) -> None:
    """Take the hand-curated Vietnamese names, spellings and notes of the committed file (CURATED_SUBDIVISIONS)."""
    if not CURATED_SUBDIVISIONS.exists():
        return
    committed = {row["code"]: row for row in json.loads(CURATED_SUBDIVISIONS.read_text(encoding="utf-8"))}
    for code, row in rows.items():
        known = committed.get(code)
        if known is None:
            continue
        row["name_vi"] = known["name_vi"]
        row["aliases"] = unique(known["aliases"] + row["aliases"], exclude=[row["name"], row["name_vi"]])
        if known.get("note"):
            row["note"] = known["note"]


def build_subdivisions(facts: list[dict]) -> tuple[list[dict], list[tuple[str, str, str]]]:
    rows: dict[str, dict] = {}
    fact_aliases: dict[str, list[str]] = defaultdict(list)
    mapping = []  # (source, partner id or name, code)
    for doc in facts:
        source = doc["document"]["seed"].removesuffix(".txt")
        for partner in doc.get("partners", []):
            if partner.get("level") not in LOCALITY_LEVELS or partner.get("generic"):
                continue
            code = FACT_PARTNERS.get(partner["id"])
            if code is None:
                raise SystemExit(
                    f"facts partner {partner['id']!r} ({source}) is a locality with no entry in "
                    "FACT_PARTNERS: add it (ISO 3166-2 code or a CURATED_LOCALITIES entry)"
                )
            fact_aliases[code].extend(clean_locality_name(n) for n in partner.get("names_as_written", []))
            mapping.append((source, partner["id"], code))
    for name, code in FACT_OTHER_LOCALITIES.items():
        fact_aliases[code].append(name)

    def add_iso(code: str) -> None:
        if code in rows:
            return
        sub = pycountry.subdivisions.get(code=code)
        if sub is None:
            raise SystemExit(f"{code} is not an ISO 3166-2 code known to pycountry")
        if sub.country_code not in FULL_COUNTRIES and code not in SUBDIVISIONS:
            raise SystemExit(f"{code} ({sub.name}) needs an entry in SUBDIVISIONS (name, name_vi)")
        name, name_vi, extra, note = SUBDIVISIONS.get(code, (sub.name, sub.name, [], None))
        kind = KIND_BY_CODE.get(code) or KIND_BY_TYPE.get(sub.type)
        if kind is None:
            raise SystemExit(f"{code}: no kind for ISO type {sub.type!r}: extend KIND_BY_TYPE")
        row = {
            "code": code,
            "country": sub.country_code,
            "name": name,
            "name_vi": name_vi,
            "kind": kind,
            "parent": sub.parent_code,
            "aliases": unique(extra + [sub.name], exclude=[name, name_vi]),
        }
        if note:
            row["note"] = note
        rows[code] = row
        if sub.parent_code:
            add_iso(sub.parent_code)

    for country in FULL_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country):
            add_iso(sub.code)
    for code in SUBDIVISIONS:
        add_iso(code)
    for code, country, name, name_vi, kind, parent, aliases, note in CURATED_LOCALITIES:
        if parent:
            add_iso(parent)
        row = {
            "code": code,
            "country": country,
            "name": name,
            "name_vi": name_vi,
            "kind": kind,
            "parent": parent,
            "aliases": unique(aliases, exclude=[name, name_vi]),
        }
        if note:
            row["note"] = note
        rows[code] = row
    for code, names in fact_aliases.items():
        if code not in rows:
            add_iso(code)
        row = rows[code]
        row["aliases"] = unique(row["aliases"] + names, exclude=[row["name"], row["name_vi"]])
    keep_curated_names(rows)
    out = sorted(rows.values(), key=lambda r: (r["country"], natural_key(r["code"])))
    codes = {r["code"] for r in out}
    for row in out:
        if row["parent"] and row["parent"] not in codes:
            raise SystemExit(f"{row['code']}: parent {row['parent']} missing")
        if not re.fullmatch(r"[A-Z0-9.\-]+", row["code"]):
            raise SystemExit(f"{row['code']}: code is not ASCII upper-case")
    return out, mapping


# ---------------------------------------------------------------------------------------------
# 3-6. Vietnamese units (vietnam-provinces + Resolution 202/2025/QH15)
# ---------------------------------------------------------------------------------------------

# Resolution 202/2025/QH15 (12 June 2025) on the arrangement of provincial-level units, in force
# 2025-07-01: (new unit, the legacy units merged into it); a unit that was not merged lists only itself.
# Names are matched to the package's codes.
RESOLUTION_202: list[tuple[str, list[str]]] = list(TABLES["RESOLUTION_202"].items())

# Centrally-run cities as of 2025-07-01 under Resolution 202/2025/QH15 (the others were provinces).
RESOLUTION_202_MUNICIPALITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}

# Date from which each legacy province existed with its last pre-2025 name and status: its
# (re-)establishment, or the split/merger of whole provinces that gave it its last form, listed by act.
# Boundary adjustments between existing provinces are ignored. General knowledge, not from the package;
# provinces not listed get null.
LEGACY_VALID_FROM: dict[str, str] = {
    name: act["valid_from"] for act in TABLES["LEGACY_VALID_FROM"] for name in act["provinces"]
}

# Names fixed in the package's data (spelling as in Resolution 202/2025/QH15, or obvious glitches).
LEGACY_PROVINCE_NAME_FIXES = {"Hoà Bình": "Hòa Bình"}

PROVINCE_PREFIX = {"tỉnh": "Tỉnh", "thành phố": "Thành phố"}
COMMUNE_PREFIX = {"xã": ("Xã", "commune"), "phường": ("Phường", "ward"), "đặc khu": ("Đặc khu", "special_zone")}
DISTRICT_PREFIX = {
    "quận": ("Quận", "urban_district"),
    "huyện": ("Huyện", "district"),
    "thị xã": ("Thị xã", "town"),
    "thành phố": ("Thành phố", "city"),
}


def split_prefix(full_name: str, prefixes: dict) -> tuple[str, str, object]:
    """Return (short name, full name with the prefix capitalised as usual, prefix value)."""
    full_name = re.sub(r"\s+", " ", nfc(full_name)).strip()
    for prefix in sorted(prefixes, key=len, reverse=True):
        if full_name.lower().startswith(prefix + " "):
            value = prefixes[prefix]
            label = value[0] if isinstance(value, tuple) else value
            rest = full_name[len(prefix) + 1 :].strip()
            full = f"{label} {rest}"
            # 'Quận 1', 'Phường 2 Bảo Lộc': a bare number is no name, keep the prefix.
            return (full if rest[:1].isdigit() else rest), full, value
    raise SystemExit(f"unexpected unit name {full_name!r}")


def units_under_provinces(units, prefixes: dict, *, digits: int, **extra) -> list[dict]:
    """Rows of communes or legacy districts, sorted by code: the code zero-padded to ``digits``, the kind
    given by the unit word of the name, the province code, then the ``extra`` keys."""
    rows = []
    for unit in units:
        name, full_name, (_, kind) = split_prefix(unit.name, prefixes)
        rows.append(
            {
                "code": f"{int(unit.code):0{digits}d}",
                "name": name,
                "full_name": full_name,
                "kind": kind,
                "province": f"{int(unit.province_code):02d}",
                **extra,
            }
        )
    rows.sort(key=lambda r: r["code"])
    return rows


def import_vietnam_provinces(vp_path: str | None):
    if vp_path:
        sys.path.insert(0, vp_path)
    try:
        import vietnam_provinces
        from vietnam_provinces import legacy
    except ImportError as exc:
        raise SystemExit(f"cannot import vietnam_provinces ({exc}).\n{INSTALL_HINT}") from exc
    return vietnam_provinces, legacy


def build_vn(vp, legacy) -> dict:
    current = list(vp.Province.iter_all())
    old = list(legacy.Province.iter_all())
    if len(current) != 34 or len(old) != 63:
        raise SystemExit(f"expected 34 current and 63 legacy provinces, got {len(current)} and {len(old)}")

    provinces = []
    for p in current:
        name, full_name, _ = split_prefix(p.name, PROVINCE_PREFIX)
        kind = "municipality" if p.division_type.value == "thành phố trung ương" else "province"
        provinces.append(
            {
                "code": f"{int(p.code):02d}",
                "name": name,
                "full_name": full_name,
                "kind": kind,
                "valid_from": MERGER_VALID_FROM,
            }
        )
    provinces.sort(key=lambda r: r["code"])
    by_current_name = {fold(r["name"]): r["code"] for r in provinces}

    legacy_rows = []
    for p in old:
        name, full_name, _ = split_prefix(p.name, PROVINCE_PREFIX)
        fixed = LEGACY_PROVINCE_NAME_FIXES.get(name, name)
        full_name = full_name.replace(name, fixed)
        kind = "municipality" if p.division_type.value == "thành phố trung ương" else "province"
        legacy_rows.append(
            {
                "code": f"{int(p.code):02d}",
                "name": fixed,
                "full_name": full_name,
                "kind": kind,
                "valid_from": LEGACY_VALID_FROM.get(fixed),
                "valid_to": LEGACY_VALID_TO,
                "successors": [],
            }
        )
    legacy_rows.sort(key=lambda r: r["code"])
    by_legacy_name = {fold(r["name"]): r for r in legacy_rows}
    unknown_dates = set(LEGACY_VALID_FROM) - {r["name"] for r in legacy_rows}
    if unknown_dates:
        raise SystemExit(f"LEGACY_VALID_FROM names no legacy province: {sorted(unknown_dates)}")

    # Successors from Resolution 202/2025/QH15.
    predecessors: dict[str, list[str]] = defaultdict(list)
    for new_name, old_names in RESOLUTION_202:
        new_code = by_current_name.get(fold(new_name))
        if new_code is None:
            raise SystemExit(f"Resolution 202: no current province named {new_name!r} in the package")
        for old_name in old_names:
            row = by_legacy_name.get(fold(old_name))
            if row is None:
                raise SystemExit(f"Resolution 202: no legacy province named {old_name!r} in the package")
            row["successors"].append(new_code)
            predecessors[new_code].append(row["code"])
    for row in legacy_rows:
        if len(row["successors"]) != 1:
            raise SystemExit(f"legacy {row['name']} has {len(row['successors'])} successors, expected exactly 1")
    for row in provinces:
        if not predecessors.get(row["code"]):
            raise SystemExit(f"current {row['name']} has no predecessor")

    communes = units_under_provinces(vp.Ward.iter_all(), COMMUNE_PREFIX, digits=5)
    districts = units_under_provinces(legacy.District.iter_all(), DISTRICT_PREFIX, digits=3, valid_to=LEGACY_VALID_TO)

    current_codes = {r["code"] for r in provinces}
    legacy_codes = {r["code"] for r in legacy_rows}
    for what, rows, codes in (("commune", communes, current_codes), ("district", districts, legacy_codes)):
        bad = [r["code"] for r in rows if r["province"] not in codes]
        if bad:
            raise SystemExit(f"{what}s with an unknown province: {bad[:10]}")
        if len({r["code"] for r in rows}) != len(rows):
            raise SystemExit(f"duplicate {what} codes")

    return {
        "provinces": provinces,
        "legacy": legacy_rows,
        "communes": communes,
        "districts": districts,
        "package_check": check_package_mapping(legacy, legacy_rows),
    }


def check_package_mapping(legacy, legacy_rows) -> list[str]:
    """Compare the package's own old->new province table with Resolution 202; explain each difference."""
    findings = []
    try:
        from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCE_OLD_TO_NEW
        from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW
    except ImportError:
        return ["The package has no _province_conversion_2025/_ward_conversion_2025 module: not compared."]
    resolution = {int(r["code"]): {int(c) for c in r["successors"]} for r in legacy_rows}
    names = {int(r["code"]): r["name"] for r in legacy_rows}
    package = {code: {ref.code for ref in entry.new_provinces} for code, entry in PROVINCE_OLD_TO_NEW.items()}
    if set(package) != set(resolution):
        findings.append(f"package table covers legacy codes {sorted(package)}, resolution {sorted(resolution)}")
    for code in sorted(resolution):
        if package.get(code) == resolution[code]:
            continue
        extra = sorted(package.get(code, set()) - resolution[code])
        line = (
            f"Legacy {names[code]} ({code:02d}): package maps to {sorted(package.get(code, set()))}, "
            f"Resolution 202/2025/QH15 to {sorted(resolution[code])}."
        )
        causes = []
        for entry in WARD_OLD_TO_NEW.values():
            ward = entry.old_ward
            if ward.province_code != code or not any(n.province_code in extra for n in entry.new_wards):
                continue
            true_province = int(legacy.District.from_code(ward.district_code).province_code)
            ward_name = legacy.Ward.from_code(ward.code).name
            district_name = legacy.District.from_code(ward.district_code).name
            causes.append(
                f"old ward {ward.code:05d} ({ward_name}, district {ward.district_code:03d} {district_name}) is "
                f"recorded with province {ward.province_code:02d} in _ward_conversion_2025, but the package's "
                "legacy data puts that district in "
                f"{names.get(true_province, true_province)} ({true_province:02d})"
            )
        line += " Cause: " + ("; ".join(causes) if causes else "not found in the ward table") + "."
        findings.append(line)
    # Rebuild the province table from the ward table with each old ward's real province.
    rebuilt: dict[int, set[int]] = defaultdict(set)
    for entry in WARD_OLD_TO_NEW.values():
        true_province = int(legacy.District.from_code(entry.old_ward.district_code).province_code)
        rebuilt[true_province].update(n.province_code for n in entry.new_wards)
    if dict(rebuilt) == resolution:
        findings.append(
            "With each old ward's province taken from the package's legacy data, the package's ward "
            "conversion table agrees with Resolution 202/2025/QH15 for all 63 legacy provinces."
        )
    else:
        for code in sorted(resolution):
            if rebuilt.get(code) != resolution[code]:
                findings.append(
                    f"Ward table (corrected) still differs for {names[code]}: {sorted(rebuilt.get(code, []))}"
                    f" vs {sorted(resolution[code])}."
                )
    return findings


# ---------------------------------------------------------------------------------------------
# 7. Fields of cooperation
# ---------------------------------------------------------------------------------------------

# (code, name_vi, name_en, other codes found in documents, Vietnamese wordings found in documents)
FIELDS: list[tuple] = [tuple(row) for row in TABLES["FIELDS"]]
# Values under "fields"/"fields_vi" in the facts that are not fields (aims or filler): not mapped.
NOT_FIELDS: list[str] = TABLES["NOT_FIELDS"]
FIELD_KEYS = {"fields", "fields_vi", "field", "area_en"}


def collect_fact_fields(facts: list[dict]) -> set[str]:
    found = set()

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in FIELD_KEYS:
            found.add(nfc(node).strip())

    for doc in facts:
        walk(doc)
    return found


def build_fields(facts: list[dict]) -> tuple[list[dict], list[str]]:
    rows, codes = [], {}
    for code, name_vi, name_en, aliases, aliases_vi in FIELDS:
        rows.append(
            {
                "code": code,
                "name_vi": name_vi,
                "name_en": name_en,
                "aliases": sorted(aliases),
                "aliases_vi": unique(aliases_vi, exclude=[name_vi]),
            }
        )
        for c in [code, *aliases]:
            if c in codes:
                raise SystemExit(f"field code {c} used twice")
            codes[c] = code
    wordings = {fold(w): code for code, name_vi, _, _, aliases_vi in FIELDS for w in [name_vi, *aliases_vi]}
    skipped = {fold(x) for x in NOT_FIELDS}
    unmapped = []
    for value in sorted(collect_fact_fields(facts)):
        if re.fullmatch(r"[a-z][a-z0-9_]*", value):
            if value not in codes:
                raise SystemExit(f"facts use field code {value!r}: add it to FIELDS (or as an alias)")
        elif fold(value) not in wordings and fold(value) not in skipped:
            unmapped.append(value)
    if unmapped:
        raise SystemExit(f"facts use Vietnamese field wordings not mapped in FIELDS or NOT_FIELDS: {unmapped}")
    rows.sort(key=lambda r: r["code"])
    return rows, sorted(codes)


# ---------------------------------------------------------------------------------------------
# 8. Currencies
# ---------------------------------------------------------------------------------------------

# ISO 4217 minor units (exponent); every other code has 2. None: not applicable (metals, units of account).
MINOR_UNITS: dict[str, int | None] = {
    code: group["minor_units"] for group in TABLES["MINOR_UNITS"] for code in group["currencies"]
}
# Vietnamese names where Babel has none or an outdated/misspelt one.
CURRENCY_NAME_VI: dict[str, str] = TABLES["CURRENCY_NAME_VI"]


def build_currencies() -> tuple[list[dict], dict]:
    names = Locale("vi").currencies
    rows, babel_diff = [], {}
    for cur in pycountry.currencies:
        babel_name = names.get(cur.alpha_3)
        name_vi = CURRENCY_NAME_VI.get(cur.alpha_3) or babel_name or cur.name
        if name_vi != babel_name:
            babel_diff[cur.alpha_3] = babel_name
        rows.append(
            {
                "code": cur.alpha_3,
                "numeric": cur.numeric,
                "name_en": cur.name,
                "name_vi": name_vi,
                "minor_units": MINOR_UNITS.get(cur.alpha_3, 2),
            }
        )
    rows.sort(key=lambda r: r["code"])
    return rows, babel_diff


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def normalise(node):
    if isinstance(node, str):
        return nfc(node)
    if isinstance(node, list):
        return [normalise(x) for x in node]
    if isinstance(node, dict):
        return {nfc(k): normalise(v) for k, v in node.items()}
    return node


def dump(rows: list[dict]) -> str:
    return json.dumps(normalise(rows), ensure_ascii=False, indent=1) + "\n"


def load_facts(facts_dir: Path) -> list[dict]:
    files = sorted(facts_dir.glob("*.json"))
    if not files:
        raise SystemExit(f"no facts files in {facts_dir} (use --facts-dir or $FACTS_DIR)")
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def md_table(header: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        return "" if value is None else str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def subdivision_names_md(rows: list[dict]) -> list[str]:
    """The section of SOURCES.md on the hand-curated Vietnamese names of foreign subdivisions (issue 18, item 9)."""
    first_level = defaultdict(int)
    spellings = defaultdict(int)
    for row in rows:
        if row["country"] in FULL_COUNTRIES and row["kind"] not in {"city", "district", "county"}:
            first_level[row["country"]] += 1
            names = [row["name"], row["name_vi"], *row["aliases"]]
            spellings[row["country"]] += len({re.sub(r"[^0-9a-z]+", "", fold(name)) for name in names})
    counts = ", ".join(f"{country} {first_level[country]} ({spellings[country]})" for country in FULL_COUNTRIES)
    return [
        "### Vietnamese names and spellings (curated by hand)",
        "",
        "Since issue 18, item 9 the `name_vi`, `aliases` and `note` of this file are curated by hand in the",
        "committed file, so that the spelling of a national report finds its subdivision; the script keeps them",
        "(`CURATED_SUBDIVISIONS`) and adds the generated aliases after them. Every first-level unit of the six",
        "countries has its Vietnamese name (`partners.resolve.resolve_subdivision` reads them). First-level units",
        "per country (Thailand's with Pattaya, TH-S) and, in parentheses, their spellings that fold apart:",
        f"{counts}.",
        "",
        "- `name_vi`: the form current Vietnamese documents write. Laos: Vietnamese exonyms (Chăm-pa-xắc, Sê Kông,",
        "  Hủa Phăn, Xiêng Khoảng, Luông Pha Bang); Cambodia: Vietnamese forms (Bát-tam-băng, Xiêm Riệp,",
        "  Công-pông Chàm); China: Sino-Vietnamese names (Vân Nam, Quảng Tây, Tứ Xuyên); Korea, Japan and",
        "  Thailand: the romanised names (Revised Romanization, Hepburn without macrons, RTGS: Gyeonggi, Gifu,",
        "  Ubon Ratchathani), except Bangkok (Băng Cốc).",
        "- `aliases`: the other spellings documents use, listed only where they fold differently from the row's",
        "  other names (`core.text.fold` drops diacritics, case, spaces, hyphens and apostrophes). Syllables",
        "  hyphenated, joined or spaced and forms without tone marks are therefore one spelling and not listed:",
        "  Chăm-pa-xắc, Chăm pa xắc and Champaxac; Ubon Ratchathani and U-bon Rát-cha-tha-ni; Nakhon Phanom and",
        "  Na-khon Pha-nom; Tokyo and Tô-ky-ô. Listed: other transliterations (Chămpasắc beside",
        "  Chăm-pa-xắc, Sê Koong beside Sê Kông, Khon Kèn), older ones (French-era romanisations: Attopeu,",
        "  Champassac, Kompong Cham, Sayaboury; the forms of Vietnamese school books: Tô-ki-ô, Hi-rô-si-ma,",
        "  Xan Phran-xi-xcô; old Vietnamese names: Nam Vang for Phnom Penh, Áo Môn for Macao), the",
        "  McCune-Reischauer names of Korean provinces used before 2000 (Kyŏnggi, Chŏlla-bukto), Sino-Vietnamese",
        "  readings of Korean and some Japanese names met in older texts (Kinh Kỳ, Nhân Xuyên, Hán Thành, Đông Kinh,",
        "  Trường Kỳ, Quảng Đảo), the ISO 3166-2 names and the spellings of the facts files.",
        "- Left out on purpose: a reading that folds like another place's name (Quang Châu, Gwangju, is Quảng Châu,",
        "  Guangzhou) or is a common word (Kinh Đô, Kyoto). Two rows share a folded spelling only where their ISO",
        "  names do (Viangchan: LA-VI and LA-VT). Chinese homonyms of Vietnamese places (Hà Nam, Hà Bắc, Sơn Tây)",
        "  are noted on their rows.",
        "- Source: general knowledge of Vietnamese usage (the press, ministry and provincial pages, school books,",
        "  Vietnamese reference works), not checked against a published list: Decision 240/QĐ (1984) and the",
        "  lists of foreign geographical names of the Ministry of Natural Resources and Environment set the",
        "  spelling rules, but none was consulted here.",
    ]


def sources_md(ctx: dict) -> str:
    counts, vn, sizes = ctx["counts"], ctx["vn"], ctx["sizes"]
    kinds = defaultdict(int)
    for r in vn["provinces"]:
        kinds[r["kind"]] += 1
    commune_kinds = defaultdict(int)
    for r in vn["communes"]:
        commune_kinds[r["kind"]] += 1
    municipalities = ", ".join(r["name"] for r in vn["provinces"] if r["kind"] == "municipality")
    current_by_code = {r["code"]: r for r in vn["provinces"]}
    predecessors = defaultdict(list)
    for r in vn["legacy"]:
        predecessors[r["successors"][0]].append(f"{r['name']} ({r['code']})")
    parts = [
        "# Reference data: sources",
        "",
        f"Generated by `scripts/export_reference_data.py` on {ctx['date']} (UTC). Do not edit the JSON by hand:",
        "change the script or its curated tables (`scripts/reference_tables.json`) and re-run it; the exception is",
        "the Vietnamese names of foreign_subdivisions.json, curated in that file (see its section). Every file is",
        "a JSON array of objects, UTF-8 in NFC, `ensure_ascii=False`, `indent=1`, sorted as stated below.",
        "",
        "Library versions: " + ", ".join(f"{k} {v}" for k, v in ctx["versions"].items()) + ".",
        "",
        md_table(["file", "rows", "bytes", "sorted by"], [[f, counts[f], sizes[f], ctx["sort"][f]] for f in counts]),
        "",
        "## countries.json",
        "",
        "Every ISO 3166-1 country of pycountry. Keys: `iso2`, `iso3`, `numeric`, `name_en`, `name_vi`,",
        "`official_name_vi` (only where known), `aliases_vi` (always, may be empty).",
        "",
        "- `name_en`: pycountry `common_name` where it has one (Bolivia, Iran, Laos, South Korea...), else `name`;",
        "  Viet Nam is written `Viet Nam`.",
        "- `name_vi`: Babel `Locale('vi').territories`, overridden by `COUNTRY_NAME_VI` in the script (the forms",
        "  used in Vietnamese administrative documents). The overrides that differ from Babel (Babel's form is",
        "  kept as an alias):",
        "",
        md_table(
            ["iso2", "name_vi", "Babel"],
            [[k, COUNTRY_NAME_VI[k], v] for k, v in sorted(ctx["babel_countries"].items())],
        ),
        "",
        "  Overrides equal to Babel today, kept so that a Babel change cannot alter them: "
        + ", ".join(f"{k} {v}" for k, v in sorted(COUNTRY_NAME_VI.items()) if k not in ctx["babel_countries"])
        + ".",
        "- `official_name_vi`: `COUNTRY_OFFICIAL_NAME_VI` (general knowledge of the Vietnamese official names).",
        "- `aliases_vi`: `COUNTRY_ALIASES_VI`, plus every `countries_as_written` name of the facts files (a leading",
        "  'nước ' stripped), plus the Cambodia spelling variants of the facts (`Cam-pu-chia`, `Cam – pu – chia`...),",
        "  plus Babel's name where it was overridden; the `name_vi` itself is never repeated.",
        "",
        "## foreign_subdivisions.json",
        "",
        "Keys: `code`, `country` (ISO 3166-1 alpha-2), `name` (English/romanised), `name_vi`, `kind`, `parent`",
        "(a `code` in this file, or null), `aliases` (always, may be empty), `note` (only where something is",
        "uncertain or worth knowing). Kinds: "
        + ", ".join(sorted(set(KIND_BY_TYPE.values()) | {"city", "district", "county"}))
        + ".",
        "",
        "- Every ISO 3166-2 subdivision of " + ", ".join(FULL_COUNTRIES) + " from pycountry "
        f"({ctx['versions']['pycountry']}), with the names of `SUBDIVISIONS` in the script: Vietnamese exonyms for",
        "  Laos and Cambodia, Sino-Vietnamese names for China, the romanised names Vietnamese documents use for",
        "  Korea, Japan and Thailand (Bangkok: Băng Cốc). The pycountry (ISO) name is kept as an alias.",
        "- Kinds from the ISO type (`KIND_BY_TYPE`): Korean metropolitan cities and Chinese municipalities are",
        "  `municipality`; Seoul and Sejong `special_city`; Phnom Penh, Bangkok, Vientiane Capital (LA-VT) and",
        "  Tokyo (JP-13, a metropolis that documents write as a city: `KIND_BY_CODE`) `capital`; Hong Kong and",
        "  Macao `other` (special administrative regions); French départements and Polish voivodeships",
        "  `province`; Belarusian oblasts `region`; German Länder `state`.",
        "- Every foreign locality of the facts files (`partners` at a locality level, not generic; and",
        "  `FACT_OTHER_LOCALITIES`), with all its `names_as_written` as aliases after stripping the generic words",
        "  ('tỉnh', 'thành phố', 'huyện', 'quận', 'thị', 'vùng'...) and trailing country notes. One with an ISO",
        "  3166-2 code uses that entry (and brings its ISO parent); one without gets a curated entry",
        "  (`CURATED_LOCALITIES`) coded `<parent ISO code>.<ASCII SLUG>`, e.g. `KR-41.YONGIN`.",
        "- Nord-Pas-de-Calais is a curated historical entry (`FR.NORD-PAS-DE-CALAIS`, parent null): the region",
        "  no longer exists in ISO 3166-2 (merged into Hauts-de-France in 2016).",
        "",
        "Facts partners and the codes they map to:",
        "",
        md_table(["facts file", "partner id", "code"], [list(m) for m in ctx["partner_map"]]),
        "",
        *subdivision_names_md(ctx["subdivisions"]),
        "",
        "## vn_provinces.json, vn_communes.json, vn_legacy_provinces.json, vn_legacy_districts.json",
        "",
        f"Source: PyPI package `vietnam-provinces` {ctx['versions']['vietnam-provinces']} (data retrieved by its",
        f"author from the National Statistics Office catalogue, danhmuchanhchinh.nso.gov.vn, on {ctx['vp_data']};",
        "legacy data from the NSO list of 2025-01-04). The package is used only to export; it is not a project",
        "dependency. It does not cite the legal acts. Legal basis: Resolution 202/2025/QH15 of 12 June 2025",
        "(provinces, in force 2025-07-01). The commune-level arrangement was made province by province by",
        "resolutions of the National Assembly Standing Committee of 2025 (Nos. 1654-1685/NQ-UBTVQH15 as given",
        "in the project brief; not verified here, the package names no act).",
        "",
        "Codes are the official NSO codes as zero-padded strings: province 2 digits, district 3, commune 5.",
        "**Current and legacy codes share one number space but are different units** (current Tây Ninh is 80,",
        "legacy Long An's code; current Đồng Tháp is 82, legacy Tiền Giang's; legacy Tây Ninh is 72): never match",
        "a legacy unit to a current one by code.",
        "",
        f"- `vn_provinces.json` ({counts['vn_provinces.json']}): keys `code`, `name` (without 'Tỉnh'/'Thành phố'),",
        f"  `full_name`, `kind`, `valid_from` ({MERGER_VALID_FROM}). Kinds: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        + f" ({municipalities}).",
        f"- `vn_communes.json` ({counts['vn_communes.json']}): keys `code`, `name`, `full_name`, `kind`, `province`.",
        "  Kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(commune_kinds.items())) + ".",
        f"- `vn_legacy_provinces.json` ({counts['vn_legacy_provinces.json']}): keys `code`, `name`, `full_name`,",
        f"  `kind`, `valid_from`, `valid_to` ({LEGACY_VALID_TO}), `successors` (exactly one current code each).",
        f"- `vn_legacy_districts.json` ({counts['vn_legacy_districts.json']}): keys `code`, `name`, `full_name`,",
        "  `kind` (district = huyện, town = thị xã, city = thành phố, urban_district = quận), `province` (legacy",
        f"  province code), `valid_to` ({LEGACY_VALID_TO}).",
        "- `name` drops the unit word except where only a number would remain ('Quận 1', 'Phường 2 Bảo Lộc').",
        "  Unit words are capitalised the usual way ('xã Bắc Sơn' and 'Thành Phố Bắc Kạn' in the package data",
        "  become 'Xã Bắc Sơn', 'Thành phố Bắc Kạn'). Names are otherwise the package's, including old-style tone",
        "  placement ('Hoà', 'Thuỷ'): search must fold both styles. Exception: legacy 'Hoà Bình' province is",
        "  written 'Hòa Bình' as in Resolution 202/2025/QH15 (`LEGACY_PROVINCE_NAME_FIXES`).",
        "- Legacy `valid_from` (`LEGACY_VALID_FROM`, general knowledge, not from the package): the date the province",
        "  took its last pre-2025 name and status ((re-)establishment, or a split/merger of whole provinces);",
        "  boundary adjustments between existing provinces are ignored. "
        f"{sum(1 for r in vn['legacy'] if r['valid_from'])} of 63 known, the others null.",
        "",
        "### Successors (Resolution 202/2025/QH15)",
        "",
        md_table(
            ["current", "code", "kind", "legacy predecessors"],
            [
                [current_by_code[c]["name"], c, current_by_code[c]["kind"], ", ".join(v)]
                for c, v in sorted(predecessors.items())
            ],
        ),
        "",
        "### Doubts checked",
        "",
        "- The package's `_province_conversion_2025` maps legacy Tiền Giang to both Tây Ninh and Đồng Tháp.",
        "  Resolution 202/2025/QH15 merges Tiền Giang and Đồng Tháp into Đồng Tháp, and Long An and Tây Ninh into",
        "  Tây Ninh. Every one of the 63 legacy provinces was compared; the successors here follow the resolution",
        "  (`RESOLUTION_202` in the script). Findings:",
        "",
    ]
    parts += [f"  - {line}" for line in vn["package_check"]]
    parts += [
        "",
    ]
    if ctx["new_municipalities"]:
        parts += [
            "- Province status after 2025-07-01: in the package data "
            + ", ".join(ctx["new_municipalities"])
            + " are centrally-run cities ('Thành phố'), while Resolution 202/2025/QH15 made them provinces",
            "  ('Tỉnh'), as vietnam-provinces 2025.10.1 (data of 2025-10-18) still has them. The package gives no",
            "  date or act for the change; this export follows the package (kind `municipality`, full name",
            f"  'Thành phố ...') and keeps `valid_from` {MERGER_VALID_FROM}, the date the unit itself was formed.",
        ]
    parts += [
        "- Commune codes: vietnam-provinces 2025.10.1 and 2026.9.0 assign different codes to 114 of",
        "  the new communes (e.g. Phường Cửa Nam 00073 vs 00082); 2026.9.0 (the newer NSO retrieval) is used.",
        "",
        "## fields.json",
        "",
        "Fields of cooperation (`FIELDS` in the script). Keys: `code` (snake_case), `name_vi`, `name_en`,",
        "`aliases` (other codes used for the same field in the facts files: load them as synonyms, never as",
        "rows), `aliases_vi` (Vietnamese wordings found in the facts files that mean this field). Both lists are",
        "always present. Every code and wording used under `fields`, `fields_vi`, `field` and `area_en` in the",
        "facts files resolves to a row, except these, which are not fields: "
        + "; ".join(f"'{x}'" for x in NOT_FIELDS)
        + ".",
        "",
        md_table(["alias code", "code"], [[a, c] for c, _, _, al, _ in FIELDS for a in al]),
        "",
        "## currencies.json",
        "",
        "Every ISO 4217 currency of pycountry. Keys: `code`, `numeric`, `name_en` (pycountry), `name_vi` (Babel",
        "`Locale('vi').currencies`, overridden by `CURRENCY_NAME_VI` where Babel has none or an outdated form),",
        "`minor_units` (ISO 4217 exponent from `MINOR_UNITS`, not CLDR's, which differs for e.g. LAK, IRR, IQD;",
        "null where ISO says N.A.: precious metals, units of account, test and no-currency codes).",
        "",
        md_table(
            ["code", "name_vi", "Babel"],
            [[k, CURRENCY_NAME_VI.get(k), v] for k, v in sorted(ctx["babel_currencies"].items())],
        ),
        "",
    ]
    return "\n".join(parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--facts-dir", type=Path, default=Path(os.environ.get("FACTS_DIR", DEFAULT_FACTS)))
    parser.add_argument("--vp-path", default=os.environ.get("VIETNAM_PROVINCES_PATH"))
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args(argv)

    vp, legacy = import_vietnam_provinces(args.vp_path)
    vp_version = getattr(vp, "__version__", "?")
    if vp_version != TESTED_VP_VERSION:
        print(f"warning: vietnam-provinces {vp_version}; this script was checked against {TESTED_VP_VERSION}")
    facts = load_facts(args.facts_dir)

    countries, babel_countries = build_countries(facts)
    subdivisions, partner_map = build_subdivisions(facts)
    vn = build_vn(vp, legacy)
    fields, _ = build_fields(facts)
    currencies, babel_currencies = build_currencies()
    files = {
        "countries.json": countries,
        "foreign_subdivisions.json": subdivisions,
        "vn_provinces.json": vn["provinces"],
        "vn_communes.json": vn["communes"],
        "vn_legacy_provinces.json": vn["legacy"],
        "vn_legacy_districts.json": vn["districts"],
        "fields.json": fields,
        "currencies.json": currencies,
    }
    texts = {name: dump(rows) for name, rows in files.items()}
    for name, text in texts.items():
        if len(text.encode()) > 1024 * 1024:
            print(f"warning: {name} is over 1 MiB")

    if args.check:
        stale = [
            n
            for n, t in texts.items()
            if not (args.out_dir / n).exists() or (args.out_dir / n).read_text(encoding="utf-8") != t
        ]
        for name in stale:
            print(f"out of date: {name}")
        return 1 if stale else 0

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (args.out_dir / name).write_text(text, encoding="utf-8")
    ctx = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "versions": {
            "pycountry": metadata.version("pycountry"),
            "Babel": metadata.version("Babel"),
            "vietnam-provinces": vp_version,
        },
        "vp_data": getattr(vp, "__data_version__", "?"),
        "counts": {n: len(rows) for n, rows in files.items()},
        "sizes": {n: len(t.encode()) for n, t in texts.items()},
        "sort": {
            "countries.json": "iso2",
            "foreign_subdivisions.json": "country, then code (numbers numerically)",
            "vn_provinces.json": "code",
            "vn_communes.json": "code",
            "vn_legacy_provinces.json": "code",
            "vn_legacy_districts.json": "code",
            "fields.json": "code",
            "currencies.json": "code",
        },
        "babel_countries": babel_countries,
        "babel_currencies": babel_currencies,
        "partner_map": partner_map,
        "subdivisions": subdivisions,
        "vn": vn,
        "new_municipalities": sorted(
            r["name"]
            for r in vn["provinces"]
            if r["kind"] == "municipality" and r["name"] not in RESOLUTION_202_MUNICIPALITIES
        ),
    }
    (args.out_dir / "SOURCES.md").write_text(sources_md(ctx), encoding="utf-8")

    for name, rows in files.items():
        print(f"{name}: {len(rows)} rows, {ctx['sizes'][name]} bytes")
    print(
        f"current provinces: {len(vn['provinces'])}, legacy provinces: {len(vn['legacy'])}, "
        f"communes: {len(vn['communes'])}, legacy districts: {len(vn['districts'])}"
    )
    for line in vn["package_check"]:
        print(f"package check: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
