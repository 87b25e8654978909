"""Indicators of the partners app, through the figures API (issue 3, item 6)."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from core.indicators import catalogue, indicator_value
from core.models import Field
from core.periods import Period
from partners.choices import RelationshipStatus
from partners.services import relationship_change_status
from partners.testing.factories import PartnerFactory, RelationshipFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(world):
    culture = Field.objects.create(code="culture", name_vi="Văn hóa", name_en="Culture")
    laos = country("LA", "Lào", "Laos")
    yongin = RelationshipFactory(owner=world.quangnam, status="established", status_since=dt.date(2013, 4, 1))
    yongin.fields.add(culture)
    suwon = RelationshipFactory(owner=world.quangnam_district, status="established", status_since=dt.date(2013, 9, 1))
    sekong = RelationshipFactory(
        owner=world.quangnam,
        partner=PartnerFactory(owner=world.quangnam, country=laos),
        status="active",
        status_since=dt.date(2007, 1, 1),
    )
    ended = RelationshipFactory(owner=world.quangnam, status="established", status_since=dt.date(2001, 1, 1))
    relationship_change_status(relationship=ended, user=world.province_editor, status="ended", on=dt.date(2007, 6, 1))
    RelationshipFactory(owner=world.bacninh, status="established", status_since=dt.date(2013, 5, 1))
    return {"yongin": yongin, "suwon": suwon, "sekong": sekong, "ended": ended}


def test_relationships_established_counts_the_units_portfolio_in_the_period(world, portfolio):
    value = indicator_value("relationships_established", unit=world.quangnam, period=Period.parse("2013"))
    assert (value["value"], value["source"]) == (2, "computed")
    assert value["breakdown"]["by_country"] == {"Hàn Quốc": 2}
    assert value["breakdown"]["by_field"] == {"Văn hóa": 1}
    assert value["previous"]["value"] == 0
    # Đà Nẵng's figures include its predecessor's (DOMAIN.md).
    assert indicator_value("relationships_established", unit=world.danang, period=Period.parse("2013"))["value"] == 2


def test_relationships_in_force_and_partners_at_the_end_of_the_period(world, portfolio):
    in_force = indicator_value("relationships_in_force", unit=world.quangnam, period=Period.parse("2013"))
    assert in_force["value"] == 3  # Yongin, Suwon, Xekong; the one ended in 2007 is not
    assert in_force["breakdown"]["by_country"] == {"Hàn Quốc": 2, "Lào": 1}
    assert (
        indicator_value("relationships_in_force", unit=world.quangnam, period=Period.parse("2006"))["value"] == 1
    )  # the one that ended in 2007
    partners = indicator_value("partners_with_relationships", unit=world.quangnam, period=Period.parse("2013"))
    assert partners["value"] == 3
    labels = {str(RelationshipStatus.ESTABLISHED.label): 2, str(RelationshipStatus.ACTIVE.label): 1}
    assert partners["breakdown"]["by_status"] == labels


def test_records_behind_a_figure_are_the_ones_counted(client, world, portfolio):
    from core.testing.world import login

    value = indicator_value("relationships_established", unit=world.quangnam, period=Period.parse("2013"))
    login(client, world.viewer)
    rows = {row.pk for row in client.get(value["records_url"]).context["table"].data}
    assert rows == {portfolio["yongin"].pk, portfolio["suwon"].pk}
    in_force = indicator_value("relationships_in_force", unit=world.quangnam, period=Period.parse("2013"))
    assert len(client.get(in_force["records_url"]).context["table"].data) == 3


def test_indicator_api_answers_the_computed_value(world, portfolio):
    assert {"relationships_in_force", "partners_with_relationships"} <= set(catalogue())
    api = APIClient()
    api.force_authenticate(world.viewer)
    response = api.get(
        "/api/v1/indicators/relationships_established/value/", {"unit": "quang-nam-legacy", "period": "2013"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["value"] in (2, "2")
