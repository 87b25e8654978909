"""A province's reporting calendar, what is due on the home page, and the reminders of the receiving body (issue 20,
items 4 and 7): Đà Nẵng's periods with their dates and the status of its report, its predecessor's period before the
merger, the lists of the home page for the users they belong to, reminders recorded once a unit and day and only by
the receiving body, and a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from core.testing.world import login
from core.todo import todo_lists
from reports.calendar import calendar_entries
from reports.models import Reminder, ReportingPeriod
from reports.testing.factories import ReportingPeriodFactory, ReportingRegimeFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

CALENDAR = "/reports/calendar/"
REGISTER = "/reports/register/"
REMIND = "/reports/register/remind/"
TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Every page reads the same day: 3 December 2026 (the year's report is due on 20 December)."""
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: TODAY)
    return TODAY


@pytest.fixture
def regime(world):
    return ReportingRegimeFactory(
        key="local_foreign_affairs",
        name_vi="Báo cáo tình hình công tác đối ngoại địa phương",
        name_en="Report on local foreign affairs",
        recipient=world.mofa,
    )


@pytest.fixture
def register(world, regime):
    """Quảng Nam reported the first half of 2025 on time (before the merger); Đà Nẵng its year 2025 ten days late;
    nobody has reported the first half of 2026 (overdue) nor the year 2026 (due on 20 December)."""
    first_half = ReportingPeriodFactory(regime=regime, period="2025-H1")
    SubmissionFactory(reporting_period=first_half, owner=world.quangnam, sent_on=dt.date(2025, 6, 18))
    year = ReportingPeriodFactory(regime=regime, period="2025")
    SubmissionFactory(reporting_period=year, owner=world.danang, sent_on=dt.date(2025, 12, 30))
    ReportingPeriodFactory(regime=regime, period="2026-H1")
    return regime


def _lists(user) -> dict:
    return {item.todo.key: item for item in todo_lists(user)}


def _remind(client, period: str = "2026-H1", regime: str = "local_foreign_affairs"):
    return client.post(REMIND, {"regime": regime, "period": period})


# ---------------------------------------------------------------------------------------------------------------
# The calendar


def test_the_calendar_shows_every_period_with_its_dates_and_the_status_of_the_report(client, world, register):
    login(client, world.province_editor)
    response = client.get(reverse("reports:calendar"))
    assert response.status_code == 200
    entries = {entry.period.period: entry for entry in response.context["entries"]}
    assert list(entries) == ["2025-H1", "2025", "2026-H1", "2026"]
    assert response.context["unit"] == world.danang

    # Before the merger the period was Quảng Nam's, reported on time.
    first_half = entries["2025-H1"]
    assert first_half.unit == world.quangnam and not first_half.own
    assert first_half.status == "received" and first_half.days_late == 0 and not first_half.overdue

    # The year 2025: sent ten days after its deadline of 20 December 2025.
    year = entries["2025"]
    assert (year.period.data_from, year.period.data_to) == (dt.date(2024, 12, 15), dt.date(2025, 12, 14))
    assert year.period.deadline == dt.date(2025, 12, 20) and year.period.on_time_until == dt.date(2025, 12, 20)
    assert year.status == "received" and year.days_late == 10 and not year.overdue

    # The first half of 2026 is overdue; the year 2026, not stored yet, is due within 30 days.
    assert entries["2026-H1"].status == "not_started" and entries["2026-H1"].overdue
    assert entries["2026-H1"].days_overdue == (TODAY - dt.date(2026, 6, 20)).days
    assert entries["2026"].period.pk is None and entries["2026"].due_soon
    assert entries["2026"].period.deadline == dt.date(2026, 12, 20)

    html = response.content.decode()
    assert "Lịch báo cáo — Đà Nẵng" in html
    assert "15/12/2024 – 14/12/2025" in html and "20/12/2025" in html
    assert "Quảng Nam" in html and "10 ngày" in html
    assert 'id="period-local_foreign_affairs-2026-H1" data-status="not_started" class="table-danger"' in html
    assert "local_foreign_affairs" not in html.replace('id="period-local_foreign_affairs', "")
    # The calendar creates no period.
    assert not ReportingPeriod.objects.filter(period="2026").exists()


def _calendar_row(html: str, anchor: str) -> str:
    match = re.search(rf'<tr id="{re.escape(anchor)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, anchor
    return match.group(1)


def test_the_calendar_writes_the_last_day_on_time_only_where_it_is_not_the_deadline(client, world, register):
    """One column of dates: the deadline, and under it the last day still on time where the receiving body granted
    days of grace; never two columns of the same dates. Each period reads as a reader writes it."""
    ReportingPeriod.objects.filter(regime=register, period="2025").update(on_time_until=dt.date(2025, 12, 25))
    login(client, world.province_editor)
    html = client.get(CALENDAR, {"unit": "da-nang"}).content.decode()
    headers = re.findall(r'<th scope="col">([^<]*)</th>', html.split("<thead>")[1].split("</thead>")[0])
    assert headers == ["Báo cáo và kỳ báo cáo", "Thời gian lấy số liệu", "Thời hạn", "Trạng thái", "Nhắc nhở"]
    year = _calendar_row(html, "period-local_foreign_affairs-2025")
    assert "20/12/2025" in year and "đúng hạn đến 25/12/2025" in year
    first_half = _calendar_row(html, "period-local_foreign_affairs-2026-H1")
    assert "20/06/2026" in first_half and "đúng hạn đến" not in first_half
    assert "6 tháng đầu năm 2026" in first_half
    text = re.sub(r"<[^>]+>", " ", html.split("<main")[1])
    assert "2026-H1" not in text and "2025-H1" not in text


def test_the_calendar_has_an_empty_state_and_a_province_to_choose_for_a_central_user(client, world, register):
    login(client, world.national_viewer)
    response = client.get(CALENDAR)
    assert response.status_code == 200 and response.context["unit"] is None
    html = response.content.decode()
    assert 'id="calendar-choose"' in html and 'value="da-nang"' in html and 'value="bac-ninh"' in html
    response = client.get(CALENDAR, {"unit": "bac-ninh"})
    entries = response.context["entries"]
    assert [entry.period.period for entry in entries] == ["2025-H1", "2025", "2026-H1", "2026"]
    # Bắc Ninh did not exist in the first half of 2025, and the world gives it no predecessor.
    assert entries[0].unit is None and not entries[0].overdue
    assert all(entry.unit == world.bacninh for entry in entries[1:])
    assert "Không thuộc diện báo cáo" in response.content.decode()
    # A province's user cannot read another province's calendar.
    login(client, world.other_editor)
    response = client.get(CALENDAR, {"unit": "da-nang"})
    assert response.context["unit"] is None and "Không có đơn vị này" in response.content.decode()
    # The menu leads to the calendar.
    assert f'href="{CALENDAR}"' in response.content.decode()


def test_a_calendar_without_regimes_says_so(client, world):
    login(client, world.province_editor)
    response = client.get(CALENDAR)
    assert response.status_code == 200 and response.context["entries"] == []
    assert 'id="calendar-empty"' in response.content.decode()


def test_a_department_user_sees_the_calendar_of_its_province(client, world, register):
    login(client, world.unit_editor)
    assert client.get(CALENDAR).context["unit"] == world.danang


# ---------------------------------------------------------------------------------------------------------------
# The home page


def test_a_province_sees_its_reports_due_and_the_receiving_body_the_units_that_have_not_reported(
    client, world, register
):
    ReportingRegimeFactory(key="yearly", frequency="year", recipient=world.mofa)
    due = _lists(world.province_editor)["reports-due"]
    # The first half of 2026 (overdue) and the year 2026 of the half-yearly regime; the years 2025 and 2026 of the
    # yearly one. Quảng Nam's period before the merger is not chased, nor a report already sent.
    assert due.count == 4
    assert [item.overdue for item in due.items] == [True, True, False, False]
    assert [item.due for item in due.items] == [dt.date(2025, 12, 20), dt.date(2026, 6, 20)] + [
        dt.date(2026, 12, 20)
    ] * 2
    assert all(item.url.startswith(f"{CALENDAR}?unit=da-nang#period-") for item in due.items)
    assert _lists(world.other_editor)["reports-due"].count == 5  # Bắc Ninh has sent nothing
    # Only the receiving body has the list of units that have not reported; a viewer or a leader has neither list.
    assert "units-not-reported" not in _lists(world.province_editor)
    assert not {"reports-due", "units-not-reported"} & set(_lists(world.national_viewer))
    assert not {"reports-due", "units-not-reported"} & set(_lists(world.approver))
    missing = _lists(world.national_admin)["units-not-reported"]
    assert "reports-due" not in _lists(world.national_admin) or not _lists(world.national_admin)["reports-due"].count
    # Past their deadline in the last year: the year 2025 of both regimes, the first half of 2026.
    assert missing.count == 3
    texts = {item.text: item for item in missing.items}
    assert "Bắc Ninh" in texts["Báo cáo tình hình công tác đối ngoại địa phương — năm 2025"].note
    assert "Đà Nẵng" not in texts["Báo cáo tình hình công tác đối ngoại địa phương — năm 2025"].note
    assert all(item.url.startswith(f"{REGISTER}?regime=") for item in missing.items)

    login(client, world.province_editor)
    html = client.get("/").content.decode()
    assert 'id="todo-reports-due"' in html and "Báo cáo đến hạn" in html
    # The whole list has its page, as every declared list.
    page = client.get(reverse("core:todo", kwargs={"slug": "submissions", "key": "reports-due"}))
    assert page.status_code == 200 and len(page.context["items"]) == 4
    assert (
        client.get(reverse("core:todo", kwargs={"slug": "submissions", "key": "units-not-reported"})).status_code == 404
    )
    login(client, world.national_admin)
    html = client.get("/").content.decode()
    assert 'id="todo-units-not-reported"' in html and "Các đơn vị chưa gửi báo cáo" in html


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more(world, count: int) -> None:
    for index in range(count):
        regime = ReportingRegimeFactory(recipient=world.mofa)
        for label in ("2025", "2026-H1"):
            period = ReportingPeriodFactory(regime=regime, period=label)
            SubmissionFactory(reporting_period=period, owner=world.bacninh, sent_on=None, received_on=None)
            Reminder.objects.create(
                reporting_period=period, unit=world.danang, sent_at=timezone.now(), sent_on=TODAY - dt.timedelta(index)
            )
        SubmissionFactory(
            reporting_period=ReportingPeriodFactory(regime=regime, period="2025-H1"), owner=world.quangnam
        )


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("province_editor", "/"),
        ("national_admin", "/"),
        ("province_editor", CALENDAR),
        ("national_viewer", f"{CALENDAR}?unit=da-nang"),
        ("national_admin", f"{REGISTER}?regime=local_foreign_affairs&period=2026-H1"),
    ],
)
def test_the_home_page_and_the_calendar_read_a_fixed_number_of_queries(client, world, register, user, url):
    login(client, world.users[user])
    _more(world, 1)
    few = _queries(client, url)
    _more(world, 4)
    many = _queries(client, url)
    assert few == many, (few, many)


def test_calendar_entries_for_several_provinces_read_a_fixed_number_of_queries(world, register):
    calendar_entries([world.bacninh], world.national_viewer, TODAY)  # the user's reach, worked out once
    with CaptureQueriesContext(connection) as one:
        calendar_entries([world.danang], world.national_viewer, TODAY)
    with CaptureQueriesContext(connection) as two:
        entries = calendar_entries([world.danang, world.bacninh], world.national_viewer, TODAY)
    assert len(one) == len(two)
    assert {entry.province for entry in entries} == {world.danang, world.bacninh}


# ---------------------------------------------------------------------------------------------------------------
# Reminders


def test_the_receiving_body_reminds_the_units_that_have_not_reported_once_a_day(client, world, register):
    login(client, world.national_admin)
    page = client.get(REGISTER, {"regime": "local_foreign_affairs", "period": "2026-H1"}).content.decode()
    assert 'id="register-remind"' in page and "Gửi nhắc nhở các đơn vị chưa báo cáo" in page and "data-confirm" in page

    response = _remind(client)
    assert response.status_code == 302
    assert response["Location"] == f"{REGISTER}?regime=local_foreign_affairs&period=2026-H1"
    reminders = Reminder.objects.unrestricted("test")
    assert sorted(reminders.values_list("unit__key", flat=True)) == ["bac-ninh", "da-nang"]
    assert all(reminder.sent_by == world.national_admin and reminder.sent_on == TODAY for reminder in reminders)
    assert "20/06/2026" in reminders.first().message
    entry = AuditEntry.objects.filter(verb="reports_remind").get()
    assert entry.detail["count"] == 2 and entry.detail["period"] == "2026-H1"

    # Pressed again the same day: nothing more.
    _remind(client)
    assert Reminder.objects.unrestricted("test").count() == 2
    assert AuditEntry.objects.filter(verb="reports_remind").count() == 1

    # A period where Đà Nẵng has reported: only Bắc Ninh is reminded.
    _remind(client, "2025")
    assert list(
        Reminder.objects.unrestricted("test")
        .filter(reporting_period__period="2025")
        .values_list("unit__key", flat=True)
    ) == ["bac-ninh"]

    page = client.get(REGISTER, {"regime": "local_foreign_affairs", "period": "2026-H1"}).content.decode()
    assert page.count("nhắc lần cuối ngày 03/12/2026") == 2


@pytest.mark.parametrize("user", ["province_editor", "national_viewer", "province_admin", "other_editor"])
def test_only_the_receiving_body_sends_reminders(client, world, register, user):
    login(client, world.users[user])
    page = client.get(REGISTER, {"regime": "local_foreign_affairs", "period": "2026-H1"}).content.decode()
    assert 'id="register-remind"' not in page
    assert _remind(client).status_code == 403
    assert not Reminder.objects.unrestricted("test").exists()
    assert not AuditEntry.objects.filter(verb="reports_remind").exists()


def test_a_reminder_of_a_period_that_does_not_exist_is_not_found(client, world, register):
    login(client, world.national_admin)
    assert _remind(client, "2024").status_code == 404
    assert _remind(client, "2026-H1", "nothing").status_code == 404
    assert _remind(client, "not a period").status_code == 404
    assert client.get(REMIND).status_code == 405
    assert not Reminder.objects.unrestricted("test").exists()
    assert not ReportingPeriod.objects.filter(period="2024").exists()


def test_the_province_sees_the_reminder_in_its_reports_due_and_on_its_calendar(client, world, register):
    login(client, world.national_admin)
    _remind(client)
    due = _lists(world.province_editor)["reports-due"]
    reminded = [item for item in due.items if "Nhắc lần cuối ngày 03/12/2026" in item.note]
    assert len(reminded) == 1 and reminded[0].url.endswith("#period-local_foreign_affairs-2026-H1")
    login(client, world.province_editor)
    response = client.get(CALENDAR)
    entries = {entry.period.period: entry for entry in response.context["entries"]}
    assert entries["2026-H1"].reminded_on == TODAY and entries["2026"].reminded_on is None
    assert "Nhắc lần cuối ngày 03/12/2026" in response.content.decode()
    # Bắc Ninh's reminder is not Đà Nẵng's to see.
    assert Reminder.objects.restrict(world.province_editor).count() == 1
    assert Reminder.objects.restrict(world.other_editor).get().unit == world.bacninh


def test_the_calendar_leads_to_the_report_of_each_period_and_the_form_begins_it(client, world, register):
    """An officer begins the report of the first half of 2026 from its row (the regime and period chosen), then opens
    it from the same row; a period the regime does not report is refused on its field."""
    login(client, world.province_editor)
    page = client.get(CALENDAR, {"unit": "da-nang"}).content.decode()
    link = f"/reports/add/?regime={register.pk}&amp;period=2026-H1"
    assert link in page and "Soạn báo cáo" in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{register.pk}" selected>' in form and 'value="2026-H1"' in form

    data = {"owner": world.danang.pk, "regime": register.pk, "period": "2026-H3", "number": "1/BC-UBND"}
    data |= {"signature_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH", "version": 1}
    refused = client.post("/reports/add/", data)
    assert refused.status_code == 400 and "2026-H3" in refused.content.decode()
    response = client.post("/reports/add/", {**data, "period": "2026-H1"})
    assert response.status_code == 302
    page = client.get(CALENDAR, {"unit": "da-nang"}).content.decode()
    assert response["Location"] in page and "Mở báo cáo" in page

    login(client, world.viewer)
    assert "Soạn báo cáo" not in client.get(CALENDAR, {"unit": "da-nang"}).content.decode()


def test_a_department_officer_is_led_to_its_part_of_the_provinces_report(client, world, register):
    login(client, world.unit_editor)
    page = client.get(CALENDAR, {"unit": "da-nang"}).content.decode()
    assert "Soạn phần đóng góp" in page and "Soạn báo cáo" not in page
    data = {"owner": world.danang_dept.pk, "regime": register.pk, "period": "2026-H1", "number": "1/BC-SVH"}
    data |= {"signature_authority": "GIÁM ĐỐC", "signer_title": "GIÁM ĐỐC", "version": 1}
    response = client.post("/reports/add/", data)
    assert response.status_code == 302
    page = client.get(CALENDAR, {"unit": "da-nang"}).content.decode()
    assert "Mở phần đóng góp" in page and response["Location"] in page
