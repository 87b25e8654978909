"""A conference and a press visit in a real browser (Playwright on Debian's Chromium, 1366×768): a provincial officer
records an international conference with participants at minister level, applied for only 20 days before it opens,
sees on its page that the Prime Minister permits it and that the application is late (a warning, not a refusal),
finds it in the list filtered by late applications; records a visit of three foreign reporters; and sees both counted
among the province's figures. No request leaves the server and the pages raise no script error."""

import re
import tempfile
from pathlib import Path

import pytest

from activities.models import Conference, PressVisit
from core.tests.test_browser import _page, _sign_in
from partners.testing.factories import country

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
TITLE = "Hội nghị quốc tế về hợp tác phát triển đô thị ven biển"


def test_a_late_conference_and_a_press_visit_are_recorded_and_counted(browser, live_server, world):
    korea = country("KR", "Hàn Quốc", "Korea")
    japan = country("JP", "Nhật Bản", "Japan")
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, "province_editor")

    # The menu leads to the conferences and the press visits.
    page.goto(f"{live_server.url}/")
    assert page.locator("nav a[href='/conferences/']").count() == 1
    assert page.locator("nav a[href='/press-visits/']").count() == 1

    page.goto(f"{live_server.url}/conferences/add/")
    form = page.locator("main form")
    form.locator("select[name=owner]").select_option(str(world.danang.pk))
    form.locator("textarea[name=title]").fill(TITLE)
    form.locator("input[name=organiser]").fill("UBND thành phố Đà Nẵng")
    form.locator("textarea[name=co_organisers_foreign]").fill("Bộ Đất đai, Hạ tầng và Giao thông Hàn Quốc")
    form.locator("input[name=starts_on]").fill("20/05/2024")
    form.locator("input[name=ends_on]").fill("21/05/2024")
    form.locator("input[name=place]").fill("Đà Nẵng")
    form.locator("input[name=foreign_participants]").fill("45")
    form.locator("select[name=countries]").select_option(str(korea.pk))
    form.locator("input[name=high_level_participants]").check()
    form.locator("input[name=applied_on]").fill("30/04/2024")
    form.locator("select[name=status]").select_option("held")
    with page.expect_navigation():
        form.locator("button.btn-primary").click()
    assert Conference.objects.filter(title=TITLE).exists(), page.locator(".alert").all_inner_texts()
    conference = Conference.objects.get(title=TITLE)
    assert page.url == f"{live_server.url}{conference.get_absolute_url()}", page.locator(".alert").all_inner_texts()
    assert page.locator("#conference-permitted-by").inner_text() == "Thủ tướng Chính phủ"
    warning = page.locator("#conference-applied-late")
    assert warning.is_visible()
    assert "20 ngày" in warning.inner_text() and "40 ngày" in warning.inner_text()
    assert page.locator(".alert-danger").count() == 0, "a late application is a warning, not an error"
    page.screenshot(path=SCREENSHOTS / "conference-late.png", full_page=True)

    page.goto(f"{live_server.url}/conferences/?applied_late=true&prime_minister=true&year=2024")
    assert page.locator(f"a[href='{conference.get_absolute_url()}']").count() >= 1
    assert "Muộn" in page.locator("main table").inner_text()
    page.goto(f"{live_server.url}/conferences/?applied_late=false")
    assert page.locator(f"a[href='{conference.get_absolute_url()}']").count() == 0

    page.goto(f"{live_server.url}/press-visits/add/")
    form = page.locator("main form")
    form.locator("select[name=owner]").select_option(str(world.danang.pk))
    form.locator("input[name=agency]").fill("Đài truyền hình NHK")
    form.locator("select[name=country]").select_option(str(japan.pk))
    form.locator("input[name=reporter_count]").fill("3")
    form.locator("textarea[name=reporter_names]").fill("Tanaka Ichiro\nSato Hanako\nSuzuki Kenji")
    form.locator("input[name=starts_on]").fill("03/06/2024")
    form.locator("input[name=ends_on]").fill("06/06/2024")
    form.locator("input[name=places]").fill("Hội An, Mỹ Sơn")
    form.locator("input[name=permit_number]").fill("125/BNG-TTBC")
    form.locator("input[name=accompanying_officer]").fill("Nguyễn Văn Nam")
    with page.expect_navigation():
        form.locator("button.btn-primary").click()
    assert PressVisit.objects.exists(), page.locator(".alert").all_inner_texts()
    visit = PressVisit.objects.get(agency="Đài truyền hình NHK")
    assert page.url == f"{live_server.url}{visit.get_absolute_url()}", page.locator(".alert").all_inner_texts()
    assert visit.reporter_count == 3

    # Both are counted among Đà Nẵng's figures for 2024, each linked to its records.
    page.goto(f"{live_server.url}/figures/?unit=da-nang&period=2024")
    figures = {
        # Anchored: "Phóng viên nước ngoài" is also the end of "Đoàn phóng viên nước ngoài".
        label: page.locator("main table tbody tr", has_text=re.compile(rf"^\s*{label}"))
        .locator("td")
        .nth(1)
        .inner_text()
        for label in ("Hội nghị, hội thảo quốc tế", "Đoàn phóng viên nước ngoài", "Phóng viên nước ngoài")
    }
    assert figures == {
        "Hội nghị, hội thảo quốc tế": "1",
        "Đoàn phóng viên nước ngoài": "1",
        "Phóng viên nước ngoài": "3",
    }, figures
    page.screenshot(path=SCREENSHOTS / "conference-figures.png", full_page=True)
    assert not outside and not errors, (outside, errors)
