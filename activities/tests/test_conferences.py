"""International conferences and workshops (issue 19, item 3; Decision 06/2020/QĐ-TTg) and foreign press visits
(item 4; Decree 88/2012/NĐ-CP): the shared record tests, each bad input refused with a Vietnamese message naming its
field on the form and through the API (400, never 500), who permits a conference and the lead time its application
needs, and the indicators counted from these records."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from activities.models import Conference, PressVisit
from activities.registries import CONFERENCES, PRESS_VISITS
from activities.testing.factories import ConferenceFactory, PressVisitFactory
from core.indicators import indicator_value, indicator_values
from core.models import DeclaredFigure
from core.periods import Period
from core.testing.mixins import RecordTests
from core.testing.world import login
from partners.testing.factories import country

pytestmark = pytest.mark.django_db

Y2024 = Period.parse("2024")
QUANG_NAM = "quang-nam-legacy"
PERMISSION_BEFORE_APPLICATION = (
    "Ngày cho phép: văn bản cho phép (01/03/2024) không thể có trước ngày nộp hồ sơ xin phép (05/04/2024)."
)
TOO_MANY_NAMES = "Số phóng viên: 2, nhưng danh sách có 3 tên."


class TestConference(RecordTests):
    record_type = CONFERENCES
    factory = ConferenceFactory
    values = {
        "title": "Diễn đàn đô thị xanh và tăng trưởng xanh",
        "organiser": "UBND tỉnh Quảng Nam",
        "co_organisers_foreign": "UN-Habitat",
        "date_precision": "day",
        "starts_on": dt.date(2024, 5, 20),
        "ends_on": dt.date(2024, 5, 21),
        "place": "Tam Kỳ",
        "foreign_participants": 40,
        "applied_on": dt.date(2024, 4, 1),
        "status": "planned",
        "notes": "Hội thảo quốc tế do tỉnh chủ trì",
    }


class TestPressVisit(RecordTests):
    record_type = PRESS_VISITS
    factory = PressVisitFactory
    values = {
        "agency": "Đài truyền hình NHK",
        "reporter_count": 2,
        "reporter_names": "Tanaka Ichiro\nSato Hanako",
        "date_precision": "day",
        "starts_on": dt.date(2024, 6, 3),
        "ends_on": dt.date(2024, 6, 5),
        "topics": "Phố cổ Hội An",
        "places": "Hội An",
        "permit_number": "125/BNG-TTBC",
        "accompanying_officer": "Nguyễn Văn Nam",
    }


CONFERENCE_FORM = {
    "title": "Hội thảo quốc tế về phát triển du lịch bền vững",
    "organiser": "Sở Ngoại vụ",
    "date_precision": "day",
    "starts_on": "20/05/2024",
    "status": "planned",
}
PRESS_FORM = {"agency": "Hãng thông tấn Kyodo", "date_precision": "day", "starts_on": "03/06/2024"}


def _post(client, world, url, form, **changes):
    login(client, world.province_editor)
    return client.post(url, {**form, "owner": world.danang.pk, **changes})


def _api(world):
    api = APIClient()
    api.force_authenticate(world.province_editor)
    return api


def test_a_permission_dated_before_its_application_is_refused_on_the_form(client, world):
    response = _post(
        client, world, "/conferences/add/", CONFERENCE_FORM, applied_on="05/04/2024", permission_on="01/03/2024"
    )
    assert response.status_code == 400
    assert PERMISSION_BEFORE_APPLICATION in response.content.decode()
    assert not Conference.all_objects.exists()


def test_a_permission_dated_before_its_application_is_refused_by_the_api(world):
    base = {"owner": "da-nang", "title": "Hội thảo", "organiser": "Sở Ngoại vụ", "starts_on": "2024-05-20"}
    answer = _api(world).post(
        "/api/v1/conferences/", {**base, "applied_on": "2024-04-05", "permission_on": "2024-03-01"}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["permission_on"] == [PERMISSION_BEFORE_APPLICATION]
    assert not Conference.all_objects.exists()
    # A permission on the day of the application, or after, is kept; the record stays valid when changed later.
    ok = _api(world).post(
        "/api/v1/conferences/", {**base, "applied_on": "2024-04-05", "permission_on": "2024-04-05"}, format="json"
    )
    assert ok.status_code == 201, ok.content
    conference = Conference.objects.get()
    answer = _api(world).patch(
        f"/api/v1/conferences/{conference.pk}/",
        {"permission_on": "2024-04-01"},
        format="json",
        HTTP_IF_MATCH=str(conference.version),
    )
    assert answer.status_code == 400, answer.content
    conference.refresh_from_db()
    assert conference.permission_on == dt.date(2024, 4, 5)


@pytest.mark.parametrize(
    ("url", "form", "field", "value", "message"),
    [
        (
            "/conferences/add/",
            CONFERENCE_FORM,
            "foreign_participants",
            "-1",
            "Số đại biểu nước ngoài: không được là số âm.",
        ),
        ("/press-visits/add/", PRESS_FORM, "reporter_count", "-1", "Số phóng viên: ít nhất là một."),
        ("/press-visits/add/", PRESS_FORM, "reporter_count", "0", "Số phóng viên: ít nhất là một."),
    ],
)
def test_negative_counts_are_refused_on_the_form(client, world, url, form, field, value, message):
    response = _post(client, world, url, {"reporter_count": "3", **form}, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Conference.all_objects.exists() and not PressVisit.all_objects.exists()


@pytest.mark.parametrize(
    ("path", "payload", "field", "message"),
    [
        (
            "/api/v1/conferences/",
            {"title": "Hội thảo", "organiser": "Sở Ngoại vụ", "foreign_participants": -5},
            "foreign_participants",
            "Số đại biểu nước ngoài: không được là số âm.",
        ),
        (
            "/api/v1/press-visits/",
            {"agency": "KBS", "reporter_count": -1},
            "reporter_count",
            "Số phóng viên: ít nhất là một.",
        ),
        (
            "/api/v1/press-visits/",
            {"agency": "KBS", "reporter_count": 0},
            "reporter_count",
            "Số phóng viên: ít nhất là một.",
        ),
        ("/api/v1/press-visits/", {"agency": "KBS"}, "reporter_count", None),
    ],
)
def test_negative_counts_are_refused_by_the_api(world, path, payload, field, message):
    answer = _api(world).post(path, {"owner": "da-nang", **payload}, format="json")
    assert answer.status_code == 400, answer.content
    if message:
        assert answer.json()[field] == [message]
    else:
        assert field in answer.json()


def test_more_reporter_names_than_reporters_are_refused(client, world):
    names = "Kim Min-jun\nLee Seo-yeon\nPark Ji-hoon"
    response = _post(client, world, "/press-visits/add/", PRESS_FORM, reporter_count="2", reporter_names=names)
    assert response.status_code == 400
    assert TOO_MANY_NAMES in response.content.decode()
    answer = _api(world).post(
        "/api/v1/press-visits/",
        {"owner": "da-nang", "agency": "KBS", "reporter_count": 2, "reporter_names": names},
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["reporter_count"] == [TOO_MANY_NAMES]
    assert not PressVisit.all_objects.exists()
    ok = _post(client, world, "/press-visits/add/", PRESS_FORM, reporter_count="3", reporter_names=names)
    assert ok.status_code == 302
    assert PressVisit.objects.get().reporter_name_list() == ["Kim Min-jun", "Lee Seo-yeon", "Park Ji-hoon"]


@pytest.mark.parametrize(
    ("flags", "required", "who"),
    [
        ({}, 30, "UBND tỉnh"),
        ({"high_level_participants": True}, 40, "Thủ tướng Chính phủ"),
        ({"sensitive_topics": True}, 40, "Thủ tướng Chính phủ"),
    ],
)
def test_who_permits_and_the_lead_time_required(world, flags, required, who, client):
    conference = ConferenceFactory(owner=world.danang, applied_on=dt.date(2024, 4, 20), **flags)
    assert conference.lead_days_required == required
    assert conference.lead_days == 30
    assert conference.applied_late is (required == 40)
    login(client, world.viewer)
    page = client.get(conference.get_absolute_url()).content.decode()
    assert f'id="conference-permitted-by">{who}<' in page
    assert f"ít nhất {required} ngày" in page
    assert ("conference-applied-late" in page) is (required == 40)
    body = _api(world).get(f"/api/v1/conferences/{conference.pk}/").json()
    assert (body["lead_days_required"], body["lead_days"], body["applied_late"]) == (required, 30, required == 40)


def test_a_late_application_is_a_warning_on_the_page_not_a_refusal(client, world):
    response = _post(
        client,
        world,
        "/conferences/add/",
        CONFERENCE_FORM,
        applied_on="30/04/2024",
        high_level_participants="on",
    )
    assert response.status_code == 302
    conference = Conference.objects.get()
    assert conference.applied_late
    page = client.get(conference.get_absolute_url()).content.decode()
    assert "alert-warning" in page
    assert "Nộp hồ sơ muộn: hồ sơ nộp 20 ngày trước khai mạc, trong khi phải nộp trước ít nhất 40 ngày." in page
    # Pages speak Vietnamese: no internal code of a status or a flag.
    assert "planned" not in page.replace('"planned"', "")


def test_a_date_known_only_to_the_month_has_no_lead_time(client, world):
    conference = ConferenceFactory(
        owner=world.danang, date_precision="month", applied_on=dt.date(2024, 5, 1), high_level_participants=True
    )
    assert conference.lead_days is None and not conference.applied_late
    login(client, world.viewer)
    page = client.get(conference.get_absolute_url()).content.decode()
    assert "conference-applied-late" not in page
    assert "Chưa biết thời gian nộp hồ sơ trước khai mạc" in page


def test_the_list_filters_by_late_application_prime_minister_online_and_country(client, world):
    korea = country("KR", "Hàn Quốc", "Korea")
    late = ConferenceFactory(owner=world.danang, applied_on=dt.date(2024, 4, 30), high_level_participants=True)
    late.countries.add(korea)
    on_time = ConferenceFactory(owner=world.danang, applied_on=dt.date(2024, 4, 1), online=True)
    # Exactly 40 days ahead for the Prime Minister: on time.
    boundary = ConferenceFactory(owner=world.danang, applied_on=dt.date(2024, 4, 10), sensitive_topics=True)
    unknown = ConferenceFactory(owner=world.danang, applied_on=None)
    login(client, world.viewer)

    def shown(**query):
        return {row.pk for row in client.get("/conferences/", query).context["table"].data}

    assert shown(applied_late="true") == {late.pk}
    assert shown(applied_late="false") == {on_time.pk, boundary.pk, unknown.pk}
    assert shown(prime_minister="true") == {late.pk, boundary.pk}
    assert shown(prime_minister="false") == {on_time.pk, unknown.pk}
    assert shown(online="true") == {on_time.pk}
    assert shown(country="han quoc") == {late.pk}
    assert shown(year="2024", unit="da-nang", started_in="2024") == {late.pk, on_time.pk, boundary.pk, unknown.pk}
    api = _api(world)
    rows = api.get("/api/v1/conferences/", {"applied_late": "true"}).json()["results"]
    assert [row["id"] for row in rows] == [late.pk]
    assert rows[0]["prime_minister_decides"] is True
    assert api.get("/api/v1/conferences/", {"year": "0"}).status_code == 400
    assert api.get("/api/v1/conferences/", {"started_in": "nonsense"}).status_code == 400


def test_the_press_list_filters_by_country_and_year(client, world):
    japan = country("JP", "Nhật Bản", "Japan")
    nhk = PressVisitFactory(owner=world.danang, country=japan)
    other = PressVisitFactory(owner=world.danang, starts_on=dt.date(2023, 3, 1), ends_on=None)
    login(client, world.viewer)

    def shown(**query):
        return {row.pk for row in client.get("/press-visits/", query).context["table"].data}

    assert shown(country="JP") == {nhk.pk}
    assert shown(year="2023") == {other.pk}
    assert shown(started_in="2024") == {nhk.pk}


@pytest.fixture
def year(world):
    """Đà Nẵng's 2024: two conferences held (one by a department), one planned, one held in 2023, one of another
    province; three press visits (3, 5 and 2 reporters, one by a department), one in 2023."""
    korea = country("KR", "Hàn Quốc", "Korea")
    japan = country("JP", "Nhật Bản", "Japan")
    held = ConferenceFactory(owner=world.danang, status="held")
    held.countries.add(korea, japan)
    ConferenceFactory(owner=world.danang_dept, status="held").countries.add(korea)
    ConferenceFactory(owner=world.danang, status="planned")
    ConferenceFactory(owner=world.danang, status="held", starts_on=dt.date(2023, 11, 2), ends_on=None)
    ConferenceFactory(owner=world.bacninh, status="held")
    PressVisitFactory(owner=world.danang, reporter_count=3, country=korea)
    PressVisitFactory(owner=world.danang, reporter_count=5, country=japan)
    PressVisitFactory(owner=world.danang_dept, reporter_count=2, country=korea)
    PressVisitFactory(owner=world.danang, reporter_count=7, starts_on=dt.date(2023, 5, 1), ends_on=None)
    PressVisitFactory(owner=world.bacninh, reporter_count=9)


CODES = ["international_conferences", "foreign_press_groups", "foreign_reporters"]


def test_held_conferences_and_press_visits_of_the_portfolio_are_counted(world, year):
    values = {row["indicator"]: row for row in indicator_values(unit=world.danang, period=Y2024, codes=CODES)}
    assert {code: values[code]["value"] for code in CODES} == {
        "international_conferences": 2,
        "foreign_press_groups": 3,
        "foreign_reporters": 10,
    }
    assert {values[code]["source"] for code in CODES} == {"computed"}
    assert values["international_conferences"]["previous"]["value"] == 1
    assert values["foreign_reporters"]["previous"]["value"] == 7
    assert values["foreign_reporters"]["change"] == 3
    assert values["international_conferences"]["breakdown"]["by_country"] == {"Hàn Quốc": 2, "Nhật Bản": 1}
    assert values["foreign_reporters"]["breakdown"]["by_country"] == {"Hàn Quốc": 5, "Nhật Bản": 5}
    url = values["international_conferences"]["records_url"]
    assert url.startswith("/conferences/?") and "status=held" in url and "started_in=2024" in url
    assert values["foreign_press_groups"]["records_url"].startswith("/press-visits/?")


def test_the_records_links_list_what_was_counted(client, world, year):
    login(client, world.province_editor)
    for code, count in (("international_conferences", 2), ("foreign_press_groups", 3)):
        url = indicator_value(code, unit=world.danang, period=Y2024)["records_url"]
        assert len(list(client.get(url).context["table"].data)) == count, code


def test_a_period_without_records_answers_its_declared_figure(world):
    DeclaredFigure.objects.create(
        owner=world.danang,
        indicator="foreign_reporters",
        period="2024",
        value=Decimal(40),
        source_document="Báo cáo tổng kết công tác đối ngoại",
        quote="…",
    )
    assert indicator_value("international_conferences", unit=world.danang, period=Y2024)["value"] is None
    answer = indicator_value("foreign_reporters", unit=world.danang, period=Y2024)
    assert (answer["value"], answer["source"]) == (40, "declared")
    PressVisitFactory(owner=world.danang, reporter_count=4)
    answer = indicator_value("foreign_reporters", unit=world.danang, period=Y2024)
    assert (answer["value"], answer["source"], answer["computed"]) == (40, "declared", 4)


@pytest.mark.parametrize(
    ("code", "value"), [("international_conferences", 2), ("foreign_press_groups", 26), ("foreign_reporters", 156)]
)
@pytest.mark.parametrize("unit", [QUANG_NAM, "Quảng Nam"])
def test_the_declared_2013_totals_of_quang_nam_answer(demo, code, value, unit):
    """The demo holds no conference or press visit of 2013 (the summary names none item by item): the declared
    totals answer."""
    api = APIClient()
    api.force_authenticate(User.objects.get(username="danang"))  # Đà Nẵng succeeds legacy Quảng Nam
    answer = api.get(f"/api/v1/indicators/{code}/value/", {"unit": unit, "period": "2013"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (float(body["value"]), body["source"]) == (value, "declared")
    assert body["unit"] == QUANG_NAM
