"""A delegation from its form to the statistics, in a real browser (Playwright on Debian's Chromium, 1366×768): a
provincial officer records an outgoing delegation with two members to Korea and a partner met, found with the
type-ahead, and marks it done on its page; finds it in the list; sees the visit in the timeline of the city's
relationship with that partner; the statistics page of the city for that year counts it, with its two person-trips
and its country, and draws its charts; the calendar of its month lists it with a link to it (issue 19, "Done
when"). No request leaves the server and the pages raise no script error."""

import tempfile
from pathlib import Path

import pytest

from activities.models import Delegation
from core.models import Country
from core.tests.test_browser import _page, _sign_in
from partners.testing.factories import PartnerFactory, RelationshipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
PURPOSE = "Thăm và làm việc với tỉnh Gyeonggi, xúc tiến hợp tác du lịch"


def test_a_delegation_recorded_is_counted_and_on_the_calendar(browser, live_server, world):
    korea = Country.objects.get_or_create(
        iso2="KR", defaults={"iso3": "KOR", "numeric": "410", "name_vi": "Hàn Quốc", "name_en": "Korea, Republic of"}
    )[0]
    gyeonggi = PartnerFactory(owner=world.danang, name_vi="Tỉnh Gyeonggi", name_en="Gyeonggi Province", country=korea)
    relationship = RelationshipFactory(owner=world.danang, partner=gyeonggi)
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, "province_editor")

    # The menu of the activities leads to the delegations, the statistics and the calendar.
    page.goto(f"{live_server.url}/")
    assert page.locator("nav a[href='/delegations/']").count() == 1
    assert page.locator("nav a[href='/activities/statistics/']").count() == 1
    assert page.locator("nav a[href='/activities/calendar/']").count() == 1
    # With the activities' menu the header still fits a 1366-pixel screen: the user's menu is not cut off.
    user_menu = page.locator("nav .dropdown > .btn").bounding_box()
    assert user_menu["x"] + user_menu["width"] <= 1366, user_menu

    page.goto(f"{live_server.url}/delegations/add/")
    form = page.locator("main form")
    form.locator("select[name=owner]").select_option(str(world.danang.pk))
    form.locator("select[name=direction]").select_option("outgoing")
    form.locator("textarea[name=purpose]").fill(PURPOSE)
    form.locator("input[name=leader_name]").fill("Trần Văn Nam")
    form.locator("input[name=leader_position]").fill("Phó Chủ tịch UBND thành phố")
    form.locator("select[name=countries]").select_option(str(korea.pk))
    form.locator(".partner-choice input[name=partner_query]").fill("Gyeong")
    form.locator(f"select[name=partners] option[value='{gyeonggi.pk}']").wait_for(state="attached", timeout=10000)
    form.locator("select[name=partners]").select_option(str(gyeonggi.pk))
    form.locator("input[name=departs_on]").fill("08/09/2024")
    form.locator("input[name=returns_on]").fill("12/09/2024")
    form.locator("select[name=funding]").select_option("state_budget")
    form.locator("input[name=members-0-name]").fill("Trần Văn Nam")
    # A row more than the form offers, added with its button: the second member goes in the fourth row.
    form.locator("button.js-add-row[data-prefix=members]").click()
    form.locator("input[name=members-3-name]").fill("Lê Thị Thu")
    form.locator("input[name=members-3-position]").fill("Giám đốc Sở Du lịch")
    with page.expect_navigation():
        form.locator("button.btn-primary").click()
    delegation = Delegation.objects.get(purpose=PURPOSE)
    assert page.url == f"{live_server.url}{delegation.get_absolute_url()}", page.locator(".alert").all_inner_texts()
    step = page.locator("#verb-mark_done")
    step.locator("summary").click()
    step.locator("[name=outcomes]").fill("Thống nhất chương trình hợp tác du lịch năm 2025")
    with page.expect_navigation():
        step.locator("button").click()
    assert page.get_attribute("#delegation-status", "data-status") == "done"
    assert page.locator("#delegation-person-trips").inner_text() == "2"
    assert page.locator("#delegation-timeline a").count() == 1

    page.goto(f"{live_server.url}/delegations/?status=done&direction=outgoing")
    assert page.locator(f"a[href='{delegation.get_absolute_url()}']").count() >= 1
    # The visit is in the timeline of the city's relationship with the partner met.
    page.goto(f"{live_server.url}{relationship.get_absolute_url()}")
    entry = page.locator(".timeline-interaction", has_text=PURPOSE)
    assert entry.count() == 1 and "08/09/2024" in entry.inner_text()

    # The statistics: chosen in the form, as a user does.
    page.goto(f"{live_server.url}/activities/statistics/")
    page.locator("#statistics-unit").select_option("da-nang")
    page.locator("#statistics-period").fill("2024")
    with page.expect_navigation():
        page.locator("#statistics-form button").click()
    assert "unit=da-nang" in page.url and "period=2024" in page.url
    outgoing = page.locator("#indicator-outgoing_delegations")
    assert outgoing.locator(".statistics-value").inner_text().strip() == "1"
    assert "Hàn Quốc 1" in outgoing.inner_text()
    trips = page.locator("#indicator-outgoing_person_trips")
    assert trips.locator(".statistics-value").inner_text().strip() == "2"
    assert "Hàn Quốc 2" in trips.inner_text()
    assert page.locator("#indicator-outgoing_state_funded_delegations .statistics-value").inner_text().strip() == "1"
    # The count links to the delegations counted.
    link = outgoing.locator(".statistics-value a")
    with page.expect_navigation():
        link.click()
    assert page.locator(f"a[href='{delegation.get_absolute_url()}']").count() >= 1
    page.go_back()
    # Both charts are drawn (SVG), the countries' with Korea; the table fits the screen's width.
    page.wait_for_selector("#chart-years svg")
    page.wait_for_selector("#chart-countries svg")
    assert "Hàn Quốc" in page.locator("#chart-countries").inner_html()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1366, width
    page.screenshot(path=SCREENSHOTS / "activities-statistics.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / "activities-statistics-print.png", full_page=True)
    page.emulate_media(media="screen")

    # The calendar of September 2024 lists it at its day, with a link to it.
    with page.expect_navigation():
        page.locator("#statistics-calendar").click()
    page.goto(f"{live_server.url}/activities/calendar/?unit=da-nang&month=2024-09")
    day = page.locator("#day-2024-09-08")
    assert PURPOSE in day.inner_text()
    assert day.locator(f"a[href='{delegation.get_absolute_url()}']").count() == 1
    with page.expect_navigation():
        page.locator("#calendar-previous").click()
    assert page.url.endswith("month=2024-08")
    assert page.locator("#calendar-empty").count() == 1
    page.screenshot(path=SCREENSHOTS / "activities-calendar.png", full_page=True)
    assert not outside and not errors, (outside, errors)
