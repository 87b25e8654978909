"""Indicators of the agreements app, and how the figures page explains the 03 and the 02 of the two 2013
documents of Quảng Nam (issue 4, "Done when")."""

import datetime as dt
from decimal import Decimal

import pytest

from agreements.choices import AgreementStatus
from agreements.testing.factories import AgreementFactory
from core.indicators import indicator_value
from core.models import DeclaredFigure
from core.periods import Period
from core.testing.world import login

pytestmark = pytest.mark.django_db
Y2013 = Period.parse("2013")


@pytest.fixture
def quang_nam_2013(world):
    signed = AgreementStatus.IN_FORCE
    rows = {
        "xekong_minutes": AgreementFactory(
            owner=world.quangnam,
            kind="high_level_minutes",
            relationship_effect="renews",
            status=signed,
            signed_on=dt.date(2013, 1, 1),
        ),
        "yongin": AgreementFactory(owner=world.quangnam, status=signed, signed_on=dt.date(2013, 4, 1)),
        "suwon": AgreementFactory(owner=world.quangnam, kind="mou", status=signed, signed_on=dt.date(2013, 6, 1)),
        "champasak": AgreementFactory(owner=world.quangnam, status=signed, signed_on=dt.date(2007, 1, 1)),
        "expired": AgreementFactory(
            owner=world.quangnam,
            status=AgreementStatus.EXPIRED,
            signed_on=dt.date(2005, 1, 1),
            expires_on=dt.date(2010, 1, 1),
        ),
        "ending_2014": AgreementFactory(
            owner=world.quangnam,
            status=signed,
            signed_on=dt.date(2011, 5, 1),
            in_force_on=dt.date(2011, 5, 1),
            duration_years=3,
        ),
        "planned": AgreementFactory(owner=world.quangnam, planned_year=2014),
        "cancelled": AgreementFactory(owner=world.quangnam, planned_year=2014, status=AgreementStatus.CANCELLED),
        "other_province": AgreementFactory(owner=world.bacninh, status=signed, signed_on=dt.date(2013, 5, 1)),
    }
    DeclaredFigure.objects.create(
        owner=world.quangnam,
        indicator="agreements_signed",
        period="2013",
        value=Decimal(2),
        source_document="Tổng kết tình hình hoạt động đối ngoại năm 2013",
        quote="ký kết mới 02 Thỏa thuận quốc tế",
    )
    return rows


def test_agreements_signed_counts_all_three_and_shows_why_the_summary_says_two(world, quang_nam_2013):
    value = indicator_value("agreements_signed", unit=world.quangnam, period=Y2013)
    assert (value["value"], value["source"]) == (3, "computed")
    assert value["difference_from_declared"] == 1  # the summary's 02 is shown beside the computed 03
    assert value["declared"][0]["quote"] == "ký kết mới 02 Thỏa thuận quốc tế"
    effects = value["breakdown"]["by_effect"]
    assert sorted(effects.values()) == [1, 2]  # two establish a relationship, the summit minutes continue one
    new = indicator_value("agreements_signed_new", unit=world.quangnam, period=Y2013)
    assert new["value"] == 2


def test_in_force_planned_and_expiring(world, quang_nam_2013):
    in_force = indicator_value("agreements_in_force", unit=world.quangnam, period=Y2013)["value"]
    assert in_force == 5  # the three of 2013, Champasak and the one ending in 2014; not the expired one
    assert indicator_value("agreements_planned", unit=world.quangnam, period=Period.parse("2014"))["value"] == 1
    expiring = indicator_value("agreements_expiring", unit=world.quangnam, period=Period.parse("2014"))
    assert expiring["value"] == 1
    # Đà Nẵng carries Quảng Nam's agreements (DOMAIN.md).
    assert indicator_value("agreements_signed", unit=world.danang, period=Y2013)["value"] == 3


def test_the_records_behind_each_figure(client, world, quang_nam_2013):
    login(client, world.viewer)
    for code, period, expected in (
        ("agreements_signed", Y2013, {"xekong_minutes", "yongin", "suwon"}),
        ("agreements_signed_new", Y2013, {"yongin", "suwon"}),
        ("agreements_expiring", Period.parse("2014"), {"ending_2014"}),
    ):
        url = indicator_value(code, unit=world.quangnam, period=period)["records_url"]
        shown = {row.pk for row in client.get(url).context["table"].data}
        assert shown == {quang_nam_2013[name].pk for name in expected}, code


def test_the_figures_page_shows_both_counts_and_the_split(client, world, quang_nam_2013):
    login(client, world.viewer)
    html = client.get("/figures/", {"unit": "quang-nam-legacy", "period": "2013"}).content.decode()
    assert "ký kết mới 02 Thỏa thuận quốc tế" in html
    assert html.count("table-warning") >= 1
