"""The statistics of foreign-affairs activities and their calendar (activities.statistics, issue 19, item 7): the
demo's 2013 summary of legacy Quảng Nam as the page shows it, the units a user may not see, the messages for what
cannot be read, a fixed number of queries, the workbook, the indicators of how delegations were paid for and
planned, and the month of the calendar."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import User
from activities.indicators import outgoing_delegations
from activities.statistics import change_text, statistics_codes, statistics_rows, statistics_values
from activities.testing.factories import (
    ConferenceFactory,
    DelegationFactory,
    DelegationMemberFactory,
    EventFactory,
    PressVisitFactory,
)
from core.indicators import catalogue, indicator_value, indicator_values
from core.models import Country, DeclaredFigure
from core.periods import Period
from core.testing.world import login

pytestmark = pytest.mark.django_db

QUANG_NAM = "quang-nam-legacy"  # the demo's legacy Quảng Nam (core/tests/test_demo_figures.py)
STATISTICS = "/activities/statistics/"
CALENDAR = "/activities/calendar/"
# The session and the user's scope, the unit and the units offered, then one run of the indicators for the period,
# the one before and the chart's years: the unit's portfolio, the declared figures, and the rows of each record
# type once (17 with the delegations, conferences, press visits and awards; a record type whose computations land
# later adds its query).
MOST_QUERIES = 20


def _rows(response) -> dict:
    assert response.status_code == 200
    assert not response.context["errors"], response.context["errors"]
    return {row.code: row for row in response.context["rows"]}


# ---------------------------------------------------------------------------------------------------------------
# The demo: legacy Quảng Nam's 2013 summary


def test_the_2013_summary_of_legacy_quang_nam(demo, client):
    client.force_login(User.objects.get(username="danang"))  # Đà Nẵng succeeds legacy Quảng Nam
    response = client.get(STATISTICS, {"unit": QUANG_NAM, "period": "2013"})
    rows = _rows(response)
    out, trips = rows["outgoing_delegations"], rows["outgoing_person_trips"]
    assert (out.value, out.previous, out.change, out.source) == (164, 189, -25, "declared")
    assert (trips.value, trips.previous, trips.change, trips.source) == (730, 764, -34, "declared")
    assert (rows["incoming_delegations"].value, rows["incoming_delegations"].source) == (25, "declared")
    assert (rows["incoming_visitors"].value, rows["incoming_visitors"].source) == (205, "declared")
    # The registry holds some of the year's delegations: the count is shown beside the declared figure.
    assert 0 < out.computed < out.value
    html = response.content.decode()
    assert "−25 (−13,2%)" in html
    assert "−34 (−4,5%)" in html
    assert "số liệu báo cáo" in html or "theo văn bản" in html
    incoming = response.context["rows"][[row.code for row in response.context["rows"]].index("incoming_delegations")]
    dimensions = [dimension for dimension, _items in incoming.breakdowns]
    assert dimensions == ["theo quốc gia", "theo cấp"], dimensions
    # The chart of the years ends with the year asked, its values those of the table.
    by_year = response.context["by_year"]
    assert by_year["years"] == ["2009", "2010", "2011", "2012", "2013"]
    series = {item["code"]: item for item in by_year["series"]}
    assert series["outgoing_delegations"]["values"][-2:] == [189, 164]
    assert "Hàn Quốc" in response.context["by_country"]["countries"]


def test_a_user_of_another_province_is_refused(demo, client):
    client.force_login(User.objects.get(username="bacninh"))
    response = client.get(STATISTICS, {"unit": QUANG_NAM, "period": "2013"})
    assert response.status_code == 200
    assert response.context["rows"] is None
    assert response.context["errors"]
    assert "164" not in response.content.decode()
    offered = [unit.key for _group, units in response.context["unit_options"] for unit, _label in units]
    assert QUANG_NAM not in offered and "bac-ninh" in offered
    calendar = client.get(CALENDAR, {"unit": QUANG_NAM, "month": "2013-04"})
    assert calendar.status_code == 200 and calendar.context["days"] is None and calendar.context["errors"]


def test_the_export_is_the_screen(demo, client):
    client.force_login(User.objects.get(username="danang"))
    response = client.get(STATISTICS, {"unit": QUANG_NAM, "period": "2013", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    lines = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    out = lines[str(catalogue()["outgoing_delegations"].label)]
    assert out[3:7] == (164, "theo văn bản", 189, -25)
    assert float(out[7]) == -13.2


# ---------------------------------------------------------------------------------------------------------------
# What cannot be read gives a message, never an error


@pytest.mark.parametrize(
    "query",
    [
        {"unit": "nowhere", "period": "2013"},
        {"unit": "da-nang", "period": "20x3"},
        {"unit": "da-nang", "period": "1800"},
        {"unit": "da-nang", "period": "1945"},
        {"unit": "da-nang", "period": "1945/1950"},
        {"unit": "da-nang", "period": "2013/2010"},
        {"unit": "x" * 500, "period": "2" * 500},
    ],
)
def test_an_unknown_unit_or_a_bad_period_gives_a_message(client, world, query):
    login(client, world.province_editor)
    response = client.get(STATISTICS, query)
    assert response.status_code == 200
    assert response.context["errors"] and response.context["rows"] is None
    assert 'class="alert alert-danger"' in response.content.decode()


@pytest.mark.parametrize("month", ["2013-13", "2013", "april", "1800-01", "2013-04-01"])
def test_a_bad_month_gives_a_message(client, world, month):
    login(client, world.province_editor)
    response = client.get(CALENDAR, {"unit": "da-nang", "month": month})
    assert response.status_code == 200
    assert response.context["errors"] and response.context["days"] is None


def test_without_a_unit_the_page_opens_on_the_users_own(client, world):
    login(client, world.province_editor)
    response = client.get(STATISTICS)
    assert response.status_code == 200
    assert response.context["unit"] == world.danang
    login(client, world.national_viewer)
    response = client.get(STATISTICS)
    assert response.status_code == 200 and response.context["rows"] is None
    assert "Chọn đơn vị" in response.content.decode()


def test_the_pages_are_in_the_menu(client, world):
    login(client, world.province_editor)
    html = client.get("/").content.decode()
    assert 'href="/activities/statistics/"' in html and 'href="/activities/calendar/"' in html


# ---------------------------------------------------------------------------------------------------------------
# Queries


def _add(world, count: int) -> None:
    korea = Country.objects.get_or_create(
        iso2="KR", defaults={"iso3": "KOR", "name_vi": "Hàn Quốc", "name_en": "Korea"}
    )[0]
    for year in (2019, 2020, 2021):
        for index in range(count):
            owner = (world.danang, world.danang_dept, world.quangnam)[index % 3]
            delegation = DelegationFactory(
                owner=owner,
                status="done" if index % 4 else "planned",
                direction=("outgoing", "incoming")[index % 2],
                departs_on=dt.date(year, 1 + index % 12, 1 + index % 28),
                returns_on=None,
                funding=("state_budget", "partner")[index % 2],
                in_annual_plan=bool(index % 3),
                member_count=1 + index,
            )
            if delegation.direction == "outgoing":
                delegation.countries.add(korea)
            else:
                delegation.origin_country = korea
                delegation.level = "minister"
                delegation.save()
            DelegationMemberFactory(delegation=delegation, owner=owner)
        DeclaredFigure.objects.create(
            owner=world.danang,
            indicator="foreign_reporters",
            period=str(year),
            value=Decimal(count),
            source_document=f"Báo cáo năm {year} ({count})",
        )


def _queries(client, url: str) -> int:
    client.get(url)  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert not response.context["errors"], url
    return len(queries)


@pytest.mark.parametrize("user", ["national_viewer", "province_editor"])
def test_the_pages_read_a_fixed_number_of_queries(client, world, user):
    login(client, world.users[user])
    urls = [
        f"{STATISTICS}?unit=da-nang&period=2021",
        f"{STATISTICS}?unit=quang-nam-legacy&period=2020",
        f"{STATISTICS}?unit=da-nang&period=2021-H1",
        f"{CALENDAR}?unit=da-nang&month=2021-01",
    ]
    _add(world, 3)
    few = [_queries(client, url) for url in urls]
    _add(world, 12)
    many = [_queries(client, url) for url in urls]
    assert few == many, (few, many)
    assert max(many) <= MOST_QUERIES, many


# ---------------------------------------------------------------------------------------------------------------
# The indicators of how delegations were paid for and planned


def test_state_funded_in_plan_and_arising_delegations(client, world):
    common = {"owner": world.danang, "status": "done", "departs_on": dt.date(2024, 4, 10), "returns_on": None}
    DelegationFactory(**common, funding="state_budget", in_annual_plan=True)
    DelegationFactory(**common, funding="state_budget", in_annual_plan=False)
    DelegationFactory(**common, funding="partner", in_annual_plan=True)
    DelegationFactory(**{**common, "status": "planned"}, funding="state_budget", in_annual_plan=True)
    DelegationFactory(**common, direction="incoming", funding="state_budget", in_annual_plan=True)
    period = Period.parse("2024")
    values = {
        code: indicator_value(code, unit=world.danang, period=period)
        for code in (
            "outgoing_state_funded_delegations",
            "outgoing_planned_delegations",
            "outgoing_arising_delegations",
        )
    }
    assert {code: value["value"] for code, value in values.items()} == {
        "outgoing_state_funded_delegations": 2,
        "outgoing_planned_delegations": 2,
        "outgoing_arising_delegations": 1,
    }
    assert outgoing_delegations(unit=world.danang, period=period).value == 3
    # Each links to the list filtered the same way, which counts as many.
    login(client, world.province_editor)
    for code, value in values.items():
        listed = client.get(value["records_url"])
        assert listed.status_code == 200
        assert listed.context["table"].paginator.count == value["value"], code
    for code in values:
        assert catalogue()[code].app == "activities"
        assert code in statistics_codes()


def test_the_page_shows_every_indicator_of_the_app_and_the_summaries_declared_ones():
    codes = statistics_codes()
    assert codes[:2] == ["outgoing_delegations", "outgoing_person_trips"]
    assert {code for code, item in catalogue().items() if item.app == "activities"} <= set(codes)
    assert {"foreign_reporters", "international_conferences", "awards_received"} <= set(codes)
    assert "agreements_signed" not in codes


def test_the_change_is_written_as_the_reports_write_it():
    assert change_text(Decimal(-25), Decimal(189)) == "−25 (−13,2%)"
    assert change_text(Decimal(3), Decimal(0)) == "+3"
    assert change_text(Decimal(1200), Decimal(1000)) == "+1.200 (+120,0%)"
    assert change_text(None, Decimal(4)) == "—"


# ---------------------------------------------------------------------------------------------------------------
# The calendar


def test_the_calendar_lists_the_month_and_keeps_partial_dates_apart(client, world):
    april = {"owner": world.danang, "departs_on": dt.date(2024, 4, 10), "returns_on": dt.date(2024, 4, 15)}
    on_day = DelegationFactory(**april, purpose="Đoàn ngày 10")
    spanning = DelegationFactory(
        owner=world.danang_dept,
        departs_on=dt.date(2024, 3, 28),
        returns_on=dt.date(2024, 4, 2),
        purpose="Đoàn qua tháng",
    )
    month_only = DelegationFactory(
        owner=world.danang,
        departs_on=dt.date(2024, 4, 1),
        returns_on=None,
        date_precision="month",
        purpose="Đoàn tháng 4",
    )
    year_only = DelegationFactory(
        owner=world.quangnam, departs_on=dt.date(2024, 1, 1), returns_on=None, date_precision="year", purpose="Đoàn năm"
    )
    DelegationFactory(owner=world.danang, departs_on=dt.date(2024, 5, 2), returns_on=None, purpose="Đoàn tháng 5")
    DelegationFactory(owner=world.bacninh, departs_on=dt.date(2024, 4, 11), returns_on=None, purpose="Đoàn Bắc Ninh")
    event = EventFactory(owner=world.danang, starts_on=dt.date(2024, 4, 20), ends_on=None)
    conference = ConferenceFactory(owner=world.danang, starts_on=dt.date(2024, 4, 22), ends_on=None, applied_on=None)
    press = PressVisitFactory(owner=world.danang, starts_on=dt.date(2024, 4, 25), ends_on=None)

    login(client, world.province_editor)
    response = client.get(CALENDAR, {"unit": "da-nang", "month": "2024-04"})
    assert response.status_code == 200 and not response.context["errors"]
    days = {day: [entry.title for entry in entries] for day, _label, entries in response.context["days"]}
    assert days[dt.date(2024, 4, 1)] == [spanning.purpose]  # started in March, listed from the month's first day
    assert days[dt.date(2024, 4, 10)] == [on_day.purpose]
    assert days[dt.date(2024, 4, 20)] == [str(event)]
    assert days[dt.date(2024, 4, 22)] == [str(conference)]
    assert days[dt.date(2024, 4, 25)] == [press.agency]
    assert [entry.title for entry in response.context["month_only"]] == [month_only.purpose]
    assert [entry.title for entry in response.context["year_only"]] == [year_only.purpose]
    html = response.content.decode()
    assert "Đoàn tháng 5" not in html and "Đoàn Bắc Ninh" not in html
    assert f'href="{on_day.get_absolute_url()}"' in html
    assert response.context["previous_url"].endswith("month=2024-03")
    assert response.context["next_url"].endswith("month=2024-05")
    # March lists the spanning delegation at its own day, and the year-only one again under its year.
    march = client.get(response.context["previous_url"])
    march_days = {day: [entry.title for entry in entries] for day, _label, entries in march.context["days"]}
    assert march_days == {dt.date(2024, 3, 28): [spanning.purpose]}
    assert [entry.title for entry in march.context["year_only"]] == [year_only.purpose]
    # A department's calendar lists its own records; a user of another province is refused the city's.
    own = client.get(CALENDAR, {"unit": world.danang_dept.key, "month": "2024-04"})
    assert [entry.title for _day, _label, entries in own.context["days"] for entry in entries] == [spanning.purpose]
    login(client, world.other_editor)
    refused = client.get(CALENDAR, {"unit": "da-nang", "month": "2024-04"})
    assert refused.status_code == 200 and refused.context["days"] is None and refused.context["errors"]
    assert "Đoàn ngày 10" not in refused.content.decode()


def test_the_rows_are_the_figures_of_each_indicator(world):
    """One run for the period, the one before and the chart's years gives what indicator_values gives."""
    _add(world, 4)
    for unit in (world.danang, world.quangnam, world.danang_dept):
        for text in ("2020", "2021", "2021-H1", "2019/2021"):
            period = Period.parse(text)
            rows = {row.code: row for row in statistics_rows(period, statistics_values(unit, period))}
            for expected in indicator_values(unit=unit, period=period, codes=statistics_codes()):
                row = rows[expected["indicator"]]
                assert (row.value, row.source, row.previous, row.change) == (
                    expected["value"],
                    expected["source"],
                    expected["previous"]["value"],
                    expected["change"],
                ), (unit, text, row.code)


def test_in_english_the_figures_read_as_in_vietnamese(client, world):
    """The English interface keeps the Vietnamese number format (config/formats/en), so a figure reads the same."""
    for period, value in (("2012", 1189), ("2013", 1164)):
        DeclaredFigure.objects.create(
            owner=world.quangnam,
            indicator="outgoing_delegations",
            period=period,
            value=Decimal(value),
            source_document=f"Báo cáo tổng kết công tác đối ngoại năm {period}",
        )
    login(client, world.province_editor)
    client.cookies["django_language"] = "en"
    response = client.get(STATISTICS, {"unit": QUANG_NAM, "period": "2013"})
    rows = _rows(response)
    assert (rows["outgoing_delegations"].value, rows["outgoing_delegations"].source) == (1164, "declared")
    html = response.content.decode()
    assert "Outgoing delegations" in html and "1.164" in html and "Change against 2012" in html
    assert "−25 (−2,1%)" in html
