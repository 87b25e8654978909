"""Demo delegations, built from the "delegations" of the seed documents' facts (core/demo_facts): the 17 that Quảng
Nam's foreign-affairs summary for 2013 names and those its report on international agreements adds (issue 19,
item 9). The declared totals (164 outgoing delegations, 730 person-trips...) are core.demo's declared figures,
untouched: these rows are the delegations the documents name, not all of them (activities.indicators).

Rows are written straight with the ORM inside the caller's transaction (core.demo.load_demo), as the other demo
loaders do; every row passes ``full_clean()``. A delegation whose size the document does not state keeps neither a
list nor a number, and its notes say so (the form asks for one when it is next edited). What a user reads is
Vietnamese: the document's own words (its purpose, its quote), the short name of the document (core.demo
.document_name); the facts' English notes are not used.

A delegation that two files list under one id, or under the two ids of ``SAME_AS``, is one delegation: the summary's
reading leads, and a finer date from the other file is taken. Idempotent: a delegation is found by (owner,
direction, purpose, start date), a member by (delegation, name); a second run creates nothing. A delegation met
partners: its visit is added to each relationship's timeline once (activities.services.record_meetings).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.utils.text import capfirst

from activities.choices import AwardDirection, AwardStatus, DelegationStatus, Direction, EventKind, VisitorLevel
from activities.models import Award, Delegation, DelegationMember, Event
from activities.services import record_meetings
from core.choices import DatePrecision
from core.demo import document_name
from core.models import Country, Unit
from core.text import fold_words
from partners.demo import parse_when, partner_key
from partners.models import Partner

# The summary leads: it is the document that counts the year's delegations.
LEAD = "foreign-affairs-summary-quang-nam-2013"
# The agreements report names two of the summary's trips by one of their legs: the Secretary's visit to Battambang
# (the Cambodia leg, April 2013) and the April 2013 visit to Osan of the Chairman's delegation.
SAME_AS = {"d_out_battambang": "d_out_hai", "d_out_osan": "d_out_thanh_korea"}
# Words of the facts that name no place a user should read.
NOT_PLACES = frozenset({"various"})
_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
OWNERS = {"Quảng Nam": "quang-nam-legacy", "Bắc Giang": "bac-giang-legacy"}


def _person(text: str | None) -> tuple[str, str]:
    """ "Nguyễn Đức Hải, Ủy viên BCH TW Đảng, Bí thư Tỉnh ủy" → name and position; a text without a comma is a
    position alone ("Đại sứ đặc mệnh toàn quyền Israel")."""
    if not text:
        return "", ""
    name, _, position = str(text).partition(",")
    return (name.strip(), position.strip()) if position else ("", name.strip())


def _level(position: str) -> str:
    folded = position.lower()
    if "đại sứ" in folded:
        return VisitorLevel.AMBASSADOR
    if "bộ trưởng" in folded:
        return VisitorLevel.MINISTER
    return ""


def _entries(facts_dir: Path) -> list[tuple[str, dict, list[tuple[str, dict]]]]:
    """(id, the leading entry, every (file stem, entry) naming it), the lead file's first."""
    files = sorted(facts_dir.glob("*.json"), key=lambda path: (path.stem != LEAD, path.stem))
    plans: dict[str, list[tuple[str, dict]]] = {}
    for path in files:
        facts = json.loads(path.read_text(encoding="utf-8"))
        for entry in facts.get("delegations", []):
            plans.setdefault(SAME_AS.get(entry["id"], entry["id"]), []).append((path, facts, entry))
    return [(fid, rows[0][2], rows) for fid, rows in plans.items()]


def _partners(rows) -> list[Partner]:
    found = []
    for _path, facts, entry in rows:
        for fid in entry.get("partner_ids") or []:
            described = next((item for item in facts.get("partners", []) if item.get("id") == fid), {})
            partner = Partner.objects.filter(key=partner_key(fid, described.get("country_iso2"))).first()
            if partner is not None and partner not in found:
                found.append(partner)
    return found


def load_delegations(facts_dir: Path, log) -> int:
    created = 0
    for _fid, entry, rows in _entries(facts_dir):
        owner_key = next((key for name, key in OWNERS.items() if name in str(entry.get("vn_unit") or "")), None)
        owner = Unit.objects.filter(key=owner_key).first() if owner_key else None
        if owner is None:
            continue
        direction = Direction.OUTGOING if entry.get("direction") == "out" else Direction.INCOMING
        # The finest date any file gives.
        when = min((parse_when(row[2].get("date")) for row in rows), key=lambda item: _RANK[item.precision])
        end = parse_when(entry.get("end_date"))
        places = [place for place in entry.get("destinations_or_origin") or [] if place not in NOT_PLACES]
        purpose = capfirst(str(entry.get("purpose_vi") or "").strip())
        if places:
            purpose = f"{purpose} ({'; '.join(places)})"
        delegation = Delegation.objects.filter(
            owner=owner, direction=direction, purpose=purpose, departs_on=when.on
        ).first()
        partners = _partners(rows)
        leader_name, leader_position = _person(entry.get("leader"))
        if delegation is None:
            count = entry.get("members_count")
            sources = [
                document_name(path.stem, facts.get("document", {}).get("title_vi") or path.stem)
                for path, facts, _ in rows
            ]
            notes = [f"Nguồn: {'; '.join(dict.fromkeys(sources))}."]
            quotes = [row[2].get("quote") for row in rows if row[2].get("quote")]
            notes += [f"Trích: «{quote}»." for quote in quotes]
            named = bool(leader_name) or bool(entry.get("deputy_leader"))
            if not count:
                notes.append(
                    "Văn bản nguồn không nêu số thành viên của đoàn; danh sách chỉ gồm những người văn bản nêu tên."
                    if named
                    else "Văn bản nguồn không nêu số thành viên của đoàn."
                )
            if entry.get("members_count_text"):
                notes.append(f"Số thành viên theo văn bản: {entry['members_count_text']}.")
            notes.append("Văn bản nguồn không nêu đoàn có trong kế hoạch đối ngoại năm hay phát sinh.")
            # Where the document names the country it went to ("Tập đoàn Mazda tại Thái Lan"), that one: a partner's
            # own country (Mazda's, Japan) is not where the delegation went.
            countries = _countries_named(places) or _countries(partners)
            delegation = Delegation(
                owner=owner,
                direction=direction,
                purpose=purpose,
                leader_name=leader_name,
                leader_position=leader_position,
                origin_country=countries[0] if direction == Direction.INCOMING and countries else None,
                level=_level(leader_position) if direction == Direction.INCOMING else "",
                departs_on=when.on,
                date_precision=when.precision,
                returns_on=end.on,
                status=DelegationStatus.DONE,
                member_count=count or None,
                outcomes="",
                notes="\n".join(notes),
            )
            delegation.full_clean()
            delegation.save()
            delegation.partners.set(partners)
            if direction == Direction.OUTGOING:
                delegation.countries.set(countries)
            created += 1
        # The people the document names are the list; a document that states the number keeps the number instead.
        for text in () if delegation.member_count else (entry.get("leader"), entry.get("deputy_leader")):
            name, position = _person(text)
            if name and not delegation.members.filter(name=name).exists():
                member = DelegationMember(delegation=delegation, name=name, position=position)
                member.full_clean()
                member.save()
        record_meetings(delegation, user=None, audited=False)
    log(f"delegations: {created} created")
    return created


# Events with foreign participation and awards (issue 19, item 9): those Quảng Nam's foreign-affairs summary for
# 2013 lists under its sections I.1 and I.8, from that document alone (the other files' events are its projects'
# activities, not the registry's). Idempotent: an event is found by (owner, name, start date), an award by (owner,
# direction, name, class, date); every row passes ``full_clean()``; what a user reads is the document's words.
EVENTS_AND_AWARDS = LEAD
EVENT_KINDS = {
    "festival": EventKind.FESTIVAL,
    "cultural_day": EventKind.CULTURAL_DAY,
    "anniversary": EventKind.ANNIVERSARY,
    "fair": EventKind.FAIR,
    "sports": EventKind.SPORTS,
    "conference": EventKind.CONFERENCE,
    "forum": EventKind.FORUM,
    "ceremony": EventKind.CEREMONY,
    "visit": EventKind.VISIT,
}
# The facts gloss a Vietnamese name in English within parentheses ("khen thưởng đối ngoại (of the Lao State)"):
# such a gloss is not the document's words and is left out.
_ENGLISH_GLOSS = re.compile(r"\s*\([A-Za-z][A-Za-z .,'-]*\)")


def _facts_partners(facts: dict, fids) -> list[Partner]:
    """The partners the demo's partners loader made of the facts' ids (partners.demo.partner_key), in order."""
    found = []
    for fid in fids or []:
        described = next((item for item in facts.get("partners", []) if item.get("id") == fid), {})
        partner = Partner.objects.filter(key=partner_key(fid, described.get("country_iso2"))).first()
        if partner is not None and partner not in found:
            found.append(partner)
    return found


def _written_partner_ids(facts: dict, names) -> list[str]:
    """The facts' ids of the partners written exactly ``names`` in the document (an award names no partner id, but
    its giver, "Nhà nước Lào", and its recipients, "… của tỉnh Sê Koong", as the partners' entries write them)."""
    wanted = {name.strip() for name in names if name and name.strip()}
    return [
        item["id"]
        for item in facts.get("partners", [])
        if wanted & {str(written).strip() for written in item.get("names_as_written") or []}
    ]


def _owner(facts: dict) -> Unit | None:
    issuer = str(facts.get("document", {}).get("issuer") or "")
    key = next((key for name, key in OWNERS.items() if name in issuer), None)
    return Unit.objects.filter(key=key).first() if key else None


def _countries_named(places: list[str]) -> list:
    """The countries whose Vietnamese name a place of the document contains, in the document's order."""
    folded = [f" {fold_words(place)} " for place in places]
    found = []
    for country in Country.objects.exclude(iso2="VN").exclude(name_vi=""):
        name = f" {fold_words(country.name_vi)} "
        positions = [text.find(name) for text in folded if name in text]
        if positions:
            found.append((min(positions), country))
    return [country for _position, country in sorted(found, key=lambda item: item[0])]


def _countries(partners: list[Partner]) -> list:
    return list(dict.fromkeys(p.country for p in partners if p.country and p.country.iso2 != "VN"))


def load_events(facts_dir: Path, log) -> int:
    path = facts_dir / f"{EVENTS_AND_AWARDS}.json"
    if not path.is_file():
        return 0
    facts = json.loads(path.read_text(encoding="utf-8"))
    owner = _owner(facts)
    if owner is None:
        return 0
    source = document_name(path.stem, facts.get("document", {}).get("title_vi") or path.stem)
    created = 0
    for entry in facts.get("events", []):
        name = capfirst(str(entry.get("name_vi") or "").strip())
        when = parse_when(entry.get("date"))
        if Event.objects.filter(owner=owner, name=name, starts_on=when.on).exists():
            continue
        partners = _facts_partners(facts, entry.get("partners"))
        notes = [f"Nguồn: {source}."]
        if entry.get("status") == "planned":
            notes.append("Sự kiện dự kiến, chưa diễn ra khi lập báo cáo.")
        if entry.get("vn_participation"):
            notes.append(f"Tỉnh tham gia: {entry['vn_participation']}.")
        if entry.get("audience"):
            notes.append(f"Thành phần: {entry['audience']}.")
        others = [text for text in entry.get("names_as_written") or [] if text.strip() != name]
        notes += [f"Văn bản còn ghi: «{text}»." for text in dict.fromkeys(others)]
        if entry.get("quote"):
            notes.append(f"Trích: «{entry['quote']}».")
        event = Event(
            owner=owner,
            name=name,
            kind=EVENT_KINDS.get(entry.get("kind"), EventKind.OTHER),
            edition=entry.get("edition"),
            starts_on=when.on,
            date_precision=when.precision,
            organiser="; ".join(entry.get("organisers") or []),
            place=str(entry.get("place") or ""),
            description="\n".join(notes),
        )
        event.full_clean()
        event.save()
        event.partners.set(partners)
        event.countries.set(_countries(partners))
        created += 1
    log(f"events: {created} created")
    return created


def load_awards(facts_dir: Path, log) -> int:
    path = facts_dir / f"{EVENTS_AND_AWARDS}.json"
    if not path.is_file():
        return 0
    facts = json.loads(path.read_text(encoding="utf-8"))
    owner = _owner(facts)
    if owner is None:
        return 0
    document = facts.get("document", {})
    source = document_name(path.stem, document.get("title_vi") or path.stem)
    # The summary dates its awards by its year only ("năm 2013").
    when = parse_when(document.get("period"))
    countries = {country.iso2: country for country in Country.objects.all()}
    created = 0
    for entry in facts.get("awards", []):
        direction = AwardDirection.PROPOSED if entry.get("direction") == "proposed" else AwardDirection.RECEIVED
        name = capfirst(_ENGLISH_GLOSS.sub("", str(entry.get("award_vi") or "")).strip())
        award_class = str(entry.get("class") or "")
        if Award.objects.filter(
            owner=owner, direction=direction, name=name, award_class=award_class, decided_on=when.on
        ).exists():
            continue
        giver, _arrow, recipients = str(entry.get("from_or_to") or "").partition("→")
        giver, recipients = giver.strip(), recipients.strip()
        # "tỉnh Quảng Nam đề nghị Trung ương": who would grant is named after the words of the proposal.
        grantor = giver.rpartition("đề nghị ")[2] if direction == AwardDirection.PROPOSED else giver
        named = [grantor, recipients.rpartition("của ")[2] if "của " in recipients else ""]
        notes = [f"Nguồn: {source}."]
        if direction == AwardDirection.PROPOSED:
            notes.append(f"Đề nghị: {giver}.")
        if entry.get("approval"):
            notes.append(f"Tiếp nhận: {entry['approval']}.")
        if entry.get("count") is None:
            notes.append("Văn bản nguồn không nêu số lượng.")
        # A proposal stays proposed unless the facts say what became of it.
        status = {"granted": AwardStatus.GRANTED, "refused": AwardStatus.REFUSED}.get(entry.get("status"))
        if direction == AwardDirection.PROPOSED and status is None:
            notes.append("Văn bản nguồn không nêu kết quả của đề nghị.")
        if entry.get("quote"):
            notes.append(f"Trích: «{entry['quote']}».")
        award = Award(
            owner=owner,
            direction=direction,
            name=name,
            award_class=award_class,
            count=entry.get("count") or None,
            awarding_country=countries.get(str(entry.get("awarding_state") or "")),
            awarding_organisation=grantor,
            recipients=capfirst(recipients),
            status=status or (AwardStatus.PROPOSED if direction == AwardDirection.PROPOSED else AwardStatus.GRANTED),
            decided_on=when.on,
            date_precision=when.precision,
            notes="\n".join(notes),
        )
        award.full_clean()
        award.save()
        award.partners.set(_facts_partners(facts, _written_partner_ids(facts, named)))
        created += 1
    log(f"awards: {created} created")
    return created
