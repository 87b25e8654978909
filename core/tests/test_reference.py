"""The committed reference data and the demo data, loaded for real."""

import io
import json
import unicodedata
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import Country, DeclaredFigure, Field, ForeignSubdivision, Unit
from core.reference import DATA
from core.testing.world import login
from core.text import fold


@pytest.fixture
def reference(demo):
    """Reference and demo data loaded by their commands (the ``demo`` fixture: once for all the tests that read
    them); what load_demo printed."""
    return "\n".join(demo)


@pytest.mark.django_db
def test_34_current_and_63_legacy_provinces_with_successors(reference):
    api = APIClient()
    api.force_authenticate(Unit.objects.get(key="da-nang").memberships.first().user)
    current = api.get("/api/v1/units/", {"level": "province", "page_size": 500}).json()
    assert current["count"] == 34
    everything = api.get("/api/v1/units/", {"level": "province", "include_legacy": "true", "page_size": 500}).json()
    # 63 legacy provinces on the eve of the merger, and Thừa Thiên Huế, which became the city of Huế on 1 January 2025.
    assert everything["count"] == 34 + 63 + 1
    legacy = [row for row in everything["results"] if row["is_legacy"]]
    assert all(len(row["successors"]) == 1 for row in legacy)
    by_key = {row["key"]: row for row in legacy}
    assert by_key["quang-nam-legacy"]["successors"] == ["da-nang"]
    assert by_key["bac-giang-legacy"]["successors"] == ["bac-ninh"]
    # Resolution 202/2025/QH15: Tiền Giang joined Đồng Tháp (not Tây Ninh).
    assert by_key["tien-giang-legacy"]["successors"] == ["dong-thap"]


@pytest.mark.django_db
def test_loading_again_changes_nothing(reference):
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert all(line.endswith("0 created, 0 updated") for line in out.getvalue().strip().splitlines())
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "passwords" not in again.getvalue()


@pytest.mark.django_db
def test_loading_again_brings_a_stale_search_text_up_to_date(reference, client):
    # As after a change to a model's search_fields: the next load (make run) saves the rows again.
    Field.objects.filter(code="agriculture").update(search_text="")
    Unit.objects.filter(key="da-nang").update(search_text="")
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "fields: 0 created, 1 updated" in out.getvalue()
    assert "units: 0 created, 1 updated" in out.getvalue()
    agriculture = Field.objects.get(code="agriculture")
    assert agriculture.search_text == agriculture.build_search_text()
    login(client, Unit.objects.get(key="da-nang").memberships.first().user)
    assert "Đà Nẵng" in client.get(reverse("core:search"), {"q": "da nang"}).content.decode()


@pytest.mark.django_db
def test_demo_accounts_are_printed_once_with_generated_passwords(reference):
    assert "admin" in reference and "danang" in reference
    assert "Test-password" not in reference


@pytest.mark.django_db
def test_search_quang_nam_finds_the_legacy_province_and_da_nang(client, reference):
    login(client, Unit.objects.get(key="da-nang").memberships.first().user)
    groups = client.get(reverse("core:search"), {"q": "quang nam"}).context["groups"]
    found = {row.key for _label, rows, _total in groups for row in rows if isinstance(row, Unit)}
    assert {"quang-nam-legacy", "da-nang"} <= found


@pytest.mark.django_db
def test_every_seed_locality_has_a_vietnamese_named_subdivision(reference):
    assert ForeignSubdivision.objects.filter(country__iso2="LA").count() >= 17
    for name in ("Yongin", "Suwon", "Szentendre", "Gifu"):
        assert ForeignSubdivision.objects.filter(search_text__contains=name.lower()).exists(), name
    assert Country.objects.get(iso2="LA").name_vi == "Lào"


@pytest.mark.django_db
def test_demo_figures_show_both_counts_of_agreements_signed_in_2013(reference):
    values = set(
        DeclaredFigure.objects.filter(
            owner__key="quang-nam-legacy", indicator="agreements_signed", period="2013"
        ).values_list("value", flat=True)
    )
    assert values == {2, 3}


def test_every_first_level_subdivision_of_the_six_countries_has_its_vietnamese_name():
    """Issue 18, item 9: the committed file names every first-level unit of Laos, Cambodia, China, Thailand, Korea
    and Japan in Vietnamese, and one folded spelling names one place (a document's spelling finds one row)."""
    rows = json.loads((DATA / "foreign_subdivisions.json").read_text(encoding="utf-8"))
    six = [row for row in rows if row["country"] in {"LA", "KH", "CN", "TH", "KR", "JP"} and row["parent"] is None]
    # Thailand's 77 provinces and Pattaya (TH-S).
    assert Counter(row["country"] for row in six) == {"LA": 18, "KH": 25, "CN": 34, "TH": 78, "KR": 17, "JP": 47}
    assert [row["code"] for row in six if not row["name_vi"].strip()] == []
    owners = defaultdict(set)
    for row in rows:
        for spelling in [row["name"], row["name_vi"], *row["aliases"]]:
            owners[fold(spelling)].add(row["code"])
    # Only the ISO 3166-2 names of Vientiane province and Vientiane Capital are one.
    assert {spelling: codes for spelling, codes in owners.items() if len(codes) > 1} == {
        "viangchan": {"LA-VI", "LA-VT"}
    }
    assert all(alias == unicodedata.normalize("NFC", alias) for row in rows for alias in row["aliases"])
