"""Demo international agreements, built from the "agreements" of the seed documents' facts (core/demo_facts):
Quảng Nam's report on international agreements and its foreign-affairs summary for 2013, and Bắc Giang's
plan of local international cooperation 2021-2025 (issue 4).

The rows are written straight with the ORM inside the caller's transaction (core.demo.load_demo), as
partners.demo writes its own: there is no user, so no audit entry, and the status, which users move only through
agreements.services, is set as the documents state it. Every row passes ``full_clean()``. Where the loader reads
more into the facts than they say (a date, an opinion, a unit), the agreement's or the consultation's notes say
so in Vietnamese: every annotation of the facts passes through core.demo.vietnamese (its reviewed Vietnamese), and
a note cites a facts file by its short Vietnamese name (core.demo.document_name), never by its file name (issue 18,
item 8).

An agreement that two files list under one id (or under two ids that name one document, ``SAME_AS``) is one
agreement: the first file's reading is kept and the other file's differences are noted. Idempotent: an agreement
is found by (owner, title), a consultation by (agreement, body), a plan activity by (agreement, activity); a
second run creates nothing.

Needs the reference data, the demo organisations of core.demo, and the partners and relationships of
partners.demo, which core.demo loads first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import capfirst

from agreements.choices import (
    SIGNED_STATUSES,
    AgreementKind,
    AgreementStatus,
    ConsultedBody,
    ItemStatus,
    Opinion,
    RelationshipEffect,
    SignatoryLevel,
    SigningMode,
)
from agreements.models import Agreement, AgreementReport, Consultation, Evaluation, ImplementationItem
from core.choices import DatePrecision, UnitKind
from core.demo import document_name, vietnamese
from core.models import Field, Unit
from core.text import clean_text, fold_words
from partners.choices import InteractionKind, RelationshipKind
from partners.demo import When, _field_index, labelled_notes, match_fields, parse_when, partner_key
from partners.models import Interaction, Partner, Relationship
from partners.resolve import resolve

# The facts' kinds of document. "minutes" is decided by the title (``_kind``).
KINDS = {
    "agreement": AgreementKind.AGREEMENT,
    "mou": AgreementKind.MOU,
    "meeting_record": AgreementKind.MINUTES_OF_TALKS,
    "cooperation_plan": AgreementKind.COOPERATION_PLAN,
}
HIGH_LEVEL_MEETING = "hoi nghi cap cao"

# The bodies the facts say were consulted, by their folded Vietnamese name: (body, name kept with it).
CONSULTED_BODIES = {
    "bo ngoai giao": (ConsultedBody.MOFA, ""),
    "bo ke hoach va dau tu": (ConsultedBody.PLANNING_INVESTMENT, "Bộ Kế hoạch và Đầu tư"),
}

# Entries of two files that name one document under two ids. The facts' "inconsistencies" say that the
# summary's working record with Battambang and Siem Reap is the report's working record with Battambang.
# A working record of a visit (biên bản làm việc) notes intentions; it is not an international agreement (Law
# 70/2020/QH14, Art. 2), and the agreements report lists it apart from the three signed ("Bên cạnh đó..."). The
# visit is in the relationship's timeline (partners.demo).
NOT_AGREEMENTS = frozenset({"meeting_record"})
SAME_AS = {"a_cambodia_working_record_2013": "a_battambang_record_2013"}

# When an owner holds several relationships with a partner, an agreement belongs to the one between the two
# sides themselves (special friendship, friendship and cooperation) rather than to the twinning of their localities.
RELATIONSHIP_PREFERENCE = [
    RelationshipKind.SPECIAL_FRIENDSHIP,
    RelationshipKind.FRIENDSHIP_COOPERATION,
    RelationshipKind.COOPERATION,
    RelationshipKind.DECENTRALISED,
    RelationshipKind.TWINNING,
]

ITEM_STATUSES = {
    "planned": ItemStatus.PLANNED,
    "in_progress": ItemStatus.IN_PROGRESS,
    "done": ItemStatus.DONE,
    "cancelled": ItemStatus.CANCELLED,
}

# The signatory level of a unit that signs (agreements.workflow decides whom it consults).
LEVELS = {
    UnitKind.PROVINCE: SignatoryLevel.PROVINCIAL,
    UnitKind.MUNICIPALITY: SignatoryLevel.PROVINCIAL,
    UnitKind.DISTRICT: SignatoryLevel.DISTRICT,
    UnitKind.DEPARTMENT: SignatoryLevel.DEPARTMENT,
}

_TERM = re.compile(r"(\d{4})\s*-\s*(\d{4})")
_PEOPLES_COMMITTEE = ("ubnd ", "uy ban nhan dan ")
_PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}


@dataclass
class Source:
    """One facts file with agreements: its title (where each agreement comes from), the legacy province that
    issued it, and the short name its notes cite it by."""

    stem: str
    title: str
    facts: dict
    province: Unit
    name: str = ""

    def partner_entry(self, facts_id: str) -> dict:
        return next((entry for entry in self.facts.get("partners", []) if entry.get("id") == facts_id), {})


@dataclass
class Plan:
    """One agreement: every file's entry for it, the first one leading."""

    occurrences: list[tuple[Source, dict]] = field(default_factory=list)

    @property
    def source(self) -> Source:
        return self.occurrences[0][0]

    @property
    def entry(self) -> dict:
        return self.occurrences[0][1]

    @property
    def ids(self) -> set[str]:
        return {entry["id"] for _, entry in self.occurrences if entry.get("id")}

    def values(self, name: str) -> list:
        """``name`` of every entry that has it, in file order."""
        return [entry[name] for _, entry in self.occurrences if entry.get(name)]


def load_agreements(facts_dir: Path, log: Callable[[str], object] = print) -> dict[str, int]:
    """Load every agreement of the facts files in ``facts_dir`` with its foreign parties, relationship, status,
    consultations and plan activities; return what was created now."""
    counts = Counter(dict.fromkeys(("agreements", "consultations", "implementation_items"), 0))
    units: dict[int, dict[str, Unit]] = {}
    fields = _field_index()
    sources = _sources(Path(facts_dir), log)
    for plan in _plans(sources):
        _load(plan, units, fields, counts, log)
    counts.update(load_typed(log))
    log("created now: " + ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items()))
    return dict(counts)


# What people typed: reviewed data files, copied whole from the seed documents (agreements/demo_data).
TYPED_DIR = Path(__file__).resolve().parent / "demo_data"


def load_typed(log: Callable[[str], object] = print, typed_dir: Path = TYPED_DIR) -> Counter:
    """Load what users type into the product for the demo's reports, from the reviewed files of ``typed_dir``:
    the paragraphs of a unit's annual agreements report (its request answered, assessments, shortcomings, requests
    to the Ministry), each agreement's evaluation of a year (what was done under it, as the unit wrote it), and
    the outcome of a visit that drew up working minutes. The lists and counts of the report are still computed
    from the registry (agreements.report). Idempotent: a report is found by (unit, period), an evaluation by
    (agreement, date), a visit by (unit, partner, year)."""
    counts: Counter = Counter(dict.fromkeys(("typed_reports", "evaluations", "visits"), 0))
    for path in sorted(typed_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("reports", []):
            counts["typed_reports"] += _typed_report(entry)
        for entry in data.get("evaluations", []):
            counts["evaluations"] += _typed_evaluation(entry, path, log)
        for entry in data.get("visits", []):
            counts["visits"] += _typed_visit(entry, path, log)
    return counts


def _typed_report(entry: dict) -> int:
    unit = Unit.objects.get(key=entry["unit"])
    if AgreementReport.all_objects.filter(owner=unit, period=entry["period"]).exists():
        return 0
    report = AgreementReport(
        owner=unit,
        period=entry["period"],
        place=unit.name,
        responds_to=entry.get("responds_to", ""),
        **{
            name: "\n".join(entry.get(name, []))
            for name in ("compliance_assessment", "implementation_overview", "shortcomings", "requests")
        },
    )
    report.full_clean()
    report.save()
    return 1


def _typed_evaluation(entry: dict, path: Path, log) -> int:
    agreement = Agreement.all_objects.filter(owner__key=entry["unit"], title=entry["agreement"]).first()
    if agreement is None:
        log(f"{path.name}: no agreement {entry['agreement']!r} of {entry['unit']}: its evaluation is skipped")
        return 0
    on = dt.date.fromisoformat(entry["on"])
    if Evaluation.objects.filter(agreement=agreement, on=on).exists():
        return 0
    evaluation = Evaluation(
        agreement=agreement,
        on=on,
        rating=entry.get("rating", ""),
        assessment=entry["assessment"],
    )
    evaluation.full_clean()
    evaluation.save()
    return 1


def _typed_visit(entry: dict, path: Path, log) -> int:
    """The visit of the unit to (or from) the partner in the year, as partners.demo loaded it from the facts,
    completed with what the working minutes recorded."""
    visit = (
        Interaction.all_objects.filter(
            owner__key=entry["unit"],
            relationship__partner__name_vi=entry["partner"],
            kind__in=[InteractionKind.VISIT_OUT, InteractionKind.VISIT_IN],
            on__year=entry["year"],
        )
        .order_by("pk")
        .first()
    )
    if visit is None:
        log(f"{path.name}: no visit with {entry['partner']} in {entry['year']}: its outcome is skipped")
        return 0
    if visit.working_minutes and visit.outcome == entry["outcome"]:
        return 0
    visit.people = entry.get("people", visit.people)
    visit.working_minutes = bool(entry.get("working_minutes"))
    visit.outcome = entry["outcome"]
    visit.full_clean()
    visit.save()
    return 1


# Files and Vietnamese units ---------------------------------------------------------------------------------


def _sources(facts_dir: Path, log) -> list[Source]:
    provinces = list(Unit.objects.filter(is_legacy=True, kind__in=[UnitKind.PROVINCE, UnitKind.MUNICIPALITY]))
    sources = []
    for path in sorted(facts_dir.glob("*.json")):
        facts = json.loads(path.read_text(encoding="utf-8"))
        if not facts.get("agreements"):
            continue
        header = facts.get("document", {})
        issuer = fold_words(header.get("issuer"))
        found = [unit for unit in provinces if f" {fold_words(unit.name)} " in f" {issuer} "]
        if not found:
            log(f"agreements: {path.name} skipped: no legacy province matches its issuer {header.get('issuer')!r}")
            continue
        province = max(found, key=lambda unit: len(unit.name))
        title = header.get("title_vi") or path.stem
        sources.append(Source(path.stem, title, facts, province, name=document_name(path.stem, title)))
    return sources


def _plans(sources: list[Source]) -> list[Plan]:
    plans: dict[tuple[int, str], Plan] = {}
    for source in sources:
        for entry in source.facts["agreements"]:
            if entry.get("kind") in NOT_AGREEMENTS:
                continue
            key = SAME_AS.get(entry["id"], entry["id"])
            plans.setdefault((source.province.pk, key), Plan()).occurrences.append((source, entry))
    return list(plans.values())


def _unit_index(province: Unit) -> dict[str, Unit]:
    """The province and every unit under it by folded name and full name; the province and districts win."""
    index: dict[str, Unit] = {}
    for unit in [province, *Unit.objects.filter(root=province).order_by("level", "pk")]:
        for name in (unit.full_name, unit.name):
            if name:
                index.setdefault(fold_words(name), unit)
    return index


def _unit(province: Unit, written: str, cache: dict[int, dict[str, Unit]]) -> tuple[Unit, str]:
    """The unit of ``province`` named ``written``, with a note when it is not that unit exactly. The People's
    Committee of a province signs on the province's behalf: "UBND tỉnh Quảng Nam" is the province."""
    index = cache.setdefault(province.pk, _unit_index(province))
    folded = fold_words(written)
    note = ""
    for prefix in _PEOPLES_COMMITTEE:
        if folded.startswith(prefix) and folded[len(prefix) :] in index:
            folded = folded[len(prefix) :]
            note = (
                f"Văn bản ghi bên ký là “{written}”: ghi cho {index[folded].full_name} (Ủy ban nhân dân ký nhân danh "
                "địa phương)."
            )
    unit = index.get(folded)
    if unit is None:
        # "Sở Ngoại vụ" for "Sở Ngoại vụ tỉnh Bắc Giang".
        unit = next((candidate for name, candidate in index.items() if name.startswith(f"{folded} ")), None)
    if unit is None:
        return province, f"Không tìm thấy đơn vị “{written}” trong danh mục đơn vị: ghi cho tỉnh."
    return unit, note


def _signatory_level(owner: Unit) -> tuple[str, str]:
    """The level a unit signs at; a unit of another kind (a school) signs at the level of the unit above it."""
    unit, seen = owner, set()
    while unit is not None and unit.pk not in seen:
        if unit.kind in LEVELS:
            note = "" if unit == owner else f"Cấp ký ghi theo đơn vị chủ quản của {owner.name}: {unit.full_name}."
            return LEVELS[unit.kind], note
        seen.add(unit.pk)
        unit = unit.parent
    return SignatoryLevel.PROVINCIAL, f"Không xác định được cấp ký của {owner.name}: ghi cấp tỉnh."


# One agreement ----------------------------------------------------------------------------------------------


def _load(plan: Plan, units: dict, fields: dict[str, Field], counts: Counter, log) -> None:
    entry, province = plan.entry, plan.source.province
    notes = [f"Nguồn: {source.title}: “{item['quote']}”." for source, item in plan.occurrences if item.get("quote")]
    owner, note = _unit(province, entry.get("vn_party") or province.name, units)
    notes += [note] if note else []
    title = capfirst(clean_text(entry["title_vi"]))
    for source, other in plan.occurrences[1:]:
        if clean_text(other.get("title_vi") or "") != clean_text(entry["title_vi"]):
            notes.append(f"Tên trong {source.name}: “{other['title_vi']}”.")
        if other.get("vn_party") and fold_words(other["vn_party"]) != fold_words(entry.get("vn_party")):
            other_owner, _note = _unit(province, other["vn_party"], units)
            notes.append(
                f"{source.name} ghi bên ký là “{other['vn_party']}” "
                f"({'cùng đơn vị' if other_owner == owner else other_owner})."
            )
    partners = _partners(plan, log)
    if not partners:
        log(f"agreements: {entry['id']}: no foreign party found, skipped")
        return
    agreement = Agreement.all_objects.filter(owner=owner, title=title).first()
    if agreement is None:
        agreement = _create(plan, owner, title, partners, notes, fields, log)
        counts["agreements"] += 1
    _consultations(plan, agreement, counts, log)
    _implementation(plan, agreement, units, counts)


def _create(plan: Plan, owner: Unit, title: str, partners: list[Partner], notes: list[str], fields, log) -> Agreement:
    entry = plan.entry
    kind = _kind(entry, title, notes)
    status, planned_year = _status(plan, notes, log)
    signed = _signed(plan, notes)
    level, level_note = _signatory_level(owner)
    notes += [level_note] if level_note else []
    expires_on, duration = _term(entry)
    if expires_on and status == AgreementStatus.IN_FORCE:
        notes.append(f"Hết hạn ghi theo thời hạn của thỏa thuận ({entry['term']}): ngày cuối năm {expires_on.year}.")
    relationship = _relationship(owner, partners[0])
    matched, unplaced = _fields(plan, fields)
    if unplaced:
        notes.append(f"Lĩnh vực theo văn bản, chưa có trong danh mục: {'; '.join(unplaced)}.")
    notes += _facts_notes(plan)
    agreement = Agreement(
        owner=owner,
        title=title,
        kind=kind,
        signatory_level=level,
        signatory=entry.get("vn_signatory") or "",
        status=status,
        planned_year=planned_year,
        signed_on=signed.on,
        signed_precision=signed.precision,
        place_signed=entry.get("place_signed") or "",
        signing_mode=SigningMode.DURING_DELEGATION if "visit" in (entry.get("context") or "") else "",
        expires_on=expires_on,
        duration_years=duration,
        terminated_on=expires_on if status == AgreementStatus.EXPIRED else None,
        relationship=relationship,
        relationship_effect=_effect(kind),
        notes="\n".join(dict.fromkeys(notes)),
    )
    agreement.full_clean()
    agreement.save()
    agreement.partners.set(partners)
    agreement.fields.set(matched)
    return agreement


def _partners(plan: Plan, log) -> list[Partner]:
    """The foreign parties by the keys partners.demo gave them; a partner missing there is looked up by its
    spellings, within its country."""
    found: dict[int, Partner] = {}
    for source, entry in plan.occurrences:
        for facts_id in entry.get("partner_ids", []):
            facts = source.partner_entry(facts_id)
            iso2 = facts.get("country_iso2")
            partner = Partner.all_objects.filter(key=partner_key(facts_id, iso2)).first()
            if partner is None:
                partner = next(
                    (
                        candidate.partner
                        for name in facts.get("names_as_written", [])
                        for candidate in resolve(name, country=iso2, limit=3)
                        if candidate.partner.country_id and candidate.partner.country.iso2 == iso2
                    ),
                    None,
                )
            if partner is None:
                log(f"agreements: {entry['id']}: partner {facts_id} not found")
                continue
            found.setdefault(partner.pk, partner)
    return list(found.values())


def _kind(entry: dict, title: str, notes: list[str]) -> str:
    word = entry.get("kind") or ""
    if word == "minutes":
        if HIGH_LEVEL_MEETING in fold_words(title):
            return AgreementKind.HIGH_LEVEL_MINUTES
        return AgreementKind.MINUTES_OF_TALKS
    if word not in KINDS:
        words = vietnamese(word) if word else ""
        notes.append(
            f"Văn bản nguồn gọi văn kiện là “{words}”: ghi là loại khác."
            if words
            else "Văn bản nguồn không nêu loại văn kiện: ghi là loại khác."
        )
    return KINDS.get(word, AgreementKind.OTHER)


def _effect(kind: str) -> str:
    """A periodic high-level meeting's minutes continue a relationship; a working record neither sets one up nor
    continues it (it records the intent to); every other kind sets one up."""
    if kind == AgreementKind.HIGH_LEVEL_MINUTES:
        return RelationshipEffect.RENEWS
    if kind == AgreementKind.MINUTES_OF_TALKS:
        return RelationshipEffect.NONE
    return RelationshipEffect.ESTABLISHES


def _status(plan: Plan, notes: list[str], log) -> tuple[str, int | None]:
    """The status as the documents state it, and the planned year of a planned agreement."""
    entry = plan.entry
    word = entry.get("status") or ""
    implemented = any(
        item.get("list") == "in_force"
        or "being implemented" in (item.get("implementation_status") or "")
        or item.get("implementation")
        for _, item in plan.occurrences
    )
    if word == "signed":
        if implemented:
            notes.append("Ghi là đang có hiệu lực: văn bản nêu thỏa thuận đang được triển khai thực hiện.")
            return AgreementStatus.IN_FORCE, None
        return AgreementStatus.SIGNED, None
    if word == "in_force":
        return AgreementStatus.IN_FORCE, None
    if word == "planned":
        return AgreementStatus.DRAFT, entry.get("year_listed")
    if word == "drafting":
        notes.append("Văn bản nêu hai bên đang thảo luận nội dung; không nêu năm dự kiến ký.")
        return AgreementStatus.DRAFT, None
    if word == "proposed_not_signed":
        proposed = entry.get("proposed")
        notes.append(f"Đề xuất năm {proposed}, không ký được: ghi là đã hủy." if proposed else "Không ký được.")
        return AgreementStatus.CANCELLED, None
    if word.startswith("signed") and "ended" in word:
        words = vietnamese(word)
        notes.append(f"Văn bản nêu: {words}; ghi là đã hết hạn." if words else "Ghi là đã hết hạn.")
        return AgreementStatus.EXPIRED, None
    log(f"agreements: {entry['id']}: status {word!r} unknown, recorded as a draft")
    words = vietnamese(word) if word else ""
    notes.append(
        f"Văn bản nêu trạng thái: {words}; ghi là dự thảo."
        if words
        else "Văn bản không nêu trạng thái: ghi là dự thảo."
    )
    return AgreementStatus.DRAFT, None


def _signed(plan: Plan, notes: list[str]) -> When:
    """The most precise signing date any file gives ("2013-04" rather than "2013")."""
    dates = [parse_when(text) for text in plan.values("signed")]
    dates = [when for when in dates if when.on is not None]
    if not dates:
        if plan.entry.get("status") in {"signed", "in_force"}:
            notes.append("Văn bản không nêu ngày ký: để trống.")
        return When(None)
    best = min(dates, key=lambda when: _PRECISION_RANK[when.precision])
    for name, label in (("signed_basis", "Căn cứ ngày ký"), ("signed_note", "Về ngày ký")):
        for text in plan.values(name):
            words = vietnamese(text)
            notes += [f"{label}: {words.rstrip('.')}."] if words else []
    if any(item.get("signed_inferred") for _, item in plan.occurrences):
        notes.append("Năm ký suy ra từ thời hạn hợp tác, văn bản không nêu.")
    return best


def _term(entry: dict) -> tuple[dt.date | None, int | None]:
    """A term "2021-2025" ends on the last day of its last year."""
    match = _TERM.search(entry.get("term") or "")
    if match is None:
        return None, None
    first, last = int(match.group(1)), int(match.group(2))
    return dt.date(last, 12, 31), last - first + 1


def _relationship(owner: Unit, partner: Partner) -> Relationship | None:
    found = list(Relationship.objects.filter(owner=owner, partner=partner))
    order = {kind: index for index, kind in enumerate(RELATIONSHIP_PREFERENCE)}
    return min(found, key=lambda row: (order.get(row.kind, len(order)), row.pk), default=None)


def _fields(plan: Plan, index: dict[str, Field]) -> tuple[list[Field], list[str]]:
    written = [name for _, entry in plan.occurrences for name in entry.get("fields", [])]
    matched, unplaced = match_fields(written, index)
    return list(matched.values()), list(dict.fromkeys(unplaced))


# What else an agreement's facts say: the label each is kept under in its notes, and whether the facts write it in
# English (an annotation, passed through core.demo.vietnamese) or in the document's own words (kept).
AGREEMENT_NOTES = {
    "title_note": ("Về tên văn kiện", True),
    "content_vi": ("Nội dung", False),
    "implementation_status": ("Tình hình thực hiện", True),
    "implementation": ("Triển khai", True),
    "partner_signatory": ("Bên ký phía bạn", False),
    "context": ("Bối cảnh ký", True),
    "term": ("Thời hạn", False),
    "reason_not_signed": ("Lý do không ký", True),
    "consultation_planned": ("Dự kiến xin ý kiến", False),
    "notes": ("Ghi chú", True),
}


def _facts_notes(plan: Plan) -> list[str]:
    """What else the facts say of the agreement, in Vietnamese, each citing its document."""
    notes = []
    for source, entry in plan.occurrences:
        notes += labelled_notes(source.name, entry, AGREEMENT_NOTES)
        if entry.get("counted_in_report_total") is False:
            notes.append(f"{source.name} không tính văn kiện này vào tổng số thỏa thuận đã ký trong năm.")
    return notes


# Consultations and the plan ---------------------------------------------------------------------------------


def _consultations(plan: Plan, agreement: Agreement, counts: Counter, log) -> None:
    """A consultation for each body a file says was asked. The files say only that the opinion was asked: a
    signed agreement is taken to have had it (agrees), dated on the signing, which the notes say."""
    for written in dict.fromkeys(name for _, entry in plan.occurrences for name in entry.get("consulted", [])):
        quotes = " ".join(
            f"“{entry['quote']}”" for _, entry in plan.occurrences if written in entry.get("consulted", [])
        )
        body, body_name = CONSULTED_BODIES.get(fold_words(written), (ConsultedBody.OTHER, written))
        if body == ConsultedBody.OTHER:
            log(f"agreements: consulted body {written!r} not known, recorded as another body")
        if Consultation.all_objects.filter(agreement=agreement, body=body).exists():
            continue
        consultation = Consultation(agreement=agreement, owner=agreement.owner, body=body, body_name=body_name)
        on = agreement.signed_on
        if on is not None and agreement.status in SIGNED_STATUSES:
            written_on = on.strftime("%Y" if agreement.signed_precision == DatePrecision.YEAR else "%m/%Y")
            consultation.sent_on = consultation.reply_on = on
            consultation.opinion = Opinion.AGREE
            consultation.notes = (
                f"Văn bản chỉ nêu đã xin ý kiến {written} ({quotes}); không nêu ngày gửi, ngày trả lời và nội dung "
                f"ý kiến. Ghi “đồng ý” vì thỏa thuận đã được ký; ngày gửi và ngày trả lời không rõ, ghi bằng ngày "
                f"ký ({written_on}) để ngày trả lời không trước ngày gửi."
            )
        else:
            consultation.notes = f"Văn bản nêu xin ý kiến {written} ({quotes}); không nêu ngày."
        consultation.full_clean()
        consultation.save()
        counts["consultations"] += 1


def _implementation(plan: Plan, agreement: Agreement, units: dict, counts: Counter) -> None:
    """The tasks of the same file that implement the signed agreement: those that name it, and those that name
    its partner and an agreement ("Kế hoạch thực hiện Thỏa thuận hợp tác ... Xây Sôm Bun")."""
    if agreement.status not in SIGNED_STATUSES:
        return
    partner_ids = {pid for _, entry in plan.occurrences for pid in entry.get("partner_ids", [])}
    for source, _entry in plan.occurrences:
        for task in source.facts.get("tasks", []):
            names_it = bool(plan.ids & set(task.get("related") or []))
            about_it = bool(partner_ids & set(task.get("partner_ids") or [])) and "thoa thuan" in fold_words(
                task.get("text_vi")
            )
            if not (names_it or about_it):
                continue
            activity = clean_text(task.get("text_vi") or "")[:500]
            if not activity or ImplementationItem.objects.filter(agreement=agreement, activity=activity).exists():
                continue
            lead = task.get("lead_unit") or next(iter(task.get("lead_units") or []), "")
            deadline = parse_when(task.get("deadline_iso") or task.get("deadline"))
            item = ImplementationItem(
                agreement=agreement,
                activity=activity,
                lead_unit=_unit(source.province, lead, units)[0] if lead else None,
                deadline=_end_of(deadline),
                status=ITEM_STATUSES.get(task.get("status"), ItemStatus.PLANNED),
            )
            item.full_clean()
            item.save()
            counts["implementation_items"] += 1


def _end_of(when: When) -> dt.date | None:
    """A deadline stated as a year or a month falls on its last day."""
    if when.on is None:
        return None
    if when.precision == DatePrecision.YEAR:
        return dt.date(when.on.year, 12, 31)
    if when.precision == DatePrecision.MONTH:
        following = (when.on.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return when.on
