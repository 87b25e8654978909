"""The pages that say what to do (issue 18, item 7): the national overview of the provinces for users whose reach
is national (core.overview), the figures page that names units and never shows their keys, and the unit page with
its report above the list of the units below it. The to-do lists are tested with the app that declares them
(agreements/tests/test_todo.py)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.choices import AgreementStatus
from agreements.models import Agreement
from agreements.testing.factories import AgreementFactory
from core.overview import national_overview
from core.testing.world import login, make_unit
from partners.testing.factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def _agreement(owner, status=AgreementStatus.IN_FORCE, signed_on=None) -> Agreement:
    agreement = AgreementFactory(owner=owner)
    signed_on = signed_on or timezone.localdate() - dt.timedelta(days=400)
    Agreement.all_objects.filter(pk=agreement.pk).update(status=status, signed_on=signed_on, in_force_on=signed_on)
    return agreement


def _counts(overview, key: str) -> dict[str, dict[str, int]]:
    tile = next(tile for tile in overview.tiles if tile.unit.key == key)
    return {tally: count for tally, _label, count in tile.counts}


def test_the_overview_counts_each_current_province_with_its_predecessors(world):
    today = timezone.localdate()
    _agreement(world.quangnam)  # legacy Quảng Nam: counted for Đà Nẵng, which succeeded it
    _agreement(world.danang_dept, signed_on=today.replace(month=1, day=1))
    _agreement(world.bacninh, status=AgreementStatus.DRAFT)
    _agreement(world.mofa)  # a central body's: no province's
    RelationshipFactory(owner=world.bacninh)
    RelationshipFactory(owner=world.quangnam_district, status="ended")

    overview = national_overview(world.national_viewer, today=today)
    assert [tile.unit.key for tile in overview.tiles] == ["bac-ninh", "da-nang"], "current provinces only"
    assert _counts(overview, "da-nang") == {"relationships": 0, "in-force": 2, "signed-this-year": 1}
    assert _counts(overview, "bac-ninh") == {"relationships": 1, "in-force": 0, "signed-this-year": 0}
    assert [total for _label, total in overview.totals] == [1, 2, 1]
    assert overview.tiles[0].counts[2][1] == f"thỏa thuận ký năm {today.year}"


def test_a_central_viewer_sees_the_provinces_on_the_home_page_and_a_province_user_does_not(client, world):
    _agreement(world.quangnam)
    login(client, world.national_viewer)
    html = client.get("/").content.decode()
    assert 'id="national-overview"' in html
    tile = re.search(r'<a class="card[^"]*province-tile" data-unit="da-nang" href="([^"]+)"', html)
    assert tile and tile.group(1) == world.danang.get_absolute_url()
    assert "Tổng quan các tỉnh, thành phố" in html  # the section's title, in Vietnamese

    login(client, world.province_editor)
    assert 'id="national-overview"' not in client.get("/").content.decode()


def test_the_overview_reads_a_fixed_number_of_queries(client, world):
    login(client, world.national_viewer)
    for owner in (world.danang, world.quangnam, world.bacninh):
        _agreement(owner)
        RelationshipFactory(owner=owner)
    with CaptureQueriesContext(connection) as few:
        national_overview(world.national_viewer)
    for index in range(5):
        for owner in (world.danang_dept, world.quangnam_district, world.bacninh_dept):
            _agreement(owner)
            RelationshipFactory(owner=owner)
        make_unit(f"tinh-moi-{index}", f"Tỉnh mới {index}", "province")
    with CaptureQueriesContext(connection) as many:
        national_overview(world.national_viewer)
    assert len(few) == len(many) <= 6, (len(few), len(many))


def test_the_figures_page_opens_on_a_name_never_on_a_key(client, world):
    login(client, world.national_viewer)
    html = client.get("/figures/").content.decode()
    assert 'value="mofa"' not in html and "mofa" not in re.sub(r'data-unit="[^"]*"|href="[^"]*"', "", html)
    field = re.search(r'<input class="form-control" id="unit" name="unit" value="([^"]*)"', html)
    assert field and field.group(1) == "", "a central body's figures would all be zero"
    assert 'id="national-overview"' in html
    assert f"/figures/?key=da-nang&amp;period={timezone.localdate().year}" in html

    login(client, world.province_editor)
    html = client.get("/figures/").content.decode()
    field = re.search(r'<input class="form-control" id="unit" name="unit" value="([^"]*)"', html)
    assert field and field.group(1) == "Đà Nẵng"
    assert 'id="national-overview"' not in html
    # The page shown for a unit named by its key writes its name, and keeps its key out of sight.
    response = client.get("/figures/", {"unit": "quang-nam-legacy", "period": "2013"})
    assert response.context["unit"] == world.quangnam
    html = response.content.decode()
    assert 'name="unit" value="Quảng Nam (cũ)"' in html
    assert '<input type="hidden" name="key" value="quang-nam-legacy">' in html
    # Sent again as the page wrote it (the name and the hidden key), the same unit.
    again = client.get("/figures/", {"unit": "Quảng Nam (cũ)", "key": "quang-nam-legacy", "period": "2014"})
    assert again.context["unit"] == world.quangnam
    # A name written over the one the page gave: the name decides.
    other = client.get("/figures/", {"unit": "Đà Nẵng", "key": "quang-nam-legacy", "period": "2014"})
    assert other.context["unit"] == world.danang


def test_a_name_shared_by_a_province_and_a_commune_is_the_province_and_communes_of_one_name_are_listed(client, world):
    ward = make_unit("c-1", "Bắc Ninh", "ward", parent=world.bacninh)
    make_unit("c-2", "An Bình", "commune", parent=world.danang)
    make_unit("c-3", "An Bình", "commune", parent=world.bacninh)
    login(client, world.national_viewer)
    assert client.get("/figures/", {"unit": "bac ninh", "period": "2020"}).context["unit"] == world.bacninh
    assert client.get("/figures/", {"unit": "c-1", "period": "2020"}).context["unit"] == ward
    response = client.get("/figures/", {"unit": "an binh", "period": "2020"})
    assert response.context.get("rows") is None
    # In the order of their provinces (Đà Nẵng was made first), each with its province's name.
    assert [(unit.key, province) for unit, province in response.context["homonyms"]] == [
        ("c-2", "Đà Nẵng"),
        ("c-3", "Bắc Ninh"),
    ]
    html = response.content.decode()
    assert "Có nhiều đơn vị cùng tên" in html
    assert 'href="?key=c-2&amp;period=2020"' in html
    # A province user's own commune comes first: the other province's is out of their reach.
    login(client, world.province_editor)
    assert client.get("/figures/", {"unit": "an binh", "period": "2020"}).context["unit"].key == "c-2"


def test_the_unit_page_offers_the_report_above_the_units_below(client, world):
    for index in range(40):
        make_unit(f"c-{index}", f"Phường {index}", "ward", parent=world.danang)
    login(client, world.province_editor)
    html = client.get(world.danang.get_absolute_url()).content.decode()
    assert html.index('id="agreements-report-form"') < html.index('id="unit-children"')
    assert "<code>da-nang</code>" not in html, "the unit's key is not shown"
