"""Events and awards in a real browser (Playwright on Debian's Chromium, 1366×768): a provincial officer records a
festival with two countries taking part and a partner found with the type-ahead, and finds it on the partner's
page; then records an award received from abroad and sees it counted on the figures page. No request leaves the
server and the pages raise no script error."""

import tempfile
from pathlib import Path

import pytest

from activities.models import Award, Event
from core.tests.test_browser import _page, _sign_in
from partners.testing.factories import PartnerFactory, country

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
FESTIVAL = "Lễ hội giao lưu văn hóa Hội An - Nhật Bản lần thứ XXI"


def test_a_festival_and_an_award_received_are_recorded_shown_and_counted(browser, live_server, world):
    japan, korea, laos = country("JP", "Nhật Bản", "Japan"), country("KR", "Hàn Quốc"), country("LA", "Lào", "Laos")
    osan = PartnerFactory(owner=world.danang, name_vi="Thành phố Osan", name_en="Osan City", country=korea)
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, "province_editor")

    # The menu leads to both registries.
    page.goto(f"{live_server.url}/")
    assert page.locator("nav a[href='/events/']").count() == 1
    assert page.locator("nav a[href='/awards/']").count() == 1

    page.goto(f"{live_server.url}/events/add/")
    form = page.locator("main form")
    form.locator("select[name=owner]").select_option(str(world.danang.pk))
    form.locator("textarea[name=name]").fill(FESTIVAL)
    form.locator("select[name=kind]").select_option("festival")
    form.locator("input[name=edition]").fill("21")
    form.locator("input[name=starts_on]").fill("16/08/2024")
    form.locator("input[name=ends_on]").fill("18/08/2024")
    form.locator("input[name=place]").fill("Phố cổ Hội An")
    form.locator("select[name=countries]").select_option([str(japan.pk), str(korea.pk)])
    form.locator(".partner-choice input[name=partner_query]").fill("Osan")
    form.locator(f"select[name=partners] option[value='{osan.pk}']").wait_for(state="attached", timeout=10000)
    form.locator("select[name=partners]").select_option(str(osan.pk))
    with page.expect_navigation():
        form.locator("button.btn-primary").click()
    festival = Event.objects.get(name=FESTIVAL)
    assert page.url == f"{live_server.url}{festival.get_absolute_url()}", page.locator(".alert").all_inner_texts()
    assert {c.iso2 for c in festival.countries.all()} == {"JP", "KR"}
    body = page.locator("main").inner_text()
    assert "Lễ hội" in body and "Nhật Bản" in body and "Hàn Quốc" in body
    assert "festival" not in body, "no internal code on the page"

    # The partner's page lists the festival.
    page.goto(f"{live_server.url}{osan.get_absolute_url()}")
    assert page.locator(f"main a[href='{festival.get_absolute_url()}']").count() == 1
    page.screenshot(path=SCREENSHOTS / "partner-with-event.png", full_page=True)

    page.goto(f"{live_server.url}/awards/add/")
    form = page.locator("main form")
    form.locator("select[name=owner]").select_option(str(world.danang.pk))
    form.locator("select[name=direction]").select_option("received")
    form.locator("input[name=name]").fill("Huân chương Hữu nghị")
    form.locator("input[name=count]").fill("2")
    form.locator("select[name=awarding_country]").select_option(str(laos.pk))
    form.locator("input[name=awarding_organisation]").fill("Nhà nước Lào")
    form.locator("select[name=status]").select_option("granted")
    form.locator("input[name=decided_on]").fill("02/09/2024")
    with page.expect_navigation():
        form.locator("button.btn-primary").click()
    award = Award.objects.get(name="Huân chương Hữu nghị")
    assert page.url == f"{live_server.url}{award.get_absolute_url()}", page.locator(".alert").all_inner_texts()
    particulars = page.locator("#award-particulars").inner_text()
    assert "Nhận của nước ngoài" in particulars and "Đã trao tặng" in particulars
    assert "Loại đoàn" not in particulars, "an award is not a delegation"

    # Counted among the awards received by Đà Nẵng in 2024, by award.
    page.goto(f"{live_server.url}/figures/?unit=da-nang&period=2024")
    row = page.locator("tbody tr", has_text="Huân chương Hữu nghị")
    assert row.count() == 1
    assert row.locator("td").nth(1).inner_text().strip() == "2"
    page.screenshot(path=SCREENSHOTS / "figures-award.png", full_page=True)
    assert not outside and not errors, (outside, errors)
