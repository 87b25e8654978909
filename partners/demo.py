"""Demo partners, relationships, status histories and timelines, built from the facts of the seed documents
(core/demo_facts) and from the two histories DOMAIN.md gives that the facts files lack (issue 3, item 8).

Every annotation of the facts that reaches a record (a note, a word of the facts' vocabulary, a region written in
English) goes through core.demo.vietnamese, which returns its reviewed Vietnamese; a note cites a facts file by its
short Vietnamese name (core.demo.document_name), never by its file name (issue 18, item 8: no English and no
internal code on a page).

The rows are written straight with the ORM inside the caller's transaction (core.demo.load_demo): there is no
user, so no audit entry, but every row passes ``full_clean()`` so that demo data obeys the rules a user's input
obeys. Idempotent: partners are found by key, relationships by (owner, partner, kind), status steps by
(relationship, status, date), interactions by (relationship, kind, date, summary), spellings by their folded
form; a second run creates nothing and changes nothing.

Needs the reference data (countries, subdivisions, legacy units: ``manage.py load_reference_data``) and the demo
organisations of core.demo (``quang-nam-legacy.ubnd``...).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from core.choices import DatePrecision, UnitKind
from core.demo import document_name, vietnamese
from core.models import Country, Field, ForeignSubdivision, Unit
from core.reference import DATA as REFERENCE_DATA
from core.text import clean_text, fold
from partners.choices import (
    InteractionKind,
    LocalityLevel,
    PartnerKind,
    RelationshipKind,
    RelationshipStatus,
)
from partners.models import (
    Interaction,
    Partner,
    PartnerAlias,
    Relationship,
    RelationshipStatusChange,
    spelling_owner,
)
from partners.services import known_spellings

# DOMAIN.md's examples are shown as what they are, illustrations of the demo, not a document of the province.
DOMAIN_SOURCE = "Dữ liệu minh họa, không trích từ văn bản của tỉnh"

# The facts' "level" of a partner: (partner kind, locality level).
PARTNER_KINDS = {
    "province": (PartnerKind.LOCALITY, LocalityLevel.PROVINCE),
    "region": (PartnerKind.LOCALITY, LocalityLevel.PROVINCE),
    "city": (PartnerKind.LOCALITY, LocalityLevel.CITY),
    "district": (PartnerKind.LOCALITY, LocalityLevel.DISTRICT),
    "commune": (PartnerKind.LOCALITY, LocalityLevel.COMMUNE),
    "company": (PartnerKind.COMPANY, ""),
    "embassy": (PartnerKind.EMBASSY, ""),
    "ngo": (PartnerKind.NGO, ""),
    "association": (PartnerKind.ASSOCIATION, ""),
    "school": (PartnerKind.SCHOOL, ""),
    "agency": (PartnerKind.GOVERNMENT_AGENCY, ""),
    "national": (PartnerKind.GOVERNMENT_AGENCY, ""),
    "international_org": (PartnerKind.INTERNATIONAL_ORGANISATION, ""),
}

# The facts name relationships in the documents' own words; every other word means cooperation.
RELATIONSHIP_KINDS = {
    "twinning": RelationshipKind.TWINNING,
    "friendship_cooperation": RelationshipKind.FRIENDSHIP_COOPERATION,
    # Viet Nam and Laos: "hữu nghị truyền thống đặc biệt", "hữu nghị đặc biệt, hợp tác toàn diện".
    "special_traditional_friendship": RelationshipKind.SPECIAL_FRIENDSHIP,
    "comprehensive_special_friendship": RelationshipKind.SPECIAL_FRIENDSHIP,
    "people_to_people": RelationshipKind.FRIENDSHIP_COOPERATION,
    "decentralised": RelationshipKind.DECENTRALISED,
}
STATUS_WORDS = {"prospect": RelationshipStatus.EXPLORING}

# Stages in the order a relationship passes them: steps a document dates only to the same year are put in this
# order, so that "negotiating, established, active in 2013" reads forward.
STAGE_ORDER = [
    RelationshipStatus.EXPLORING,
    RelationshipStatus.GOODWILL_EXCHANGED,
    RelationshipStatus.NEGOTIATING,
    RelationshipStatus.ESTABLISHED,
    RelationshipStatus.ACTIVE,
    RelationshipStatus.POSTPONED,
    RelationshipStatus.DORMANT,
    RelationshipStatus.ENDED,
]

INTERACTION_KINDS = {
    "visit_out": InteractionKind.VISIT_OUT,
    "outgoing_visit": InteractionKind.VISIT_OUT,
    "visit_in": InteractionKind.VISIT_IN,
    "incoming_visit": InteractionKind.VISIT_IN,
    "investor_visits": InteractionKind.VISIT_IN,
    "signing": InteractionKind.SIGNING,
    "proposal": InteractionKind.PROPOSAL,
    "invitation": InteractionKind.INVITATION,
    "postponement": InteractionKind.POSTPONEMENT,
    "online_meeting": InteractionKind.ONLINE_MEETING,
    "event": InteractionKind.EVENT,
    "information_exchange": InteractionKind.INFORMATION_EXCHANGE,
    "aid": InteractionKind.AID,
    "gift": InteractionKind.AID,
    "gift_received": InteractionKind.AID,
    "scholarship_received": InteractionKind.AID,
    "annual_high_level_conference": InteractionKind.EVENT,
    "award_ceremonies": InteractionKind.EVENT,
    "festival": InteractionKind.EVENT,
    "investment_conference": InteractionKind.EVENT,
    "education": InteractionKind.EVENT,
    "language_training": InteractionKind.EVENT,
    "border": InteractionKind.EVENT,
    "border_gate": InteractionKind.EVENT,
    "agriculture": InteractionKind.EVENT,
    "twinning": InteractionKind.EVENT,
    "delegation_exchange": InteractionKind.INFORMATION_EXCHANGE,
    "consultation": InteractionKind.INFORMATION_EXCHANGE,
    "commitment": InteractionKind.INFORMATION_EXCHANGE,
}

# Words that open a Vietnamese place name ("thành phố Yongin", "tỉnh Sê Koong"), folded, longest first.
GENERIC_PREFIXES = (("thanh", "pho"), ("thi", "xa"), ("tinh",), ("huyen",), ("quan",), ("thi",), ("vung",))
ENGLISH_SUFFIXES = re.compile(r"\s+(province|city|district|region|prefecture)$", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}

# Vietnamese units the relationships name that the reference data does not hold:
# (province key, parent unit as written or None for the province, key slug, kind, name).
DEMO_ORGANISATIONS = [
    ("quang-nam-legacy", None, "hoi-huu-nghi-viet-lao", UnitKind.ASSOCIATION, "Hội hữu nghị Việt - Lào tỉnh Quảng Nam"),
    ("bac-giang-legacy", "Thành phố Bắc Giang", "truong-thcs-le-quy-don", UnitKind.AGENCY, "Trường THCS Lê Quý Đôn"),
]

# DOMAIN.md's examples of the stages (issue 3 asks for them), which the facts files do not date.
OSAN_NOTE = (
    "Dữ liệu minh họa: quan hệ với Osan bắt đầu năm 2004, bị gián đoạn, khởi động lại năm 2011. Năm gián đoạn "
    "không rõ: mốc tạm ngưng ghi năm 2004."
)
NORD_PAS_DE_CALAIS = {
    "key": "fr-nord-pas-de-calais",
    "province": "quang-nam-legacy",
    "country": "FR",
    "subdivision": "FR.NORD-PAS-DE-CALAIS",
    "name_vi": "Nord-Pas de Calais",
    "name_en": "Nord-Pas-de-Calais",
    "notes": (
        "Đối tác minh họa, không có trong văn bản của tỉnh: ví dụ về một chương trình hợp tác phi tập trung đã kết "
        "thúc năm 2007, dữ liệu mẫu gán cho tỉnh Quảng Nam và vùng này. Vùng của Pháp đến năm 2016, nay thuộc vùng "
        "Hauts-de-France."
    ),
}
NORD_PAS_DE_CALAIS_NOTE = (
    "Dữ liệu minh họa: chương trình hợp tác phi tập trung kết thúc năm 2007; không rõ năm bắt đầu."
)


@dataclass(frozen=True)
class When:
    """A date as the facts give it: the day, month or year, and whether the text was just that date."""

    on: dt.date | None
    precision: str = DatePrecision.DAY
    exact: bool = True


def date_in_words(text) -> str:
    """A date of the facts as a page writes it: "2013-04" → "04/2013", "2021-06-01" → "01/06/2021"; an inexact
    one ("before 2013-04", "2014 (early)") in the reviewed words of core.demo.vietnamese."""
    when = parse_when(text)
    if when.on is None or not when.exact:
        return vietnamese(str(text))
    if when.precision == DatePrecision.DAY:
        return when.on.strftime("%d/%m/%Y")
    if when.precision == DatePrecision.MONTH:
        return when.on.strftime("%m/%Y")
    return str(when.on.year)


def parse_when(text) -> When:
    """Read "2013", "2013-04", "2021-08-09"; of "before 2013-04", "2014 (early)" or "2017/2019" take the first
    date and mark it inexact; nothing for null or text without a year."""
    if text is None or str(text).strip() == "":
        return When(None)
    text = str(text).strip()
    match = _DATE.search(text)
    if match is None:
        return When(None, exact=False)
    year, month, day = match.groups()
    exact = match.group(0) == text
    if day:
        return When(dt.date(int(year), int(month), int(day)), DatePrecision.DAY, exact)
    if month:
        return When(dt.date(int(year), int(month), 1), DatePrecision.MONTH, exact)
    return When(dt.date(int(year), 1, 1), DatePrecision.YEAR, exact)


def core_name(name: str) -> str:
    """A place name without its generic words and what follows it: "thành phố Yongin, tỉnh Gyeonggi" → "Yongin"."""
    head = re.split(r"[,(]", name, maxsplit=1)[0].strip()
    words = head.split()
    folded = [fold(word) for word in words]
    for prefix in GENERIC_PREFIXES:
        if tuple(folded[: len(prefix)]) == prefix and len(words) > len(prefix):
            return " ".join(words[len(prefix) :])
    return head


def english_core(name: str) -> str:
    """ "Mogilev Region (Mahilyow Voblast)" → "Mogilev"."""
    head = re.split(r"\(", name or "", maxsplit=1)[0].strip()
    return ENGLISH_SUFFIXES.sub("", head)


@dataclass
class Document:
    """One facts file: its title (the source of what comes from it), the legacy province that issued it, the
    date a status "as of the document" takes, and the short name its notes cite it by."""

    stem: str
    title: str
    facts: dict
    province: Unit
    when: When
    generic_units: set[str]
    name: str = ""


@dataclass
class Step:
    status: str
    on: dt.date
    precision: str
    note: str
    source: str


@dataclass
class PartnerPlan:
    """A partner to create: one per facts id, the occurrences in every file merged."""

    key: str
    owner: Unit
    kind: str
    level: str
    is_group: bool
    name_vi: str
    name_en: str
    country: Country | None
    subdivision: ForeignSubdivision | None
    notes: list[str] = field(default_factory=list)
    parent_key: str | None = None
    spellings: list[tuple[str, str]] = field(default_factory=list)  # (spelling, source)


@dataclass
class RelationshipPlan:
    owner: Unit
    partner_key: str
    kind: str
    occurrences: list[tuple[Document, dict]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def load_partners(facts_dir: Path, log: Callable[[str], object] = print) -> dict[str, int]:
    """Load every partner, spelling, relationship with its status history, and interaction of the facts files
    in ``facts_dir``, plus DOMAIN.md's Osan and Nord-Pas de Calais histories; return what was created now."""
    counts = Counter(dict.fromkeys(("partners", "aliases", "relationships", "status_steps", "interactions"), 0))
    documents = _documents(Path(facts_dir), log)
    _ensure_organisations(log)
    plans, facts_ids = _partner_plans(documents, log)
    extra = _nord_pas_de_calais_plan(log)
    if extra is not None:
        plans[extra.key] = extra
    partners = _create_partners(plans, counts)
    for key, plan in plans.items():
        _add_aliases(partners[key], plan.spellings, counts, log)
    relationship_plans = _relationship_plans(documents, facts_ids, plans, log)
    fields = _field_index()
    names = {fid: plans[key].name_vi or plans[key].name_en for fid, key in facts_ids.items()}
    for plan in relationship_plans:
        _load_relationship(plan, partners[plan.partner_key], names, fields, counts, log)
    log("created now: " + ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items()))
    return dict(counts)


# Documents and Vietnamese units ------------------------------------------------------------------------------


def _documents(facts_dir: Path, log) -> list[Document]:
    legacy_provinces = list(Unit.objects.filter(is_legacy=True, kind__in=[UnitKind.PROVINCE, UnitKind.MUNICIPALITY]))
    documents = []
    for path in sorted(facts_dir.glob("*.json")):
        facts = json.loads(path.read_text(encoding="utf-8"))
        if not facts.get("partners") and not facts.get("relationships"):
            continue
        header = facts.get("document", {})
        province = _province_named_in(header.get("issuer") or "", legacy_provinces)
        if province is None:
            log(f"partners: {path.name} skipped: no legacy province matches its issuer {header.get('issuer')!r}")
            continue
        # A document without a date (the Quảng Nam reports) is dated by the year it reports on.
        when = parse_when(header.get("date")) if header.get("date") else parse_when(str(header.get("period", ""))[:4])
        generic = {fold(unit["name_vi"]) for unit in facts.get("vn_units", []) if unit.get("generic")}
        title = header.get("title_vi") or path.stem
        documents.append(
            Document(
                path.stem, title, facts, province, when, generic_units=generic, name=document_name(path.stem, title)
            )
        )
    return documents


def _province_named_in(issuer: str, provinces: list[Unit]) -> Unit | None:
    """The legacy province whose name is a whole-word part of the issuer ("UBND tỉnh Quảng Nam")."""
    words = f" {' '.join(fold(word) for word in issuer.split())} "
    found = [unit for unit in provinces if f" {' '.join(fold(w) for w in unit.name.split())} " in words]
    return max(found, key=lambda unit: len(unit.name), default=None)


def _ensure_organisations(log) -> None:
    for province_key, parent_name, slug, kind, name in DEMO_ORGANISATIONS:
        province = Unit.objects.filter(key=province_key).first()
        if province is None:
            log(f"partners: unit {province_key} not found: {name} not created")
            continue
        parent = province
        if parent_name:
            parent = _unit_index(province).get(fold(parent_name), province)
        key = f"{parent.key}.{slug}"
        if Unit.objects.filter(key=key).exists():
            continue
        unit = Unit(
            key=key,
            parent=parent,
            kind=kind,
            level=Unit.level_for(kind),
            name=name,
            full_name=name,
            is_legacy=parent.is_legacy,
            valid_to=parent.valid_to,
        )
        unit.full_clean()
        unit.save()


def _unit_index(province: Unit) -> dict[str, Unit]:
    """The province and every unit under it by folded name and full name; the province and districts win."""
    index: dict[str, Unit] = {}
    units = Unit.objects.filter(root=province).order_by("level", "pk")
    for unit in [province, *units]:
        for name in (unit.full_name, unit.name):
            if name:
                index.setdefault(fold(name), unit)
    return index


def _owner(document: Document, written: str, cache: dict[int, dict[str, Unit]]) -> tuple[Unit, str]:
    """The unit that holds a relationship the facts attribute to ``written``, with a note when it is not that
    unit exactly."""
    province = document.province
    if fold(written) in document.generic_units:
        return province, f"Phía Việt Nam theo văn bản: “{written}” (các địa phương không nêu tên; ghi cho tỉnh)."
    index = cache.setdefault(province.pk, _unit_index(province))
    unit = index.get(fold(written))
    if unit is None:
        # "thành phố Hội An" against the legacy district named "Hội An".
        unit = next(
            (
                candidate
                for candidate in index.values()
                if candidate.kind == UnitKind.DISTRICT and fold(candidate.name) == fold(core_name(written))
            ),
            None,
        )
    if unit is None:
        return province, f"Không tìm thấy đơn vị “{written}” trong danh mục đơn vị: ghi cho tỉnh."
    return unit, ""


# Partners ---------------------------------------------------------------------------------------------------


def partner_key(facts_id: str, iso2: str | None) -> str:
    """``sekong`` in Laos → ``la-sekong``; an id that already starts with the country code keeps it."""
    prefix = (iso2 or "int").lower()
    slug = slugify(facts_id.replace("_", "-"))
    return (slug if slug.startswith(f"{prefix}-") else f"{prefix}-{slug}")[:80]


def _partner_plans(documents: list[Document], log) -> tuple[dict[str, PartnerPlan], dict[str, str]]:
    """Partner plans by key, and the key of every facts id."""
    occurrences: dict[str, list[tuple[Document, dict]]] = {}
    for document in documents:
        for entry in document.facts.get("partners", []):
            occurrences.setdefault(entry["id"], []).append((document, entry))
    variants = [(group, document) for document in documents for group in document.facts.get("spelling_variants", [])]
    preferred, avoided = set(), set()
    for document in documents:
        for typo in document.facts.get("typos", []):
            avoided.add(_exact(typo.get("as_written")))
            preferred.add(_exact(typo.get("intended")))
    countries = {country.iso2: country for country in Country.objects.all()}
    facts_ids = {fid: partner_key(fid, entries[0][1].get("country_iso2")) for fid, entries in occurrences.items()}
    plans = {}
    for fid, entries in occurrences.items():
        plan = _partner_plan(fid, entries, countries, log)
        plan.key = facts_ids[fid]
        plan.name_vi = _choose_name_vi(plan, [name for name, _ in plan.spellings], preferred, avoided)
        plan.spellings += _variant_spellings(plan, variants)
        plans[plan.key] = plan
    _link_parents(plans, occurrences, facts_ids)
    return plans, facts_ids


def _partner_plan(fid: str, entries: list[tuple[Document, dict]], countries: dict, log) -> PartnerPlan:
    document, first = entries[0]
    iso2 = first.get("country_iso2")
    country = countries.get(iso2) if iso2 else None
    if iso2 and country is None:
        log(f"partners: {fid}: country {iso2} not in the reference data")
    if first.get("level") not in PARTNER_KINDS:
        log(f"partners: {fid}: level {first.get('level')!r} unknown, recorded as a locality of another level")
    kind, level = PARTNER_KINDS.get(first.get("level"), (PartnerKind.LOCALITY, LocalityLevel.OTHER))
    is_group = any(entry.get("generic") for _, entry in entries)
    spellings, notes = [], []
    for where, entry in entries:
        spellings += [(name, where.title) for name in entry.get("names_as_written", [])]
        notes += [vietnamese(entry["notes"], where.name)] if entry.get("notes") else []
        if entry.get("uncertain"):
            what = vietnamese(entry["uncertain_what"]) if entry.get("uncertain_what") else ""
            notes.append(f"Chưa xác nhận được {what or 'tên chính thức hoặc mã của đối tác'}.")
        local_type = vietnamese(entry["local_type_en"]) if entry.get("local_type_en") else ""
        if local_type:
            notes.append(f"Cấp hành chính ở nước sở tại: {local_type}.")
        located = entry.get("location_iso2") or entry.get("located_in_iso2")
        if located and located != iso2:
            if located in countries:
                notes.append(f"Cơ sở đặt tại {countries[located].name_vi}.")
            else:
                log(f"partners: {fid}: country {located} not in the reference data")
        if entry.get("canonical_en") and entry["canonical_en"] != first.get("canonical_en"):
            # An official English name: a proper name, kept as written.
            notes.append(f"Tên tiếng Anh khác: {entry['canonical_en']}.")
    plan = PartnerPlan(
        key="",
        owner=document.province,
        kind=kind,
        level=level,
        is_group=is_group,
        name_vi="",
        name_en=first.get("canonical_en") or "",
        country=country,
        subdivision=None,
        notes=[note for note in dict.fromkeys(notes) if note],
        spellings=spellings,
    )
    if kind == PartnerKind.LOCALITY and not is_group and country is not None:
        plan.subdivision = _subdivision(country, [name for name, _ in spellings] + [english_core(plan.name_en)])
    return plan


def _subdivision(country: Country, names: list[str]) -> ForeignSubdivision | None:
    """The one subdivision of ``country`` (curated cities included) that one of ``names`` names."""
    wanted = {fold(core_name(name)) for name in names} - {""}
    found = {}
    for subdivision in country.subdivisions.all():
        spellings = {fold(subdivision.name), fold(subdivision.name_vi), *(fold(alias) for alias in subdivision.aliases)}
        if wanted & spellings:
            found[subdivision.pk] = subdivision
    return next(iter(found.values())) if len(found) == 1 else None


def _choose_name_vi(plan: PartnerPlan, names: list[str], preferred: set[str], avoided: set[str]) -> str:
    """The most official Vietnamese form among the names as written. For a locality: a bare name (no "tỉnh", no
    country after it), the reference data's own form if written so, else a typo's correction, never the typo,
    the shortest. For an organisation or a group: the longest, since the others abbreviate it ("WB")."""
    names = list(dict.fromkeys(names))
    if not names:
        return ""
    if plan.kind != PartnerKind.LOCALITY or plan.is_group:
        return max(names, key=len)
    bare = [name for name in names if core_name(name) == name] or [core_name(names[0])]
    # Compared with their diacritics: "Hà Khâu" (a typo) and "Hà Khẩu" fold alike.
    official = {_exact(plan.subdivision.name_vi)} if plan.subdivision else set()
    return min(
        bare,
        key=lambda name: (
            _exact(name) not in official,
            _exact(name) not in preferred,
            _exact(name) in avoided,
            len(name),
            bare.index(name),
        ),
    )


def _exact(text: str | None) -> str:
    return clean_text(text or "").casefold()


def _variant_spellings(plan: PartnerPlan, variants: list[tuple[list[str], Document]]) -> list[tuple[str, str]]:
    """Every spelling of a "spelling_variants" group that holds one of the partner's names ("Sê Koong",
    "Sê Kông")."""
    own = {fold(name) for name, _ in plan.spellings} | {fold(plan.name_vi)}
    found = []
    for group, document in variants:
        if any(fold(spelling) in own for spelling in group):
            found += [(spelling, document.title) for spelling in group]
    return found


def _link_parents(plans: dict[str, PartnerPlan], occurrences: dict, facts_ids: dict[str, str]) -> None:
    """A partner lies in another partner of the facts when its "parent_region_en" names that partner and the
    reference subdivisions do not contradict it; otherwise the region goes into the notes, in Vietnamese."""
    by_english = {fold(english_core(plan.name_en)): key for key, plan in plans.items() if plan.name_en}
    by_english.update({fold(plan.name_en): key for key, plan in plans.items() if plan.name_en})
    for fid, entries in occurrences.items():
        plan = plans[facts_ids[fid]]
        region = next((entry.get("parent_region_en") for _, entry in entries if entry.get("parent_region_en")), None)
        if not region:
            continue
        parent_key = by_english.get(fold(region)) or by_english.get(fold(english_core(region)))
        if parent_key == plan.key:
            parent_key = None
        if parent_key is None:
            if plan.country is None or fold(region) not in {fold(plan.country.name_en), fold(plan.country.name_vi)}:
                region_vi = vietnamese(region)
                plan.notes += [f"Thuộc {region_vi}."] if region_vi else []
            continue
        parent = plans[parent_key]
        if plan.subdivision and parent.subdivision and not _within(plan.subdivision, parent.subdivision):
            plan.notes.append(
                f"Văn bản ghi {plan.name_vi} thuộc {parent.name_vi}, nhưng theo danh mục đơn vị hành chính, "
                f"{plan.subdivision.name_vi} không thuộc {parent.subdivision.name_vi}: chưa gắn với đối tác cấp trên."
            )
            continue
        plan.parent_key = parent_key


def _within(subdivision: ForeignSubdivision, ancestor: ForeignSubdivision) -> bool:
    seen = set()
    while subdivision is not None and subdivision.pk not in seen:
        if subdivision.pk == ancestor.pk:
            return True
        seen.add(subdivision.pk)
        subdivision = subdivision.parent
    return False


def _nord_pas_de_calais_plan(log) -> PartnerPlan | None:
    spec = NORD_PAS_DE_CALAIS
    province = Unit.objects.filter(key=spec["province"]).first()
    country = Country.objects.filter(iso2=spec["country"]).first()
    if province is None or country is None:
        log(f"partners: {spec['key']} skipped: {spec['province']} or country {spec['country']} missing")
        return None
    return PartnerPlan(
        key=spec["key"],
        owner=province,
        kind=PartnerKind.LOCALITY,
        level=LocalityLevel.PROVINCE,
        is_group=False,
        name_vi=spec["name_vi"],
        name_en=spec["name_en"],
        country=country,
        subdivision=ForeignSubdivision.objects.filter(code=spec["subdivision"]).first(),
        notes=[spec["notes"]],
        spellings=[(spec["name_vi"], DOMAIN_SOURCE)],
    )


def _create_partners(plans: dict[str, PartnerPlan], counts: Counter) -> dict[str, Partner]:
    """Find each partner by key or create it; parents first, so that a partner is saved once with its parent."""

    def depth(key: str) -> int:
        level, seen = 0, set()
        while plans[key].parent_key and key not in seen:
            seen.add(key)
            key, level = plans[key].parent_key, level + 1
        return level

    partners: dict[str, Partner] = {}
    for key in sorted(plans, key=depth):
        plan = plans[key]
        existing = Partner.all_objects.filter(key=key).first()
        if existing is not None:
            partners[key] = existing
            continue
        partner = Partner(
            key=key,
            owner=plan.owner,
            kind=plan.kind,
            level=plan.level if plan.kind == PartnerKind.LOCALITY else "",
            is_group=plan.is_group,
            name_vi=plan.name_vi,
            name_en=plan.name_en,
            country=plan.country,
            subdivision=plan.subdivision,
            parent=partners.get(plan.parent_key) if plan.parent_key else None,
            notes="\n".join(plan.notes),
        )
        partner.full_clean()
        partner.save()
        partners[key] = partner
        counts["partners"] += 1
    return partners


def _add_aliases(partner: Partner, spellings: Iterable[tuple[str, str]], counts: Counter, log) -> None:
    """Every spelling not yet known as the partner's name or alias; one that another partner holds is skipped."""
    known = known_spellings(partner)
    added = False
    for spelling, source in spellings:
        spelling = clean_text(spelling)
        folded = fold(spelling)[:255]
        if not folded or folded in known:
            continue
        other = spelling_owner(spelling, exclude_partner=partner.pk)
        if other is not None:
            log(f"partners: spelling “{spelling}” of {partner.key} skipped: it belongs to {other.key}")
            known.add(folded)
            continue
        alias = PartnerAlias(partner=partner, name=spelling, source=source[:255])
        alias.full_clean()
        alias.save()
        known.add(folded)
        counts["aliases"] += 1
        added = True
    search_text = partner.build_search_text()
    if added or search_text != partner.search_text:
        Partner.all_objects.filter(pk=partner.pk).update(search_text=search_text)
        partner.search_text = search_text  # relationships copy it into their own search text


# Relationships ----------------------------------------------------------------------------------------------


def _relationship_plans(
    documents: list[Document], facts_ids: dict[str, str], plans: dict[str, PartnerPlan], log
) -> list[RelationshipPlan]:
    """One plan per (owner, partner, kind). A relationship the files give the same id is one relationship even
    where a file words its kind or unit differently (the first file's reading is kept, the other noted)."""
    groups: dict[tuple, RelationshipPlan] = {}
    by_facts_id: dict[tuple[int, str], RelationshipPlan] = {}
    units: dict[int, dict[str, Unit]] = {}
    for document in documents:
        for facts in document.facts.get("relationships", []):
            partner_id = facts.get("partner_id")
            if partner_id not in facts_ids:
                log(f"partners: relationship with unknown partner {partner_id!r} in {document.stem} skipped")
                continue
            owner, owner_note = _owner(document, facts.get("vn_unit") or "", units)
            kind = RELATIONSHIP_KINDS.get(facts.get("kind"), RelationshipKind.COOPERATION)
            same = by_facts_id.get((document.province.pk, facts["id"])) if facts.get("id") else None
            if same is not None:
                if (owner.pk, kind) != (same.owner.pk, same.kind):
                    words = vietnamese(facts["kind"]) if facts.get("kind") else ""
                    same.notes.append(
                        f"{document.name} ghi phía Việt Nam là “{facts.get('vn_unit')}”"
                        + (f", loại quan hệ là “{words}”" if words else "")
                        + ": vẫn là cùng một quan hệ."
                    )
                plan = same
            else:
                plan = groups.setdefault(
                    (owner.pk, facts_ids[partner_id], kind),
                    RelationshipPlan(owner=owner, partner_key=facts_ids[partner_id], kind=kind),
                )
                if facts.get("id"):
                    by_facts_id[(document.province.pk, facts["id"])] = plan
            if owner_note:
                plan.notes.append(owner_note)
            plan.occurrences.append((document, facts))
    result = list(groups.values())
    _add_domain_histories(result, plans, log)
    return result


def _add_domain_histories(result: list[RelationshipPlan], plans: dict[str, PartnerPlan], log) -> None:
    """Osan's interruption and Nord-Pas de Calais's ended programme (DOMAIN.md), which the facts do not date."""
    province = Unit.objects.filter(key="quang-nam-legacy").first()
    if province is None:
        return
    osan = next((p for p in result if p.owner.pk == province.pk and p.partner_key == "kr-osan"), None)
    if osan is None:
        log("partners: Quảng Nam – Osan not in the facts: DOMAIN.md's history not added")
    else:
        osan.steps += [
            Step(RelationshipStatus.DORMANT, dt.date(2004, 1, 1), DatePrecision.YEAR, OSAN_NOTE, DOMAIN_SOURCE),
            Step(RelationshipStatus.ACTIVE, dt.date(2011, 1, 1), DatePrecision.YEAR, "Khởi động lại.", DOMAIN_SOURCE),
        ]
    if NORD_PAS_DE_CALAIS["key"] in plans:
        result.append(
            RelationshipPlan(
                owner=province,
                partner_key=NORD_PAS_DE_CALAIS["key"],
                kind=RelationshipKind.DECENTRALISED,
                notes=[NORD_PAS_DE_CALAIS_NOTE],
                steps=[
                    Step(
                        RelationshipStatus.ENDED,
                        dt.date(2007, 1, 1),
                        DatePrecision.YEAR,
                        NORD_PAS_DE_CALAIS_NOTE,
                        DOMAIN_SOURCE,
                    )
                ],
            )
        )


def _status(word: str | None) -> str:
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    return RelationshipStatus(word) if word in RelationshipStatus.values else RelationshipStatus.EXPLORING


def _facts_steps(plan: RelationshipPlan) -> list[Step]:
    """A step for each occurrence's status (at its "since", else at the document's date) and an "established"
    step for each signing the facts date."""
    steps = list(plan.steps)
    for document, facts in plan.occurrences:
        when = parse_when(facts.get("since"))
        note = "" if when.exact else f"Thời gian theo văn bản: {date_in_words(facts.get('since'))}."
        if when.on is None:
            when, note = document.when, "Trạng thái tại thời điểm văn bản."
        if when.on is None:
            continue  # neither the relationship nor its document is dated: no step can be placed
        steps.append(Step(_status(facts.get("status")), when.on, when.precision, note, document.title[:255]))
        for item in _items(facts):
            signed = parse_when(item.get("date"))
            if item.get("kind") == "signing" and signed.on and signed.exact:
                text = item.get("text_vi") or item.get("quote") or ""
                steps.append(
                    Step(RelationshipStatus.ESTABLISHED, signed.on, signed.precision, text, document.title[:255])
                )
    return steps


def _refines(finer: Step, coarser: Step) -> bool:
    """``finer`` dates the same status more precisely within ``coarser``'s month or year."""
    if finer.status != coarser.status or _PRECISION_RANK[finer.precision] >= _PRECISION_RANK[coarser.precision]:
        return False
    if coarser.precision == DatePrecision.YEAR:
        return finer.on.year == coarser.on.year
    return (finer.on.year, finer.on.month) == (coarser.on.year, coarser.on.month)


def status_history(steps: list[Step]) -> list[Step]:
    """The steps in time order, a repeated status kept at its first date, a vaguer date of a status dropped for a
    more precise one ("2013" for "2013-04"); same-year steps in the order of the stages."""
    kept = [step for step in steps if not any(_refines(other, step) for other in steps if other is not step)]
    kept.sort(key=lambda step: (step.on, STAGE_ORDER.index(step.status)))
    history: list[Step] = []
    for step in kept:
        if history and history[-1].status == step.status:
            continue
        history.append(step)
    return history


# What else a relationship's facts say: the label each is kept under in its notes, and whether the facts write it
# in English (an annotation, passed through core.demo.vietnamese) or in the document's own Vietnamese words or
# numbers (kept). "history_vi" is an English annotation despite its name.
RELATIONSHIP_NOTES = {
    "partner_scope": ("Phía đối tác", True),
    "approved_in_principle": ("Năm thống nhất chủ trương", False),
    "planned_agreement_year": ("Năm dự kiến ký thỏa thuận", False),
    "until": ("Kết thúc", False),
    "agreement_ref": ("Văn bản thỏa thuận", False),
    "channel": ("Kênh hợp tác", True),
    "next_step": ("Bước tiếp theo", True),
    "history_vi": ("Lịch sử quan hệ", True),
    "implementation_note_vi": ("Tình hình thực hiện", False),
    "status_note": ("Về trạng thái", True),
}


def match_fields(written: Iterable[str], index: dict[str, Field]) -> tuple[dict[int, Field], list[str]]:
    """The catalogue's fields that the names written in the facts match (folded, by ``index``), by id, and the
    names that match none."""
    matched: dict[int, Field] = {}
    unplaced = []
    for name in written:
        item = index.get(fold(name))
        if item is None:
            unplaced.append(name)
        else:
            matched[item.pk] = item
    return matched, unplaced


def labelled_notes(document: str, facts: dict, labels: dict[str, tuple[str, bool]]) -> list[str]:
    """The facts named in ``labels`` that ``facts`` has, each as a note "Label (theo <document>): text." (a list
    is joined with semicolons), in the order of ``labels``; an annotation the facts write in English is given in
    its reviewed Vietnamese (``labels``: key → (label, whether to translate)), or left out."""
    notes = []
    for key, (name, translate) in labels.items():
        text = facts.get(key)
        text = "; ".join(text) if isinstance(text, list) else str(text or "")
        text = vietnamese(text) if text and translate else text
        if text:
            notes.append(f"{name} (theo {document}): {text.rstrip('.')}.")
    return notes


def _relationship_notes(plan: RelationshipPlan, fields: dict[str, Field], log) -> tuple[list[str], list[Field]]:
    notes = list(plan.notes)
    found: dict[int, Field] = {}
    for document, facts in plan.occurrences:
        # The facts' own word for a kind the catalogue lacks says what the relationship is about ("oda"); a status
        # word needs no note: the relationship's status holds it.
        word = facts.get("kind")
        words = vietnamese(word) if word and word not in RelationshipKind.values else ""
        if words:
            notes.append(f"Tính chất quan hệ (theo {document.name}): {words}.")
        notes += labelled_notes(document.name, facts, RELATIONSHIP_NOTES)
        for text in (facts.get("notes"), facts.get("note")):
            text = vietnamese(text) if text else ""
            if text:
                notes.append(f"Theo {document.name}: {text}")
        matched, unplaced = match_fields(facts.get("fields", []), fields)
        found.update(matched)
        if unplaced:
            notes.append(f"Lĩnh vực theo {document.name}, chưa có trong danh mục: {'; '.join(unplaced)}.")
            log(f"partners: fields not in the catalogue ({plan.partner_key}): {'; '.join(unplaced)}")
    return list(dict.fromkeys(notes)), list(found.values())


def _field_index() -> dict[str, Field]:
    """Fields by folded code, other code, name, and the Vietnamese wordings of the reference data."""
    wordings = {
        row["code"]: row.get("aliases_vi", [])
        for row in json.loads((REFERENCE_DATA / "fields.json").read_text(encoding="utf-8"))
    }
    index: dict[str, Field] = {}
    for item in Field.objects.all():
        for spelling in (item.code, *item.aliases, item.name_vi, item.name_en, *wordings.get(item.code, [])):
            if fold(spelling):
                index.setdefault(fold(spelling), item)
    return index


def _load_relationship(
    plan: RelationshipPlan,
    partner: Partner,
    names: dict[str, str],
    fields: dict[str, Field],
    counts: Counter,
    log,
) -> None:
    history = status_history(_facts_steps(plan))
    if not history:
        log(f"partners: {plan.owner.key} – {plan.partner_key}: no status, skipped")
        return
    relationship = Relationship.objects.filter(owner=plan.owner, partner=partner, kind=plan.kind).first()
    if relationship is None:
        notes, matched = _relationship_notes(plan, fields, log)
        latest = history[-1]
        relationship = Relationship(
            owner=plan.owner,
            partner=partner,
            kind=plan.kind,
            status=latest.status,
            status_since=latest.on,
            notes="\n".join(notes),
        )
        relationship.full_clean()
        relationship.save()
        relationship.fields.set(matched)
        counts["relationships"] += 1
    _add_steps(relationship, history, counts)
    for document, facts in plan.occurrences:
        for item in _items(facts):
            _add_interaction(relationship, document, item, names, counts)


def _add_steps(relationship: Relationship, history: list[Step], counts: Counter) -> None:
    """The steps the relationship lacks, as long as they move its history forward; the latest is its status."""
    existing = set(relationship.status_history.values_list("status", "on"))
    latest = relationship.status_history.order_by("-on", "-pk").first()
    for step in history:
        if (step.status, step.on) in existing or (latest is not None and step.on < latest.on):
            continue
        entry = RelationshipStatusChange(
            relationship=relationship,
            status=step.status,
            on=step.on,
            precision=step.precision,
            note=step.note,
            source=step.source[:255],
        )
        entry.full_clean()
        entry.save()
        latest = entry
        counts["status_steps"] += 1
    if latest is not None and (relationship.status, relationship.status_since) != (latest.status, latest.on):
        Relationship.all_objects.filter(pk=relationship.pk).update(status=latest.status, status_since=latest.on)


# Interactions -----------------------------------------------------------------------------------------------


def _items(facts: dict) -> list[dict]:
    return facts.get("interactions") or facts.get("activities") or []


def _interaction_kind(item: dict) -> str:
    word = item.get("kind") or ""
    if word == "letter":
        return {"in": InteractionKind.LETTER_RECEIVED, "out": InteractionKind.LETTER_SENT}.get(
            item.get("direction"), InteractionKind.INFORMATION_EXCHANGE
        )
    return INTERACTION_KINDS.get(word, InteractionKind.INFORMATION_EXCHANGE)


# The facts' statuses of an event, as a page says them (issue 18, item 8: no internal word on a page); "done" goes
# without saying.
STATUS_IN_WORDS = {
    "planned": "dự kiến",
    "proposed": "đề xuất",
    "in_progress": "đang thực hiện",
    "in progress": "đang thực hiện",
    "ongoing": "đang thực hiện",
    "negotiating": "đang đàm phán",
    "drafting": "đang dự thảo",
    "decided": "đã quyết định",
    "prospect": "đang tìm hiểu",
    "postponed": "tạm hoãn",
    "cancelled": "đã hủy",
}


def interaction_summary(item: dict, names: dict[str, str]) -> str:
    """The facts' Vietnamese text (the kind of event is the interaction's kind), followed by what the date and
    the other details say (``names``: partner names by facts id, for intermediaries)."""
    text = item.get("text_vi") or item.get("quote") or ""
    details = []
    when = parse_when(item.get("date"))
    if item.get("date") and not when.exact:
        details.append(f"thời gian theo văn bản: {date_in_words(item['date'])}")
    if item.get("date_inferred"):
        details.append("ngày suy ra")
    if not item.get("date") and item.get("period"):
        details.append(f"thời gian: {item['period']}")  # the document's own words ("Trong những năm qua")
    if STATUS_IN_WORDS.get(item.get("status")):
        details.append(f"tình trạng: {STATUS_IN_WORDS[item['status']]}")
    if item.get("planned_date"):
        details.append(f"thời gian dự kiến: {date_in_words(item['planned_date'])}")
    for name, label in (("outcome", "kết quả"), ("reason", "lý do"), ("frequency", "tần suất")):
        words = vietnamese(item[name]) if item.get(name) else ""
        if words:
            details.append(f"{label}: {words}")
    via = [item.get("via_partner_id"), *(item.get("via_partner_ids") or [])]
    via = [names.get(fid, fid) for fid in via if fid]
    if via:
        details.append(f"thông qua: {', '.join(via)}")
    if item.get("sub_partner_id"):
        details.append(f"liên quan: {names.get(item['sub_partner_id'], item['sub_partner_id'])}")
    tail = f" ({'; '.join(details)})" if details else ""
    return clean_text(f"{text}{tail}")


def _add_interaction(relationship: Relationship, document: Document, item: dict, names: dict[str, str], counts) -> None:
    kind = _interaction_kind(item)
    when = parse_when(item.get("date"))
    summary = interaction_summary(item, names)
    if Interaction.all_objects.filter(relationship=relationship, kind=kind, on=when.on, summary=summary).exists():
        return
    quote = item.get("quote")
    source = f"{document.title}: “{quote}”" if quote else document.title
    interaction = Interaction(
        relationship=relationship,
        owner=relationship.owner,
        on=when.on,
        precision=when.precision,
        kind=kind,
        summary=summary,
        source=clean_text(source)[:255],
    )
    interaction.full_clean()
    interaction.save()
    counts["interactions"] += 1
