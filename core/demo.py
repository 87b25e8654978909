"""The demo data set, built from the facts of the seed documents (core/demo_facts), and the demo
accounts. Idempotent: a second run changes nothing and prints no password."""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from accounts.models import Membership, User
from accounts.roles import Role
from core.models import DeclaredFigure, Unit
from core.periods import Period
from core.text import clean_text

# Subjects of the facts files that are indicators of the catalogue under another name; money subjects by the
# currency the document states them in.
SUBJECT_TO_INDICATOR = {
    "fdi_new_capital": "fdi_new_capital_usd",
    "ngo_aid_value": "ngo_aid_value_vnd",
    "oda_disbursed": {"USD": "oda_disbursed_usd", "VND": "oda_disbursed_vnd"},
    "oda_committed": {"VND": "oda_committed_vnd"},
    "ngo_visiting_delegations": "ngo_visiting_groups",
    "ngo_visitor_person_trips": "ngo_visitors",
    "border_markers": "border_markers_built",
    "agreements_signed_new": "agreements_signed",
    "investment_trade_promotion_events_abroad": "promotion_events_abroad",
    "fdi_disbursed": "fdi_disbursed_usd",
    "fdi_budget_contribution": "fdi_budget_contribution_vnd",
    "border_reference_posts": "border_reference_posts_built",
    "gift_clinic_investment": "aid_given_value",
    "gift_computers": "gifts_given_items",
    "students_trained": "foreign_students_trained",
    "gift_received_value": "aid_received_value",
    "diplomatic_relations_anniversary": "diplomatic_anniversaries",
    "requested_central_allocation": "central_allocation_requested",
}
# The 2012 totals the 2013 summary compares with ("giảm 25 đoàn ... so với năm 2012").
PREVIOUS_YEAR_COUNTS = {
    "outgoing_delegations_2012": "outgoing_delegations",
    "outgoing_person_trips_2012": "outgoing_person_trips",
    "incoming_delegations_2012": "incoming_delegations",
    "fdi_new_projects_2012": "fdi_new_projects",
    "fdi_new_capital_2012_usd": "fdi_new_capital_usd",
    "oda_disbursed_2012_usd": "oda_disbursed_usd",
    "ngo_projects_2012": "ngo_projects",
}
# Totals of the year the document lists item by item (its awards), added up from its numbers.
YEAR_TOTALS = {"awards_received_total": "awards_received", "awards_proposed_total": "awards_proposed"}
# The word before a figure, as the document writes it, decides its qualifier; the facts' own word otherwise.
QUALIFIER_WORDS = {
    "khoảng": "about",
    "gần": "nearly",
    "hơn": "more_than",
    "trên": "more_than",
    "khoảng trên": "about_more_than",
}
QUALIFIERS = {"exact": "exact", "approx": "about", "about": "about", "at_least": "at_least", "range": "range"}
_CURRENCY = re.compile(r"^([A-Z]{3})\b")
_YEAR = re.compile(r"\d{4}")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
# What part of the year a figure covers, as the facts note it, in the words of a report.
COVERAGE = (
    (re.compile(r"^\d{4} \(to (\d{4}-\d{2})\)$"), "số liệu đến tháng {0}"),
    (re.compile(r"^(\d{4}-\d{2})/(\d{4}-\d{2})$"), "số liệu từ tháng {0} đến tháng {1}"),
    (re.compile(r"^\d{4} \(from start of year to report date\)$"), "số liệu từ đầu năm đến thời điểm báo cáo"),
    (re.compile(r"^\d{4} \(current\)$"), "số liệu tại thời điểm báo cáo"),
    (re.compile(r"^from \d{4} \(per year\)$"), "mỗi năm, từ năm {0}"),
)


def _coverage(period: str) -> str:
    for pattern, words in COVERAGE:
        found = pattern.match(period)
        if found:
            parts = [_MONTH.sub(r"\2/\1", part) for part in found.groups()] or _YEAR.findall(period)
            return words.format(*parts)
    return ""


def _figure(figure: dict, source: str) -> dict | None:
    """One figure of a facts file as a declared figure: its indicator, the year, the value in the unit and
    currency the document states (a range keeps both ends), the qualifier of the document's words, and notes
    in Vietnamese (the value as written, the part of the year it covers)."""
    years = _YEAR.findall(str(figure.get("period") or ""))
    if not years:
        return None
    # "2016-2020" is the five years together (Period "2016/2020"); a part of one year counts in that year.
    period = f"{years[0]}/{years[1]}" if _YEARS.match(str(figure["period"])) else years[0]
    value, unit = figure.get("value"), str(figure.get("unit") or "")
    if figure.get("value_normalized") is not None:
        value, unit = figure["value_normalized"], str(figure.get("unit_normalized") or unit)
    value_max = None
    if figure.get("qualifier") == "range":
        value, value_max = figure.get("value_min"), figure.get("value_max")
    if value is None:
        return None
    currency = _CURRENCY.match(unit).group(1) if _CURRENCY.match(unit) else ""
    code = SUBJECT_TO_INDICATOR.get(figure["subject"], figure["subject"])
    if isinstance(code, dict):
        code = code.get(currency, "")
    words = (figure.get("qualifier_vi") or "").strip().lower()
    notes = [f"Văn bản ghi: “{figure['value_as_written']}”"] if figure.get("value_as_written") else []
    if _coverage(str(figure.get("period"))):
        notes.append(_coverage(str(figure["period"])))
    return {
        "code": code,
        "period": period,
        "value": value,
        "value_max": value_max,
        "currency": currency,
        "qualifier": QUALIFIER_WORDS.get(words) or QUALIFIERS.get(figure.get("qualifier"), "exact"),
        "source": source,
        "quote": figure.get("quote", ""),
        "unit": figure.get("vn_unit") or "",
        "notes": "; ".join(notes) + ("." if notes else ""),
    }


ORGANISATIONS = [
    # (key, parent key, kind, name)
    ("quang-nam-legacy.ubnd", "quang-nam-legacy", "peoples_committee", "UBND tỉnh Quảng Nam"),
    ("quang-nam-legacy.so-ngoai-vu", "quang-nam-legacy", "department", "Sở Ngoại vụ tỉnh Quảng Nam"),
    ("bac-giang-legacy.ubnd", "bac-giang-legacy", "peoples_committee", "UBND tỉnh Bắc Giang"),
    ("bac-giang-legacy.so-ngoai-vu", "bac-giang-legacy", "department", "Sở Ngoại vụ tỉnh Bắc Giang"),
    ("da-nang.ubnd", "da-nang", "peoples_committee", "UBND thành phố Đà Nẵng"),
    ("da-nang.so-ngoai-vu", "da-nang", "department", "Sở Ngoại vụ thành phố Đà Nẵng"),
    ("da-nang.so-van-hoa", "da-nang", "department", "Sở Văn hóa, Thể thao và Du lịch thành phố Đà Nẵng"),
    ("bac-ninh.ubnd", "bac-ninh", "peoples_committee", "UBND tỉnh Bắc Ninh"),
    ("bac-ninh.so-ngoai-vu", "bac-ninh", "department", "Sở Ngoại vụ tỉnh Bắc Ninh"),
]

ACCOUNTS = [
    # (username, full name, role, unit key)
    ("admin", "Quản trị hệ thống", Role.NATIONAL_ADMIN, "mofa"),
    ("trung_uong", "Chuyên viên Ban Đối ngoại Trung ương", Role.NATIONAL_VIEWER, "cfrc"),
    ("danang", "Chuyên viên Sở Ngoại vụ Đà Nẵng", Role.PROVINCE_EDITOR, "da-nang"),
    ("danang_lanhdao", "Phó Chủ tịch UBND thành phố Đà Nẵng", Role.APPROVER, "da-nang"),
    ("danang_vanhoa", "Chuyên viên Sở Văn hóa Đà Nẵng", Role.UNIT_EDITOR, "da-nang.so-van-hoa"),
    ("bacninh", "Chuyên viên Sở Ngoại vụ Bắc Ninh", Role.PROVINCE_EDITOR, "bac-ninh"),
]


logger = logging.getLogger(__name__)

# The reviewed Vietnamese of the facts' annotations (core/demo_facts/README.md, "Notes in Vietnamese"). Kept beside
# the facts it translates but in a folder of its own: readers of the facts take every *.json of the folder.
NOTES_VI = Path(__file__).resolve().parent / "demo_facts" / "translations" / "notes-vi.json"
# The annotations vietnamese() found no entry for since the current load_demo began: left out of the records, and
# reported in load_demo's output with this warning (the demo tests fail on it).
UNTRANSLATED_WARNING = "demo: annotation without a reviewed Vietnamese rendering, left out"
_untranslated: list[str] = []


@functools.cache
def notes_vi() -> dict:
    """The translation table: the short Vietnamese name of each facts file (by file stem) and the Vietnamese of
    each annotation, its sections merged into one mapping. A text entered twice with two renderings is an error:
    one annotation reads the same wherever it is shown."""
    data = json.loads(NOTES_VI.read_text(encoding="utf-8"))
    merged: dict[str, str] = {}
    for section, entries in data["notes"].items():
        for text, rendering in entries.items():
            text = " ".join(clean_text(text).split())
            if merged.setdefault(text, rendering) != rendering:
                raise ValueError(f"{NOTES_VI.name}: {text!r} has two renderings (section {section!r})")
    return {"documents": data["documents"], "notes": merged}


def vietnamese(text: str, document: str = "") -> str:
    """The reviewed Vietnamese of an annotation of the facts files (a note, a word of their vocabulary, a place
    written in English), as a provincial officer would write it; "" for an annotation the table leaves out on
    purpose (a remark on how the facts were written, which says nothing to a user, or one a loader's own note
    already says). A rendering that cites the annotated document says "{document}": ``document`` is its short name.

    An annotation without an entry is left out too, and reported: its English must not reach a page, and one
    missing note is no reason to stop a demo load on a deployment. load_demo prints the warning, and the demo
    tests fail on it, so that the repository never ships an annotation without its review."""
    text = " ".join(clean_text(str(text)).split())
    rendering = notes_vi()["notes"].get(text)
    if rendering is None:
        logger.warning("%s: %r", UNTRANSLATED_WARNING, text)
        _untranslated.append(text)
        return ""
    return rendering.replace("{document}", document or "văn bản nguồn")


def document_name(stem: str, title: str) -> str:
    """The short Vietnamese name a note cites a facts file by ("Báo cáo thỏa thuận quốc tế năm 2013 của tỉnh
    Quảng Nam"), defined once per file in the translation table; the document's full title when it has none."""
    return notes_vi()["documents"].get(stem) or title


def default_facts_dir() -> Path:
    """The facts of the seed documents, kept in the repository (core/demo_facts/README.md)."""
    return Path(__file__).resolve().parent / "demo_facts"


def _organisations() -> None:
    for key, parent_key, kind, name in ORGANISATIONS:
        parent = Unit.objects.filter(key=parent_key).first()
        if parent is None or Unit.objects.filter(key=key).exists():
            continue
        Unit(
            key=key,
            parent=parent,
            kind=kind,
            name=name,
            full_name=name,
            is_legacy=parent.is_legacy,
            valid_to=parent.valid_to,
        ).save()


def _accounts(password_factory: Callable[[], str]) -> list[tuple[str, str, str, str]]:
    created = []
    for username, full_name, role, unit_key in ACCOUNTS:
        unit = Unit.objects.filter(key=unit_key).first()
        if unit is None or User.objects.filter(username=username).exists():
            continue
        password = password_factory()
        user = User.objects.create_user(username=username, password=password, full_name=full_name)
        Membership.objects.create(user=user, unit=unit, role=role)
        created.append((username, password, str(Role(role).label), str(unit)))
    return created


def _figure_rows(facts_dir: Path) -> list[dict]:
    rows = []
    for path in sorted(facts_dir.glob("*.json")):
        facts = json.loads(path.read_text(encoding="utf-8"))
        header = facts.get("document", {})
        source = header.get("title_vi") or path.stem
        rows += [row for row in (_figure(figure, source) for figure in facts.get("figures", [])) if row]
        derived = facts.get("derived_counts", {})
        for names, period, note in (
            (PREVIOUS_YEAR_COUNTS, "2012", "Suy ra từ mức tăng, giảm so với năm 2012 nêu trong văn bản."),
            (YEAR_TOTALS, str(header.get("period") or ""), "Cộng từ các số liệu văn bản nêu theo từng loại."),
        ):
            for name, code in names.items():
                if derived.get(name) is not None and period:
                    rows.append(
                        {
                            "code": code,
                            "period": period,
                            "value": derived[name],
                            "value_max": None,
                            "currency": "",
                            "qualifier": "exact",
                            "source": source,
                            "quote": "",
                            "unit": "Quảng Nam",
                            "notes": note,
                        }
                    )
    return rows


def _figures(facts_dir: Path, log) -> int:
    from core.indicators import catalogue

    codes = catalogue()
    owners = {
        "Quảng Nam": Unit.objects.get(key="quang-nam-legacy"),
        "Bắc Giang": Unit.objects.get(key="bac-giang-legacy"),
    }
    created = 0
    for row in _figure_rows(facts_dir):
        if row["code"] not in codes:
            continue
        owner = next((unit for name, unit in owners.items() if name in row["unit"]), None)
        if owner is None:
            continue
        indicator = codes[row["code"]]
        # A figure is one statement of a document: found again by what its unique constraint names.
        statement = {
            "owner": owner,
            "indicator": row["code"],
            "period": Period.parse(row["period"]).label,
            "source_document": row["source"][:255],
            "qualifier": row["qualifier"],
            "value": Decimal(str(row["value"])),
        }
        figure = DeclaredFigure.objects.filter(**statement).first() or DeclaredFigure(
            **statement,
            value_max=Decimal(str(row["value_max"])) if row["value_max"] is not None else None,
            currency=row["currency"] if indicator.money else "",
            quote=row["quote"],
            notes=row["notes"],
        )
        if figure.pk is None:
            figure.full_clean()
            figure.save()
            created += 1
    log(f"declared figures: {created} created")
    return created


def load_demo(*, facts_dir: str | Path | None, password_factory: Callable[[], str], log=print) -> list:
    """Create the demo organisations, accounts, figures and partners; return the accounts created now."""
    from activities.demo import load_awards, load_delegations, load_events
    from agreements.demo import load_agreements
    from partners.demo import load_partners  # the partners app builds on core, not the other way round
    from reports.demo import load_register, load_reports

    facts = Path(facts_dir) if facts_dir else default_facts_dir()
    _untranslated.clear()
    with transaction.atomic():
        _organisations()
        created = _accounts(password_factory)
        if facts.is_dir():
            _figures(facts, log)
            load_partners(facts, log)
            load_agreements(facts, log)
            load_delegations(facts, log)
            load_events(facts, log)
            load_awards(facts, log)
        else:
            log(f"facts folder {facts} not found: demo figures skipped")
        # The register of reports received: an illustrative file of the reports app, not facts of the documents.
        load_register(log)
        load_reports(log)
    for text in dict.fromkeys(_untranslated):
        log(f"{UNTRANSLATED_WARNING}: {text!r}")
    return created
