"""The demo data set, built from the facts of the seed documents (core/demo_facts), and the demo
accounts. Idempotent: a second run changes nothing and prints no password."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from accounts.models import Membership, User
from accounts.roles import Role
from core.models import DeclaredFigure, Unit
from core.periods import Period

# Subjects of the facts files that are indicators of the catalogue under another name.
SUBJECT_TO_INDICATOR = {
    "fdi_new_capital": "fdi_new_capital_usd",
    "ngo_aid_value": "ngo_aid_value_vnd",
    "oda_disbursed": "oda_disbursed_usd",
    "ngo_visiting_delegations": "ngo_visiting_groups",
    "ngo_visitor_person_trips": "ngo_visitors",
    "border_markers": "border_markers_built",
    "agreements_signed_new": "agreements_signed",
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
QUALIFIERS = {"exact": "exact", "approx": "about", "about": "about", "at_least": "at_least", "range": "range"}

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
        source = facts.get("document", {}).get("title_vi") or path.stem
        for figure in facts.get("figures", []):
            code = SUBJECT_TO_INDICATOR.get(figure["subject"], figure["subject"])
            rows.append(
                {
                    "code": code,
                    "period": str(figure.get("period", ""))[:4],
                    "value": figure.get("value"),
                    "qualifier": QUALIFIERS.get(figure.get("qualifier"), "exact"),
                    "source": source,
                    "quote": figure.get("quote", ""),
                    "unit": figure.get("vn_unit", ""),
                    "notes": figure.get("value_as_written", ""),
                }
            )
        for name, code in PREVIOUS_YEAR_COUNTS.items():
            value = facts.get("derived_counts", {}).get(name)
            if value is not None:
                rows.append(
                    {
                        "code": code,
                        "period": "2012",
                        "value": value,
                        "qualifier": "exact",
                        "source": source,
                        "quote": "",
                        "unit": "Quảng Nam",
                        "notes": "Suy ra từ mức tăng/giảm so với năm 2012 nêu trong báo cáo",
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
        if row["code"] not in codes or row["value"] is None:
            continue
        owner = next((unit for name, unit in owners.items() if name in row["unit"]), None)
        if owner is None:
            continue
        period = Period.parse(row["period"]).label
        _, was_created = DeclaredFigure.objects.get_or_create(
            owner=owner,
            indicator=row["code"],
            period=period,
            source_document=row["source"][:255],
            defaults={
                "value": Decimal(str(row["value"])),
                "qualifier": row["qualifier"],
                "quote": row["quote"],
                "notes": row["notes"],
            },
        )
        created += was_created
    log(f"declared figures: {created} created")
    return created


def load_demo(*, facts_dir: str | Path | None, password_factory: Callable[[], str], log=print) -> list:
    """Create the demo organisations, accounts, figures and partners; return the accounts created now."""
    from agreements.demo import load_agreements
    from partners.demo import load_partners  # the partners app builds on core, not the other way round

    facts = Path(facts_dir) if facts_dir else default_facts_dir()
    with transaction.atomic():
        _organisations()
        created = _accounts(password_factory)
        if facts.is_dir():
            _figures(facts, log)
            load_partners(facts, log)
            load_agreements(facts, log)
        else:
            log(f"facts folder {facts} not found: demo figures skipped")
    return created
