"""Loading the committed reference data (core/reference_data/, sources in its SOURCES.md).

Idempotent: rows are matched by their code or key; new rows are created, changed rows updated,
nothing is deleted. Unit keys are stable and documented in docs/units.md:

- current province: its name without diacritics (``da-nang``); legacy province: ``<name>-legacy``
  (``quang-nam-legacy``), so that current and legacy units with one official code differ;
- current commune or ward: ``c-<official code>``; legacy district: ``ld-<official code>``;
- central bodies: ``mofa`` (Ministry of Foreign Affairs), ``cfrc`` (Party Central Foreign
  Relations Commission); organisations: ``<parent key>.<slug>``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history
from unidecode import unidecode

from core.models import Country, Currency, Field, ForeignSubdivision, Unit, UnitSuccession

DATA = Path(__file__).resolve().parent / "reference_data"
MERGER_DATE = dt.date(2025, 7, 1)
MERGER_BASIS = "Nghị quyết 202/2025/QH15"
CENTRAL_BODIES = [
    ("mofa", "Bộ Ngoại giao", "Ministry of Foreign Affairs"),
    ("cfrc", "Ban Đối ngoại Trung ương", "Party Central Foreign Relations Commission"),
]


def _read(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def province_key(name: str, legacy: bool) -> str:
    key = slugify(unidecode(name))
    return f"{key}-legacy" if legacy else key


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _legacy_province(row: dict, key: str) -> dict:
    """The Unit fields of a province of the reference files that no longer exists."""
    return {
        "key": key,
        "code": row["code"],
        "name": row["name"],
        "full_name": row["full_name"],
        "kind": row["kind"],
        "valid_from": _date(row.get("valid_from")),
        "valid_to": _date(row.get("valid_to")),
        "is_legacy": True,
    }


def _upsert_units(rows: list[dict]) -> tuple[int, int]:
    """Create or update units given as dicts of Unit fields (``parent_key`` names the parent)."""
    keys = [row["key"] for row in rows]
    existing = {unit.key: unit for unit in Unit.objects.filter(key__in=keys)}
    parent_keys = {row["parent_key"] for row in rows if row.get("parent_key")}
    parents = {unit.key: unit for unit in Unit.objects.filter(key__in=parent_keys)}
    new, changed = [], 0
    for row in rows:
        data = {k: v for k, v in row.items() if k not in {"key", "parent_key"}}
        parent = parents.get(row.get("parent_key"))
        unit = existing.get(row["key"])
        if unit is None:
            unit = Unit(key=row["key"], **data)
            unit.parent = parent
            unit.level = Unit.level_for(unit.kind)
            unit.root_id = (parent.root_id or parent.pk) if parent else None
            unit.search_text = unit.build_search_text()  # bulk_create bypasses save()
            new.append(unit)
            continue
        moved = unit.parent_id != (parent.pk if parent else None)
        unit.parent = parent
        changed += _save_if_changed(unit, data, moved=moved)
    if new:
        bulk_create_with_history(new, Unit, batch_size=500, default_change_reason="load_reference_data")
        # Top-level units are their own root (bulk_create bypasses save()).
        Unit.objects.filter(root__isnull=True, parent__isnull=True).update(root_id=F("pk"))
    return len(new), changed


def _save_if_changed(obj, values: dict, *, moved: bool = False) -> bool:
    """Set ``values`` on an existing reference row and save it if one of them changed, if it ``moved`` to
    another parent, or if its search text no longer follows its model's ``search_fields``: a change to them
    reaches every database at the next ``load_reference_data`` (which ``make run`` runs)."""
    differs = moved or any(getattr(obj, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(obj, name, value)
    if not differs and obj.search_text == obj.build_search_text():
        return False
    obj._change_reason = "load_reference_data"
    obj.save()
    return True


def _upsert_simple(model, rows: list[dict], key: str) -> tuple[int, int]:
    """Create or update reference rows given as dicts of fields, found by ``key``."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    new, changed = [], 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**row)
            obj.search_text = obj.build_search_text()  # bulk_create bypasses save()
            new.append(obj)
            continue
        changed += _save_if_changed(obj, row)
    if new:
        bulk_create_with_history(new, model, batch_size=500, default_change_reason="load_reference_data")
    return len(new), changed


# Reference sets that apps keep (the reporting regimes): ``(name, load)``, ``load() -> (created, updated)``, called
# after the units, in the order the apps registered them (AppConfig.ready).
_APP_LOADERS: list[tuple[str, Callable[[], tuple[int, int]]]] = []


def register_reference_loader(name: str, load: Callable[[], tuple[int, int]]) -> None:
    """Load an app's reference set with the others (``load_reference_data``), once per name."""
    if name not in {known for known, _load in _APP_LOADERS}:
        _APP_LOADERS.append((name, load))


def load_reference_data(log=print) -> dict[str, tuple[int, int]]:
    """Load every reference set; returns {set: (created, updated)}."""
    report: dict[str, tuple[int, int]] = {}
    with transaction.atomic():
        report["countries"] = _upsert_simple(
            Country,
            [
                {
                    "iso2": r["iso2"],
                    "iso3": r.get("iso3", ""),
                    "numeric": r.get("numeric", ""),
                    "name_en": r["name_en"],
                    "name_vi": r["name_vi"],
                    "official_name_vi": r.get("official_name_vi", ""),
                    "aliases": r.get("aliases_vi", []),
                }
                for r in _read("countries.json")
            ],
            "iso2",
        )
        report["foreign_subdivisions"] = _load_subdivisions()
        report["fields"] = _upsert_simple(
            Field,
            [
                {"code": r["code"], "name_vi": r["name_vi"], "name_en": r["name_en"], "aliases": r.get("aliases", [])}
                for r in _read("fields.json")
            ],
            "code",
        )
        report["currencies"] = _upsert_simple(
            Currency,
            [
                {
                    "code": r["code"],
                    "numeric": r.get("numeric", "") or "",
                    "name_en": r["name_en"],
                    "name_vi": r.get("name_vi") or r["name_en"],
                    "minor_units": r.get("minor_units"),
                }
                for r in _read("currencies.json")
            ],
            "code",
        )
        report["units"] = _load_units()
        for name, load in _APP_LOADERS:
            report[name] = load()
    for name, (created, updated) in report.items():
        log(f"{name}: {created} created, {updated} updated")
    return report


def _load_subdivisions() -> tuple[int, int]:
    rows = _read("foreign_subdivisions.json")
    countries = dict(Country.objects.values_list("iso2", "pk"))
    prepared = [
        {
            "code": r["code"],
            "country_id": countries[r["country"]],
            "name": r["name"],
            "name_vi": r.get("name_vi") or "",
            "kind": r.get("kind") or "other",
            "aliases": r.get("aliases", []),
            "note": r.get("note", ""),
        }
        for r in rows
        if r["country"] in countries
    ]
    created, updated = _upsert_simple(ForeignSubdivision, prepared, "code")
    # Parents in a second pass: a parent may come after its child in the file.
    ids = dict(ForeignSubdivision.objects.values_list("code", "pk"))
    for row in rows:
        if row.get("parent") and row["parent"] in ids and row["code"] in ids:
            ForeignSubdivision.objects.filter(pk=ids[row["code"]]).exclude(parent_id=ids[row["parent"]]).update(
                parent_id=ids[row["parent"]]
            )
    return created, updated


def _load_units() -> tuple[int, int]:
    created = updated = 0

    def add(result):
        nonlocal created, updated
        created += result[0]
        updated += result[1]

    add(
        _upsert_units(
            [
                {"key": key, "name": name, "full_name": name, "name_en": name_en, "kind": "central_body"}
                for key, name, name_en in CENTRAL_BODIES
            ]
        )
    )
    provinces = _read("vn_provinces.json")
    legacy = _read("vn_legacy_provinces.json")
    current_key = {row["code"]: province_key(row["name"], legacy=False) for row in provinces}
    legacy_key = {row["code"]: province_key(row["name"], legacy=True) for row in legacy}
    add(
        _upsert_units(
            [
                {
                    "key": current_key[r["code"]],
                    "code": r["code"],
                    "name": r["name"],
                    "full_name": r["full_name"],
                    "kind": r["kind"],
                    "valid_from": _date(r.get("valid_from")) or MERGER_DATE,
                    "is_legacy": False,
                }
                for r in provinces
            ]
        )
    )
    add(_upsert_units([_legacy_province(r, legacy_key[r["code"]]) for r in legacy]))
    add(
        _upsert_units(
            [
                {
                    "key": f"c-{r['code']}",
                    "code": r["code"],
                    "name": r["name"],
                    "full_name": r["full_name"],
                    "kind": r["kind"],
                    "valid_from": MERGER_DATE,
                    "is_legacy": False,
                    "parent_key": current_key[r["province"]],
                }
                for r in _read("vn_communes.json")
            ]
        )
    )
    add(
        _upsert_units(
            [
                {
                    "key": f"ld-{r['code']}",
                    "code": r["code"],
                    "name": r["name"],
                    "full_name": r["full_name"],
                    "kind": "district",
                    "valid_to": _date(r.get("valid_to")),
                    "is_legacy": True,
                    "parent_key": legacy_key[r["province"]],
                }
                for r in _read("vn_legacy_districts.json")
            ]
        )
    )
    # A province renamed before the merger (Thừa Thiên Huế became the city of Huế on 1 January 2025): the unit of the
    # earlier name, succeeded by the legacy unit of the later one, so that a period before the renaming counts 63.
    renamed = _read("vn_renamed_provinces.json")
    add(_upsert_units([_legacy_province(r, r["key"]) for r in renamed]))
    ids = dict(Unit.objects.filter(level="province").values_list("key", "pk"))
    existing = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    UnitSuccession.objects.bulk_create(
        UnitSuccession(
            predecessor_id=ids[r["key"]],
            successor_id=ids[r["successor"]],
            effective_on=_date(r["effective_on"]),
            basis=r["basis"],
        )
        for r in renamed
        if (ids[r["key"]], ids[r["successor"]]) not in existing
    )
    links = [
        UnitSuccession(
            predecessor_id=ids[legacy_key[r["code"]]],
            successor_id=ids[current_key[code]],
            effective_on=MERGER_DATE,
            basis=MERGER_BASIS,
        )
        for r in legacy
        for code in r["successors"]
        if (ids[legacy_key[r["code"]]], ids[current_key[code]]) not in existing
    ]
    UnitSuccession.objects.bulk_create(links)
    return created, updated
