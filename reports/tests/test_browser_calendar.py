"""Reminders and a province's reporting calendar, walked in a real browser (issue 20, item 7): the central body's
administrator reminds the province that has not reported last year's report from the register page; the province's
editor finds the reminder among the reports due on the home page and on its calendar, which fits a laptop screen."""

import pytest
from django.utils import timezone

from core.tests.test_browser import _sign_in
from core.tests.test_browser_import import _page
from reports.models import Reminder
from reports.testing.factories import ReportingPeriodFactory, ReportingRegimeFactory, SubmissionFactory
from reports.tests.test_browser import SCREENSHOTS, _sign_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_central_body_reminds_a_province_that_sees_it_on_its_home_page_and_its_calendar(
    browser, live_server, world
):
    regime = ReportingRegimeFactory(
        key="local_foreign_affairs",
        name_vi="Báo cáo tình hình công tác đối ngoại địa phương",
        name_en="Report on local foreign affairs",
        recipient=world.mofa,
    )
    today = timezone.localdate()
    last_year = str(today.year - 1)
    # Last year's report: Bắc Ninh sent it, Đà Nẵng has not.
    SubmissionFactory(reporting_period=ReportingPeriodFactory(regime=regime, period=last_year), owner=world.bacninh)
    outside: list[str] = []

    admin = _page(browser, live_server, outside)
    _sign_in_with_second_factor(admin, live_server, "national_admin")
    admin.goto(f"{live_server.url}/reports/register/?regime=local_foreign_affairs&period={last_year}")
    assert admin.locator("#register-missing").inner_text().startswith("Các đơn vị chưa gửi báo cáo")
    admin.once("dialog", lambda dialog: dialog.accept())
    with admin.expect_navigation():
        admin.get_by_role("button", name="Gửi nhắc nhở các đơn vị chưa báo cáo").click()
    assert "Đã ghi nhận việc nhắc nhở 1 đơn vị chưa báo cáo." in admin.locator("body").inner_text()
    reminded = admin.locator(".register-missing-unit[data-unit='da-nang']").inner_text()
    assert reminded == f"Đà Nẵng (nhắc lần cuối ngày {today:%d/%m/%Y})", reminded
    assert list(Reminder.objects.unrestricted("test").values_list("unit__key", flat=True)) == ["da-nang"]
    admin.context.close()

    province = _page(browser, live_server, outside)
    _sign_in(province, live_server, "province_editor")
    due = province.locator("#todo-reports-due")
    assert due.locator(".card-header").inner_text().startswith("Báo cáo đến hạn")
    item = due.locator(".todo-item", has_text=f"năm {last_year}")
    assert f"Nhắc lần cuối ngày {today:%d/%m/%Y}" in item.inner_text()
    with province.expect_navigation():
        item.locator("a").click()
    assert province.url.endswith(f"#period-local_foreign_affairs-{last_year}")
    row = province.locator(f"#period-local_foreign_affairs-{last_year}")
    assert "Chưa thực hiện" in row.inner_text() and f"Nhắc lần cuối ngày {today:%d/%m/%Y}" in row.inner_text()
    assert province.locator("h1").inner_text() == "Lịch báo cáo — Đà Nẵng"
    assert province.evaluate("document.documentElement.scrollWidth") <= 1366
    text = province.locator("main").inner_text()
    assert "local_foreign_affairs" not in text and "not_started" not in text
    province.screenshot(path=str(SCREENSHOTS / "reports-calendar.png"), full_page=True)
    # The menu leads to the calendar.
    province.locator("#nav .dropdown-toggle", has_text="Báo cáo").click()
    assert province.locator("#nav a[href='/reports/calendar/']").is_visible()
    assert outside == []
