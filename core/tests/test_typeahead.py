"""Choices among many rows are a type-ahead (issue 18, item 7: "the implementation plan's unit list offers all 4,128
units of the country (a 206 KB page); the ISO 3166-2 locality list is not filtered by the chosen country"): the page
writes only the chosen row, core:options answers what is typed with the rows the policy lets the person choose, a
country's subdivisions follow the country, and the form still refuses a row out of the person's reach."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from agreements.models import ImplementationItem
from agreements.testing.factories import AgreementFactory
from agreements.testing.forms import edit_with_document
from core.models import ForeignSubdivision, Unit
from core.testing.world import login, make_unit, make_user
from core.widgets import TypeaheadSelect
from partners.forms import PartnerForm
from partners.testing.factories import PartnerFactory, country

pytestmark = pytest.mark.django_db


def _options(client, source: str, **params) -> dict:
    response = client.get(reverse("core:options", kwargs={"source": source}), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _communes(parent: Unit, count: int) -> list[Unit]:
    """``count`` communes under ``parent``: more rows than a plain select shows."""
    return [
        make_unit(f"{parent.key}.xa-{index}", f"Xã Hòa Bình {index}", "commune", parent=parent)
        for index in range(count)
    ]


def _select(html: str, name: str) -> str:
    found = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert found, f"no select {name}"
    return found.group(0)


def test_the_options_are_the_units_the_person_may_choose(client, world):
    login(client, world.province_editor)
    labels = {row["label"] for row in _options(client, "units", q="so van hoa")["results"]}
    assert labels == {"Sở Văn hóa Đà Nẵng"}
    # Without diacritics or with, any part of the name; another province's units are neither offered nor counted.
    assert [row["label"] for row in _options(client, "units", q="Tây Giang")["results"]] == ["Tây Giang (cũ)"]
    assert _options(client, "units", q="bac ninh") == {"results": [], "more": False}
    login(client, world.other_editor)
    assert {row["label"] for row in _options(client, "units", q="so")["results"]} == {"Sở Ngoại vụ Bắc Ninh"}


def test_the_options_come_in_pages_names_starting_with_the_letters_first(client, world):
    _communes(world.danang, 30)
    make_unit("da-nang.phuong-hoa-binh", "Phường Hòa Bình", "ward", parent=world.danang)
    login(client, world.province_editor)
    answer = _options(client, "units", q="hoa binh", limit=5)
    assert len(answer["results"]) == 5 and answer["more"] is True
    first = _options(client, "units", q="xa hoa binh 1")["results"][0]
    assert first["label"].startswith("Xã Hòa Bình 1")
    assert "Đà Nẵng" in first["hint"], "a commune is told apart by its province"
    # What a script should never send is answered, not failed.
    assert _options(client, "units", q="x" * 5000, limit="many")["results"] == []
    assert len(_options(client, "units", limit=10**6)["results"]) <= 51


def test_the_options_need_a_signed_in_person_and_a_known_source(client, world):
    url = reverse("core:options", kwargs={"source": "units"})
    assert client.get(url, {"q": "da nang"}).status_code == 302
    login(client, world.province_editor)
    assert client.get(reverse("core:options", kwargs={"source": "contacts"})).status_code == 404


def test_a_countrys_subdivisions_follow_the_country(client, world):
    korea, laos = country("KR", "Hàn Quốc", "South Korea"), country("LA", "Lào", "Laos")
    gyeonggi = ForeignSubdivision.objects.create(code="KR-41", country=korea, name="Gyeonggi-do", name_vi="Gyeonggi")
    ForeignSubdivision.objects.create(code="LA-XE", country=laos, name="Xekong", name_vi="Sê Kông")
    login(client, world.province_editor)
    assert [row["value"] for row in _options(client, "subdivisions", country=korea.pk)["results"]] == [str(gyeonggi.pk)]
    assert _options(client, "subdivisions", country="KR")["results"] == []

    # The partner's form writes only the subdivisions of its country, and the script asks again when it changes.
    partner = PartnerFactory(owner=world.danang, country=korea, subdivision=gyeonggi)
    html = client.get(reverse("partners:partner_edit", args=[partner.pk])).content.decode()
    select = _select(html, "subdivision")
    assert "Gyeonggi" in select and "Sê Kông" not in select
    assert 'data-typeahead-depends="country"' in html and 'data-typeahead-param="country"' in html
    form = PartnerForm(user=world.province_editor, data={"country": laos.pk, "subdivision": gyeonggi.pk})
    rendered = str(form["subdivision"])
    assert "Sê Kông" in rendered and "Gyeonggi" in rendered, "the chosen row stays shown, for its error to be read"


def test_a_long_list_writes_only_the_chosen_row(client, world):
    communes = _communes(world.danang, TypeaheadSelect.list_limit + 5)
    agreement = AgreementFactory(owner=world.danang)
    ImplementationItem.objects.create(agreement=agreement, activity="Trao đổi đoàn", lead_unit=communes[-1])
    login(client, world.province_editor)
    html = client.get(reverse("agreements:agreement_edit", args=[agreement.pk])).content.decode()
    chosen = _select(html, "items-0-lead_unit")
    assert re.findall(r'<option value="(\d*)"', chosen) == ["", str(communes[-1].pk)]
    assert "selected>Xã Hòa Bình 54</option>" in chosen
    assert 'data-typeahead-mode="search"' in html
    assert len(re.findall(r"<option", _select(html, "items-1-lead_unit"))) == 1, "an empty row writes no unit"


def test_a_short_list_stays_a_plain_select(client, world):
    agreement = AgreementFactory(owner=world.danang)
    login(client, world.province_editor)
    html = client.get(reverse("agreements:agreement_edit", args=[agreement.pk])).content.decode()
    select = _select(html, "items-0-lead_unit")
    reach = Unit.objects.filter(root=world.danang).count() + Unit.objects.filter(root=world.quangnam).count()
    assert len(re.findall(r'<option value="\d+"', select)) == reach
    assert 'data-typeahead-mode="list"' in html


def test_the_form_still_checks_the_choice_against_the_policy(client, world):
    communes = _communes(world.danang, TypeaheadSelect.list_limit + 5)
    agreement = AgreementFactory(owner=world.danang)
    login(client, world.province_editor)
    url = reverse("agreements:agreement_edit", args=[agreement.pk])
    data = edit_with_document(agreement) | {
        "documents-TOTAL_FORMS": "0",
        "items-TOTAL_FORMS": "1",
        "items-0-activity": "Trao đổi đoàn nghệ thuật",
        "items-0-status": "planned",
    }
    # Another province's unit is refused, though the page lists no unit at all to choose from.
    response = client.post(url, data | {"items-0-lead_unit": world.bacninh_dept.pk})
    assert response.status_code == 400
    assert not ImplementationItem.objects.exists()
    # A unit of the person's reach that the page did not write is accepted: the type-ahead found it.
    response = client.post(url, data | {"items-0-lead_unit": communes[40].pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImplementationItem.objects.get().lead_unit == communes[40]


def test_the_implementation_plan_page_stays_small_with_every_unit_of_the_country(client, world):
    """The reference units of the country (4,128 with the legacy ones): a superuser reaches them all, and the page
    carried each in the owner's select and in every row's (590 KB with one row, 1.3 MB with five). Now the selects
    write only their chosen unit, and each row reads a bounded number of units: the first of the list, to tell a
    short list from a long one, and its chosen unit."""
    call_command("load_reference_data", stdout=io.StringIO())
    assert Unit.objects.count() > 4000
    superuser = make_user("superuser")
    User.objects.filter(pk=superuser.pk).update(is_superuser=True, is_staff=True)
    agreement = AgreementFactory(owner=world.danang)
    login(client, User.objects.get(pk=superuser.pk))
    url = reverse("agreements:agreement_edit", args=[agreement.pk])
    counts = []
    for rows in (1, 5):
        ImplementationItem.objects.filter(agreement=agreement).delete()
        for index in range(rows):
            ImplementationItem.objects.create(
                agreement=agreement, activity=f"Hoạt động {index}", lead_unit=world.danang_dept
            )
        client.get(url)  # caches (sessions, content types) warmed up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    html = response.content.decode()
    assert len(re.findall(r"<option", html)) < 200
    assert len(response.content) < 60_000, len(response.content)
    for index in range(5):
        assert re.findall(r'<option value="(\d*)"', _select(html, f"items-{index}-lead_unit")) == [
            "",
            str(world.danang_dept.pk),
        ]
    assert re.findall(r'<option value="(\d*)"', _select(html, "owner")) == ["", str(world.danang.pk)]
    assert counts[1] - counts[0] <= 2 * 4, counts
