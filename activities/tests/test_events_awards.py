"""Events with foreign participation and awards (issue 19, items 5, 6 and 9): the generic record tests, their rules
refused with a Vietnamese message on the form and through the API, the partner's page, the awards indicators, and
the demo's events and awards of Quảng Nam's 2013 summary."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from activities.choices import AwardDirection, AwardStatus, EventKind
from activities.models import Award, Event
from activities.registries import AWARDS, EVENTS
from activities.testing.factories import AwardFactory, EventFactory
from core.indicators import indicator_value
from core.models import DeclaredFigure
from core.periods import Period
from core.testing.mixins import RecordTests
from core.testing.world import load_demo_data, login
from partners.testing.factories import PartnerFactory, country

QUANG_NAM = "quang-nam-legacy"


class TestEvent(RecordTests):
    record_type = EVENTS
    factory = EventFactory
    values = {
        "name": "Lễ hội giao lưu văn hóa Hội An - Nhật Bản lần thứ XXI",
        "kind": "festival",
        "edition": 21,
        "date_precision": "day",
        "starts_on": dt.date(2024, 8, 9),
        "ends_on": dt.date(2024, 8, 11),
        "organiser": "UBND thành phố Hội An",
        "place": "Hội An",
        "country_count": 2,
        "organisation_count": 1,
        "description": "Có đoàn nghệ thuật của tỉnh kết nghĩa tham gia",
    }


class TestAward(RecordTests):
    record_type = AWARDS
    factory = AwardFactory
    values = {
        "direction": "received",
        "name": "Huân chương ITXALA",
        "award_class": "hạng nhì",
        "count": 1,
        "awarding_organisation": "Nhà nước Lào",
        "recipients": "Sở Ngoại vụ",
        "status": "granted",
        "decision_number": "15/QĐ-CTN",
        "decided_on": dt.date(2024, 9, 2),
        "date_precision": "day",
        "notes": "Trao tại Sê Koong",
    }


EVENT_FORM = {
    "name": "Ngày văn hóa Hàn Quốc tại Đà Nẵng",
    "kind": "cultural_day",
    "date_precision": "day",
    "starts_on": "10/08/2024",
    "ends_on": "12/08/2024",
}
AWARD_FORM = {
    "direction": "received",
    "name": "Huân chương Hữu nghị",
    "count": "2",
    "status": "granted",
    "date_precision": "day",
    "decided_on": "02/09/2024",
}


def _post(client, world, url, data, **changes):
    login(client, world.province_editor)
    return client.post(url, {**data, "owner": world.danang.pk, **changes})


def _api(world):
    api = APIClient()
    api.force_authenticate(world.province_editor)
    return api


@pytest.mark.django_db
def test_an_event_that_ends_before_it_starts_is_refused_in_vietnamese(client, world):
    response = _post(client, world, "/events/add/", EVENT_FORM, ends_on="05/08/2024")
    assert response.status_code == 400
    assert "Ngày kết thúc: sự kiện không thể kết thúc (05/08/2024) trước khi bắt đầu (10/08/2024)." in (
        response.content.decode()
    )
    answer = _api(world).post(
        "/api/v1/events/",
        {"owner": "da-nang", "name": "Lễ hội", "starts_on": "2024-08-10", "ends_on": "2024-08-05"},
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert "sự kiện không thể kết thúc" in answer.content.decode()
    assert not Event.all_objects.exists()


@pytest.mark.django_db
def test_a_received_award_cannot_be_proposed(client, world):
    response = _post(client, world, "/awards/add/", AWARD_FORM, status="proposed")
    assert response.status_code == 400
    assert "Trạng thái: phần thưởng nhận của nước ngoài là đã trao tặng, không phải đề nghị." in (
        response.content.decode()
    )
    answer = _api(world).post(
        "/api/v1/awards/",
        {"owner": "da-nang", "direction": "received", "name": "Huân chương Hữu nghị", "status": "proposed"},
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert "không phải đề nghị" in answer.content.decode()
    assert not Award.all_objects.exists()
    # Proposed by the unit, a proposal is what it is.
    ok = _api(world).post(
        "/api/v1/awards/",
        {"owner": "da-nang", "direction": "proposed", "name": "Huân chương Hữu nghị", "status": "proposed"},
        format="json",
    )
    assert ok.status_code == 201, ok.content


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        ("/events/add/", EVENT_FORM, "country_count", "Số nước tham gia: không được là số âm."),
        ("/events/add/", EVENT_FORM, "organisation_count", "Số tổ chức quốc tế tham gia: không được là số âm."),
        ("/events/add/", EVENT_FORM, "edition", "Lần tổ chức: không được là số âm."),
        ("/awards/add/", AWARD_FORM, "count", "Số lượng: ít nhất là một, hoặc để trống khi không rõ."),
    ],
)
@pytest.mark.django_db
def test_negative_counts_are_refused(client, world, url, data, field, message):
    response = _post(client, world, url, data, **{field: "-1"})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_the_api_refuses_negative_counts_with_a_400(world):
    api = _api(world)
    for field in ("country_count", "organisation_count", "edition"):
        answer = api.post("/api/v1/events/", {"owner": "da-nang", "name": "Lễ hội", field: -1}, format="json")
        assert answer.status_code == 400, (field, answer.content)
    for count in (-1, 0):
        answer = api.post("/api/v1/awards/", {"owner": "da-nang", "name": "Huân chương", "count": count}, format="json")
        assert answer.status_code == 400, (count, answer.content)
    assert not Event.all_objects.exists() and not Award.all_objects.exists()
    ok = api.post("/api/v1/awards/", {"owner": "da-nang", "name": "Huân chương", "count": None}, format="json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["count"] is None, "a number not known stays empty"


@pytest.mark.django_db
def test_events_and_awards_naming_a_partner_are_on_its_page(client, world):
    osan = PartnerFactory(owner=world.danang, name_vi="Thành phố Osan", country=country("KR", "Hàn Quốc"))
    festival = EventFactory(owner=world.danang, name="Lễ hội cộng đồng thành phố Osan")
    festival.partners.add(osan)
    award = AwardFactory(owner=world.danang, name="Huân chương Hữu nghị Hàn Quốc")
    award.partners.add(osan)
    other = EventFactory(owner=world.bacninh, name="Lễ hội của tỉnh khác")
    other.partners.add(osan)
    login(client, world.viewer)
    page = client.get(osan.get_absolute_url()).content.decode()
    assert festival.get_absolute_url() in page and award.get_absolute_url() in page
    assert other.get_absolute_url() not in page, "another province's event stays hidden"
    assert "Sự kiện" in page and "Khen thưởng" in page


@pytest.mark.django_db
def test_the_lists_filter_by_kind_direction_status_year_country_and_partner(client, world):
    laos = country("LA", "Lào")
    sekong = PartnerFactory(owner=world.danang, name_vi="Tỉnh Sê Koong", country=laos)
    festival = EventFactory(owner=world.danang, kind=EventKind.FESTIVAL)
    festival.countries.add(laos)
    festival.partners.add(sekong)
    EventFactory(owner=world.danang, kind=EventKind.SPORTS, starts_on=dt.date(2023, 5, 1), ends_on=None)
    received = AwardFactory(owner=world.danang, awarding_country=laos)
    received.partners.add(sekong)
    AwardFactory(owner=world.danang, direction="proposed", status="proposed", decided_on=dt.date(2023, 1, 5))
    login(client, world.viewer)

    def listed(url):
        return {row.pk for row in client.get(url).context["table"].data}

    assert listed("/events/?kind=festival") == {festival.pk}
    assert listed("/events/?year=2024&unit=da-nang") == {festival.pk}
    assert listed("/events/?country=LA") == {festival.pk}
    assert listed(f"/events/?partner={sekong.key}") == {festival.pk}
    assert listed("/awards/?direction=received&status=granted") == {received.pk}
    assert listed("/awards/?decided_in=2024&country=lao") == {received.pk}
    assert listed(f"/awards/?partner={sekong.key}") == {received.pk}


@pytest.mark.django_db
def test_awards_received_adds_up_the_numbers_granted_in_the_period(client, world):
    AwardFactory(owner=world.danang, name="Huân chương ITXALA", award_class="hạng nhì", count=1)
    AwardFactory(owner=world.danang, name="Huân chương ITXALA", award_class="hạng ba", count=3)
    AwardFactory(owner=world.danang_dept, name="Huy chương Hữu nghị", award_class="", count=10)
    AwardFactory(owner=world.danang, name="Huân chương Lao động", award_class="hạng ba", count=None)
    # Not counted: proposals, a refusal, another year, another province.
    AwardFactory(owner=world.danang, direction="proposed", status="proposed", count=5)
    AwardFactory(owner=world.danang, direction="proposed", status="refused", count=2)
    vietnam, laos = country("VN", "Việt Nam"), country("LA", "Lào")
    AwardFactory(owner=world.danang, direction="proposed", status="granted", count=3, awarding_country=vietnam)
    AwardFactory(owner=world.danang, direction="proposed", status="proposed", count=6, awarding_country=laos)
    AwardFactory(owner=world.danang, status="refused", count=4)
    AwardFactory(owner=world.danang, count=7, decided_on=dt.date(2023, 6, 1))
    AwardFactory(owner=world.bacninh, count=99)
    value = indicator_value("awards_received", unit=world.danang, period=Period.parse("2024"))
    assert (value["value"], value["source"]) == (14, "computed")
    assert value["breakdown"]["by_award"] == {
        "Huy chương Hữu nghị": 10,
        "Huân chương ITXALA hạng ba": 3,
        "Huân chương ITXALA hạng nhì": 1,
        "Huân chương Lao động hạng ba": 0,
    }
    assert (value["previous"]["value"], value["change"]) == (7, 7)
    assert "/awards/?" in value["records_url"] and "decided_in=2024" in value["records_url"]
    proposed = indicator_value("awards_proposed", unit=world.danang, period=Period.parse("2024"))
    assert proposed["value"] == 10, "Viet Nam's awards proposed, whatever became of them; not those asked of Laos"
    login(client, world.viewer)
    for row, rows in ((value, 4), (proposed, 3)):
        assert len(list(client.get(row["records_url"]).context["table"].data)) == rows, row["records_url"]
    nothing = indicator_value("awards_received", unit=world.danang, period=Period.parse("2020"))
    assert nothing["value"] is None, "no award recorded: unknown, not 0"


@pytest.mark.django_db
def test_a_declared_total_above_the_awards_recorded_stands(world):
    AwardFactory(owner=world.quangnam, count=2, decided_on=dt.date(2013, 1, 1), date_precision="year")
    DeclaredFigure.objects.create(
        owner=world.quangnam,
        indicator="awards_received",
        period="2013",
        value=Decimal(27),
        source_document="Báo cáo tổng kết công tác đối ngoại",
        quote="…",
    )
    value = indicator_value("awards_received", unit=world.quangnam, period=Period.parse("2013"))
    assert (value["value"], value["source"], value["computed"]) == (27, "declared", 2)


# -- the demo ----------------------------------------------------------------------------------------------------


def test_the_events_and_awards_of_the_summary_are_loaded(demo):
    events = Event.objects.filter(owner__key=QUANG_NAM)
    awards = Award.objects.filter(owner__key=QUANG_NAM)
    assert events.count() == 18
    assert awards.count() == 10
    festival = events.get(name="Lễ hội giao lưu văn hóa Hội An - Nhật Bản lần thứ XI")
    assert (festival.kind, festival.edition, festival.starts_on, festival.date_precision) == (
        EventKind.FESTIVAL,
        11,
        dt.date(2013, 1, 1),
        "year",
    )
    assert [c.iso2 for c in festival.countries.all()] == ["JP"]
    assert festival.partners.filter(key="jp-japan").exists()
    anniversaries = events.get(name__startswith="Kỷ niệm 40 năm")
    assert {c.iso2 for c in anniversaries.countries.all()} == {"JP", "AU", "FR", "SG", "IT"}
    assert events.get(name__startswith="Khởi công Trạm").starts_on == dt.date(2014, 1, 1)
    itxala = awards.get(name="Huân chương ITXALA", award_class="hạng nhì")
    assert (itxala.count, itxala.status, itxala.awarding_country.iso2) == (1, AwardStatus.GRANTED, "LA")
    assert itxala.partners.filter(key="la-laos").exists()
    assert (itxala.decided_on, itxala.date_precision) == (dt.date(2013, 1, 1), "year")
    unknown = awards.get(count__isnull=True)
    assert unknown.name == "Khen thưởng đối ngoại", "the document's words, not the facts' English gloss"
    # Proposals the facts do not say were granted stay proposed.
    proposed = awards.filter(direction=AwardDirection.PROPOSED)
    assert proposed.count() == 6
    assert set(proposed.values_list("status", flat=True)) == {AwardStatus.PROPOSED}
    assert proposed.get(name="Huân chương Độc lập", award_class="hạng nhất").partners.filter(key="la-sekong").exists()
    # What a user reads is Vietnamese, citing the document by its short name.
    for text in [*events.values_list("description", flat=True), *awards.values_list("notes", flat=True)]:
        assert text.startswith("Nguồn: ")
        assert ".json" not in text and "seed" not in text and "Order" not in text


def test_a_second_demo_load_creates_no_event_or_award(demo):
    before = (Event.all_objects.count(), Award.all_objects.count())
    lines = load_demo_data()
    assert "events: 0 created" in lines and "awards: 0 created" in lines
    assert (Event.all_objects.count(), Award.all_objects.count()) == before


def test_the_computed_awards_of_2013_agree_with_the_declared_total(demo):
    """The four awards received from Laos add up to 1 + 3 + 13 + 10 = 27, the total the summary's list makes."""
    api = APIClient()
    api.force_authenticate(User.objects.get(username="danang"))  # Đà Nẵng succeeds legacy Quảng Nam
    answer = api.get("/api/v1/indicators/awards_received/value/", {"unit": QUANG_NAM, "period": "2013"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (float(body["value"]), body["source"]) == (27, "computed")
    assert float(body["difference_from_declared"]) == 0
    assert body["breakdown"]["by_award"]["Huân chương ITXALA hạng nhì"] == 1
    assert "/awards/" in body["records_url"]
    proposed = api.get("/api/v1/indicators/awards_proposed/value/", {"unit": QUANG_NAM, "period": "2013"}).json()
    assert (float(proposed["value"]), proposed["source"]) == (30, "computed")


def test_the_demo_lists_and_pages_read_in_vietnamese(client, demo):
    login(client, User.objects.get(username="danang"))
    events = client.get("/events/", {"unit": QUANG_NAM, "year": "2013"})
    assert events.status_code == 200
    assert len(list(events.context["table"].data)) == 17, "the groundbreaking is planned for 2014"
    awards = client.get("/awards/", {"unit": QUANG_NAM, "direction": "received"})
    assert len(list(awards.context["table"].data)) == 4
    listed = awards.content.decode()
    assert "Nhận của nước ngoài" in listed and "Nhận hay đề nghị" in listed and "Nhà nước Lào" in listed
    assert ">received<" not in listed and ">granted<" not in listed and "Loại đoàn" not in listed
    assert "Lễ hội" in events.content.decode() and ">festival<" not in events.content.decode()
    itxala = Award.objects.get(owner__key=QUANG_NAM, name="Huân chương ITXALA", award_class="hạng nhì")
    page = client.get(itxala.get_absolute_url()).content.decode()
    assert "Nhận của nước ngoài" in page and "Đã trao tặng" in page and "Nhà nước Lào" in page
    assert "Loại đoàn" not in page and "received" not in page and "granted" not in page
    festival = Event.objects.get(owner__key=QUANG_NAM, edition=11)
    page = client.get(festival.get_absolute_url()).content.decode()
    assert "Lễ hội" in page and "Nhật Bản" in page and ">festival<" not in page


def test_every_demo_event_and_award_text_is_vietnamese_without_internal_codes(demo):
    """The check core.tests.test_demo_language makes of the other demo records."""
    from core.tests.test_demo_language import facts_vocabulary, problems, prose_fields
    from partners.models import Partner

    vocabulary = facts_vocabulary()
    names = {name for name in Partner.all_objects.values_list("name_en", flat=True) if name}
    failures, checked = [], 0
    for model in (Event, Award):
        fields = prose_fields(model)
        for row in model.all_objects.order_by("pk").values("pk", *fields):
            for name in fields:
                if row[name]:
                    checked += 1
                    failures += [
                        f"{model.__name__} {row['pk']} {name}: {why}" for why in problems(row[name], vocabulary, names)
                    ]
    assert checked > 50
    assert not failures, "\n".join(failures)
