"""The partners pages: a partner's page, a relationship's page and a unit's portfolio (issue 3, item 5)."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Country, Field
from core.periods import partial_date
from core.testing.world import login
from partners.models import PartnerAlias, Relationship, RelationshipStatusChange
from partners.testing.factories import ContactFactory, InteractionFactory, PartnerFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def korea() -> Country:
    country, _ = Country.objects.update_or_create(
        iso2="KR", defaults={"name_vi": "Hàn Quốc", "name_en": "South Korea", "numeric": "410"}
    )
    return country


def laos() -> Country:
    country, _ = Country.objects.update_or_create(
        iso2="LA", defaults={"name_vi": "Lào", "name_en": "Laos", "numeric": "418"}
    )
    return country


def page(client, user, url):
    login(client, user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, response.content.decode()


def json_data(html: str, element_id: str):
    """The value a page passed with ``json_script``."""
    return json.loads(html.split(f'<script id="{element_id}" type="application/json">')[1].split("</script>")[0])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def portfolio_url(unit) -> str:
    return reverse("partners:portfolio", kwargs={"key": unit.key})


# -- dates as precise as their source ------------------------------------------------------------


def test_partial_date_follows_the_precision():
    on = dt.date(2013, 4, 7)
    assert partial_date(on, "year") == "2013"
    assert partial_date(on, "month") == "04/2013"
    assert partial_date(on, "day") == "07/04/2013"
    assert partial_date(None, "day")


# -- a partner's page -----------------------------------------------------------------------------


@pytest.fixture
def shared_partner(world):
    """Yongin, kept by Bắc Ninh, with a relationship of Đà Nẵng, one of legacy Quảng Nam and one of Bắc Ninh."""
    partner = PartnerFactory(
        owner=world.bacninh,
        name_vi="Thành phố Yongin",
        name_en="Yongin City",
        name_original="용인시",
        country=korea(),
        latitude="37.241100",
        longitude="127.177600",
        strengths="Công nghệ bán dẫn",
    )
    PartnerAlias.objects.create(partner=partner, name="Yong In", source="Báo cáo đối ngoại Quảng Nam 2013")
    PartnerFactory(owner=world.bacninh, name_vi="Quận Giheung", name_en="Giheung District", parent=partner)
    return partner


def test_partner_page_shows_names_aliases_and_the_relationships_the_user_may_see(client, world, shared_partner):
    RelationshipFactory(owner=world.danang, partner=shared_partner, kind="twinning")
    RelationshipFactory(owner=world.quangnam, partner=shared_partner, kind="cooperation")
    RelationshipFactory(owner=world.bacninh, partner=shared_partner)

    response, html = page(client, world.viewer, shared_partner.get_absolute_url())
    for text in ("Thành phố Yongin", "Yongin City", "용인시", "Yong In", "Báo cáo đối ngoại Quảng Nam 2013"):
        assert text in html
    assert "Quận Giheung" in html, "the partners within it are listed"
    assert "Công nghệ bán dẫn" in html
    owners = {relationship.owner_id for relationship in response.context["relationships"]}
    assert owners == {world.danang.pk, world.quangnam.pk}, "a Đà Nẵng viewer does not see Bắc Ninh's relationship"
    assert "Bắc Ninh</a>" not in html.split('id="partner-relationships"')[1].split("</section>")[0]
    assert 'id="partner-map"' in html and 'id="partner-map-data"' in html
    map_data = json_data(html, "partner-map-data")
    assert map_data["country"] == "410"
    assert map_data["point"] == {"name": str(shared_partner), "lat": 37.2411, "lon": 127.1776}

    response, _ = page(client, world.national_viewer, shared_partner.get_absolute_url())
    assert {r.owner_id for r in response.context["relationships"]} == {
        world.danang.pk,
        world.quangnam.pk,
        world.bacninh.pk,
    }


def test_partner_page_buttons_for_editors_only(client, world, shared_partner):
    merge = reverse("partners:partner_merge", kwargs={"pk": shared_partner.pk})
    _, html = page(client, world.other_editor, shared_partner.get_absolute_url())
    assert merge in html, "the unit that keeps the partner may merge it"
    assert f"{reverse('partners:relationship_add')}?partner={shared_partner.pk}" in html
    _, html = page(client, world.province_editor, shared_partner.get_absolute_url())
    assert merge not in html, "a partner kept by another province is changed by that province"
    assert f"{reverse('partners:relationship_add')}?partner={shared_partner.pk}" in html
    _, html = page(client, world.viewer, shared_partner.get_absolute_url())
    assert merge not in html and reverse("partners:relationship_add") not in html


def test_partner_page_empty_states(client, world):
    partner = PartnerFactory(owner=world.danang, country=korea())
    _, html = page(english(client), world.viewer, partner.get_absolute_url())
    assert html.count("empty-state") >= 3
    assert "No relationship with this partner that you may see." in html


def test_partner_timeline_merges_status_steps_and_interactions_newest_first(client, world, shared_partner):
    relationship = RelationshipFactory(owner=world.danang, partner=shared_partner)  # established 01/04/2013
    older = RelationshipFactory(owner=world.quangnam, partner=shared_partner, kind="cooperation")
    RelationshipStatusChange.objects.create(
        relationship=older, status="dormant", on=dt.date(2016, 3, 1), precision="month"
    )
    InteractionFactory(
        owner=world.danang, relationship=relationship, on=dt.date(2014, 5, 2), summary="Thư mời dự lễ hội"
    )
    InteractionFactory(
        owner=world.quangnam, relationship=older, on=dt.date(2012, 1, 1), precision="year", summary="Đoàn khảo sát"
    )
    InteractionFactory(
        owner=world.bacninh, relationship=RelationshipFactory(owner=world.bacninh, partner=shared_partner)
    )

    response, html = page(client, world.viewer, shared_partner.get_absolute_url())
    timeline = response.context["timeline"]
    assert [(entry.kind, entry.on) for entry in timeline] == [
        ("status", dt.date(2016, 3, 1)),
        ("interaction", dt.date(2014, 5, 2)),
        ("status", dt.date(2013, 4, 1)),
        ("status", dt.date(2013, 4, 1)),
        ("interaction", dt.date(2012, 1, 1)),
    ], "Bắc Ninh's interaction is not shown to a Đà Nẵng viewer"
    section = html.split('id="partner-timeline"')[1].split("</section>")[0]
    positions = [section.index(text) for text in ("03/2016", "02/05/2014", "01/04/2013", ">2012<")]
    assert positions == sorted(positions)
    assert "Thư mời dự lễ hội" in section and "Đoàn khảo sát" in section


def test_contacts_are_masked_for_those_who_may_not_see_personal_data(client, world, shared_partner):
    ContactFactory(owner=world.danang, partner=shared_partner, email="kim@yongin.go.kr", phone="+82 31 324 2000")
    ContactFactory(owner=world.bacninh, partner=shared_partner, person_name="Lee Bac Ninh", email="lee@yongin.go.kr")

    _, html = page(client, world.viewer, shared_partner.get_absolute_url())
    assert "kim@yongin.go.kr" not in html and "+82 31 324 2000" not in html
    assert "•••" in html
    assert "Lee Bac Ninh" not in html, "contacts are restricted to the user's scope"

    _, html = page(client, world.province_editor, shared_partner.get_absolute_url())
    assert "kim@yongin.go.kr" in html and "+82 31 324 2000" in html
    assert "lee@yongin.go.kr" not in html


def test_partner_page_queries_do_not_grow_with_relationships(client, world):
    def measure(count: int) -> int:
        partner = PartnerFactory(owner=world.bacninh, country=korea())
        units = [world.danang, world.quangnam, world.danang_dept, world.danang_other_dept, world.quangnam_district]
        for number in range(count):
            relationship = RelationshipFactory(owner=units[number % 5], partner=partner, kind=f"k{number}")
            InteractionFactory(owner=relationship.owner, relationship=relationship)
            ContactFactory(owner=relationship.owner, partner=partner)
            PartnerAlias.objects.create(partner=partner, name=f"Spelling {number}")
            PartnerFactory(owner=world.bacninh, parent=partner, country=partner.country)
        login(client, world.viewer)
        client.get(partner.get_absolute_url())  # the session's first write is not the page's
        with CaptureQueriesContext(connection) as queries:
            assert client.get(partner.get_absolute_url()).status_code == 200
        return len(queries)

    assert measure(10) <= measure(1)


# -- a relationship's page ------------------------------------------------------------------------


def test_relationship_page_shows_history_and_the_form_to_editors_only(client, world):
    relationship = RelationshipFactory(
        owner=world.danang, status="goodwill_exchanged", status_since=dt.date(2012, 1, 1)
    )
    RelationshipStatusChange.objects.create(relationship=relationship, status="established", on=dt.date(2013, 4, 1))
    InteractionFactory(owner=world.danang, relationship=relationship, summary="Ký kết thỏa thuận hợp tác")

    response, html = page(client, world.viewer, relationship.get_absolute_url())
    assert [step.status for step in response.context["steps"]] == ["established", "goodwill_exchanged"]
    assert "01/04/2013" in html and "01/01/2012" in html
    assert "Ký kết thỏa thuận hợp tác" in html
    assert 'id="status-form"' not in html
    assert reverse("partners:interaction_add") not in html

    _, html = page(client, world.province_editor, relationship.get_absolute_url())
    assert 'id="status-form"' in html
    assert reverse("partners:relationship_status", kwargs={"pk": relationship.pk}) in html
    assert f"{reverse('partners:interaction_add')}?relationship={relationship.pk}" in html

    _, html = page(client, world.unit_editor, relationship.get_absolute_url())
    assert 'id="status-form"' not in html, "a department editor does not change the province's relationships"


def test_a_status_step_dated_before_the_latest_is_refused_and_writes_nothing(client, world):
    relationship = RelationshipFactory(owner=world.danang)  # established 01/04/2013
    version = Relationship.objects.get(pk=relationship.pk).version
    login(client, world.province_editor)
    url = reverse("partners:relationship_status", kwargs={"pk": relationship.pk})

    response = client.post(url, {"status": "dormant", "on": "01/01/2010", "note": "sai"})
    assert response.status_code == 302
    text = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "01/04/2013" in text
    relationship.refresh_from_db()
    assert (relationship.status, relationship.version) == ("established", version)
    assert relationship.status_history.count() == 1
    followed = client.get(response["Location"]).content.decode()
    assert "alert-danger" in followed

    response = client.post(url, {"status": "dormant", "on": "01/01/2020"})
    relationship.refresh_from_db()
    assert relationship.status == "dormant" and relationship.status_history.count() == 2


def test_a_viewer_cannot_post_a_status_step(client, world):
    relationship = RelationshipFactory(owner=world.danang)
    login(client, world.viewer)
    response = client.post(
        reverse("partners:relationship_status", kwargs={"pk": relationship.pk}),
        {"status": "dormant", "on": "01/01/2020"},
    )
    assert response.status_code == 404
    assert relationship.status_history.count() == 1


# -- the merge page -------------------------------------------------------------------------------


def test_merge_page(client, world):
    partner = PartnerFactory(owner=world.danang)
    url = reverse("partners:partner_merge", kwargs={"pk": partner.pk})
    _, html = page(client, world.province_editor, url)
    assert 'name="remove"' in html and 'name="confirm"' in html
    login(client, world.viewer)
    assert client.get(url).status_code == 404


# -- a unit's portfolio ---------------------------------------------------------------------------


def test_portfolio_includes_the_predecessors_relationships_marked_inherited(client, world):
    inherited = RelationshipFactory(
        owner=world.quangnam, partner__country=korea(), partner__name_vi="Yongin", partner__name_en="Yongin"
    )
    own = RelationshipFactory(
        owner=world.danang, partner__country=laos(), partner__name_vi="Chăm-pa-sắc", partner__name_en="Chăm-pa-sắc"
    )
    below = RelationshipFactory(
        owner=world.danang_dept, partner__country=korea(), partner__name_vi="Gimhae", partner__name_en="Gimhae"
    )
    district = RelationshipFactory(
        owner=world.quangnam_district, partner__country=laos(), partner__name_vi="Sê Kông", partner__name_en="Sê Kông"
    )
    RelationshipFactory(
        owner=world.bacninh, partner__name_vi="Không thuộc Đà Nẵng", partner__name_en="Không thuộc Đà Nẵng"
    )

    response, html = page(english(client), world.viewer, portfolio_url(world.danang))
    rows = {row.relationship.pk: row for row in response.context["rows"]}
    assert set(rows) == {inherited.pk, own.pk, below.pk, district.pk}
    assert rows[inherited.pk].inherited_from == world.quangnam
    assert rows[district.pk].inherited_from == world.quangnam, "a legacy district comes from its legacy province"
    assert rows[own.pk].inherited_from is None and not rows[own.pk].held_below
    assert rows[below.pk].inherited_from is None and rows[below.pk].held_below
    assert html.count("inherited-badge") == 2
    assert "inherited from Quảng Nam (legacy)" in html
    row_html = html.split("Chăm-pa-sắc")[1].split("</tr>")[0]
    assert "inherited" not in row_html
    assert "Sở Văn hóa Đà Nẵng" in html.split("Gimhae")[1].split("</tr>")[0], "marked with the holding unit"
    assert "Không thuộc Đà Nẵng" not in html

    data = json_data(html, "portfolio-data")
    assert {item["name"]: item["value"] for item in data["countries"]} == {"410": 2, "418": 2}
    assert data["names"]["410"] == "South Korea", "country names follow the interface's language"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    data = json_data(client.get(portfolio_url(world.danang)).content.decode(), "portfolio-data")
    assert data["names"]["410"] == "Hàn Quốc" and data["names"]["418"] == "Lào"
    assert [item["value"] for item in data["statuses"]] == [4]


def test_portfolio_groups_by_status_and_charts_fields(client, world):
    culture, _ = Field.objects.get_or_create(code="culture", defaults={"name_vi": "Văn hóa", "name_en": "Culture"})
    first = RelationshipFactory(owner=world.danang, status="active")
    first.fields.add(culture)
    RelationshipFactory(owner=world.quangnam, status="dormant")
    RelationshipFactory(owner=world.danang, status="active")

    response, html = page(client, world.viewer, portfolio_url(world.danang))
    assert [(status, len(rows)) for status, _, rows in response.context["groups"]] == [("active", 2), ("dormant", 1)]
    assert 'id="status-active"' in html and 'id="status-dormant"' in html
    assert response.context["chart_data"]["fields"] == [("Văn hóa", 1)]


def test_portfolio_of_another_province_shows_only_what_the_user_may_see(client, world):
    RelationshipFactory(owner=world.bacninh, partner__name_vi="Đối tác Bắc Ninh")
    response, html = page(client, world.viewer, portfolio_url(world.bacninh))
    assert response.context["rows"] == []
    assert "Đối tác Bắc Ninh" not in html
    assert 'id="portfolio-empty"' in html

    response, html = page(client, world.other_editor, portfolio_url(world.bacninh))
    assert "Đối tác Bắc Ninh" in html


def test_portfolio_of_an_unknown_unit_is_404(client, world):
    login(client, world.viewer)
    assert client.get(reverse("partners:portfolio", kwargs={"key": "khong-co"})).status_code == 404


def test_portfolio_needs_sign_in(client, world):
    response = client.get(portfolio_url(world.danang))
    assert response.status_code == 302 and "login" in response["Location"]


def test_portfolio_filters_by_year_and_status(client, world):
    old = RelationshipFactory(owner=world.quangnam, status="established", status_since=dt.date(2013, 4, 1))
    RelationshipStatusChange.objects.create(relationship=old, status="dormant", on=dt.date(2018, 1, 1))
    Relationship.objects.filter(pk=old.pk).update(status="dormant")
    new = RelationshipFactory(owner=world.danang, status="active", status_since=dt.date(2025, 8, 1))

    def shown(query: str) -> set[int]:
        response, _ = page(client, world.viewer, f"{portfolio_url(world.danang)}?{query}")
        return {row.relationship.pk for row in response.context["rows"]}

    assert shown("year=2013") == {old.pk}
    assert shown("year=2025") == {new.pk}
    assert shown("status=active") == {new.pk}
    assert shown("year=2018&status=dormant") == {old.pk}
    assert shown("year=2019") == set()
    assert shown("status=nonsense") == set()
    _, html = page(english(client), world.viewer, f"{portfolio_url(world.danang)}?year=2019")
    assert "No relationship matches these filters." in html


def test_portfolio_queries_do_not_grow_with_relationships(client, world):
    culture, _ = Field.objects.get_or_create(code="culture", defaults={"name_vi": "Văn hóa", "name_en": "Culture"})
    units = [world.danang, world.quangnam, world.danang_dept, world.quangnam_district]

    def measure(unit, count: int) -> int:
        for number in range(count):
            relationship = RelationshipFactory(owner=units[number % 4], partner__country=korea())
            relationship.fields.add(culture)
        login(client, world.viewer)
        client.get(portfolio_url(unit))  # the session's first write is not the page's
        with CaptureQueriesContext(connection) as queries:
            assert client.get(portfolio_url(unit)).status_code == 200
        return len(queries)

    one = measure(world.danang, 1)
    Relationship.objects.all().delete()
    assert measure(world.danang, 10) <= one


def test_unit_page_links_to_its_portfolio(client, world):
    _, html = page(client, world.viewer, world.danang.get_absolute_url())
    assert portfolio_url(world.danang) in html


def test_restoring_a_relationship_whose_place_was_taken_is_refused_with_a_message(client, world):
    trashed = RelationshipFactory(owner=world.danang, kind="twinning")
    trashed.deleted_at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    trashed.save()
    RelationshipFactory(owner=world.danang, partner=trashed.partner, kind="twinning")
    login(client, world.province_editor)
    response = client.post(reverse("partners:relationship_restore", kwargs={"pk": trashed.pk}))
    assert response.status_code == 302
    text = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "Đơn vị này đã có quan hệ hợp tác loại này với đối tác này." in text
    assert Relationship.all_objects.get(pk=trashed.pk).deleted_at is not None
