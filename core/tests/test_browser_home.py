"""The pages that say what to do, in a real browser (Playwright on Debian's Chromium) with the demo data set, as
its people meet them (issue 18, item 7): the demo leader of Đà Nẵng finds on the home page the agreement waiting
for their decision, opens it, and is offered the approval step; the central viewer finds the provinces at a
glance, opens one, finds its report above the list of its communes, and opens the figures page on the provinces,
never on their central body's key. No request leaves the server and no script fails."""

import io
import re
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from agreements.choices import AgreementStatus
from agreements.models import Agreement
from agreements.testing.factories import AgreementFactory
from core.models import Unit
from core.testing.world import load_demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
DEMO_PASSWORD = "Xx-123456789"  # noqa: S105 - the password core.testing.world.load_demo_data gives the demo accounts
TITLE = "Biên bản ghi nhớ hợp tác giữa thành phố Đà Nẵng và thành phố Yongin giai đoạn 2026-2030"


def _demo() -> None:
    """The reference data and the demo data set, as ``make run`` loads them."""
    call_command("load_reference_data", stdout=io.StringIO())
    load_demo_data()


def _page(browser, live_server, outside: list, errors: list):
    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}).new_page()
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def _sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit], form button.btn-primary")
    page.wait_for_url(f"{live_server.url}/")


def _submitted(owner_key: str, title: str) -> Agreement:
    owner = Unit.objects.get(key=owner_key)
    agreement = AgreementFactory(owner=owner, title=title)
    Agreement.all_objects.filter(pk=agreement.pk).update(status=AgreementStatus.SUBMITTED)
    return agreement


def test_the_home_pages_say_what_to_do_to_the_leader_and_to_the_central_viewer(browser, live_server):
    """Both walks on one demo data set: loaded with commits, for the live server, it is the walks' dearest part."""
    _demo()
    _the_demo_leader_finds_the_agreement_waiting_for_their_decision(browser, live_server)
    _the_central_viewer_sees_the_provinces_at_a_glance(browser, live_server)


def _the_demo_leader_finds_the_agreement_waiting_for_their_decision(browser, live_server):
    agreement = _submitted("da-nang.so-van-hoa", TITLE)
    _submitted("bac-ninh", "Thỏa thuận của tỉnh Bắc Ninh chờ phê duyệt")
    outside: list[str] = []
    errors: list[str] = []
    leader = _page(browser, live_server, outside, errors)
    _sign_in(leader, live_server, "danang_lanhdao")

    waiting = leader.locator("#todo-to-approve")
    assert waiting.is_visible()
    assert "Thỏa thuận quốc tế chờ phê duyệt" in waiting.inner_text()
    assert waiting.locator(".badge").inner_text() == "1"
    # The list is the first thing on the page, above the counts of the registries.
    assert waiting.bounding_box()["y"] < 768
    assert "Bắc Ninh" not in leader.locator("#todo").inner_text(), "another province's agreement is not theirs"
    assert leader.locator("#todo-copies-owed").count() == 0, "a leader decides; the officers' lists are not theirs"
    leader.screenshot(path=SCREENSHOTS / "home-leader.png", full_page=True)

    with leader.expect_navigation():
        waiting.get_by_role("link", name=TITLE).click()
    assert leader.url == f"{live_server.url}{agreement.get_absolute_url()}"
    assert leader.get_attribute("#agreement-status", "data-status") == "submitted"
    approve = leader.locator("#verb-approve")
    assert approve.count() == 1 and approve.locator("button").count() == 1, "the approval step is offered"
    leader.screenshot(path=SCREENSHOTS / "home-leader-agreement.png", full_page=True)

    assert outside == [], outside
    assert errors == [], errors


def _the_central_viewer_sees_the_provinces_at_a_glance(browser, live_server):
    outside: list[str] = []
    errors: list[str] = []
    viewer = _page(browser, live_server, outside, errors)
    _sign_in(viewer, live_server, "trung_uong")

    overview = viewer.locator("#national-overview")
    assert overview.is_visible()
    tiles = overview.locator(".province-tile")
    assert tiles.count() == 34, "the 34 provinces since 1 July 2025"
    danang = overview.locator(".province-tile[data-unit='da-nang']")
    # Legacy Quảng Nam's agreements in force count for Đà Nẵng, which succeeded it.
    in_force = int(danang.locator("[data-count='in-force'] .fw-semibold").inner_text())
    assert in_force >= 1
    assert "thỏa thuận còn hiệu lực" in danang.inner_text()
    assert viewer.locator("#todo-empty, #todo").count() == 0, "a viewer acts on nothing"
    viewer.screenshot(path=SCREENSHOTS / "home-central-viewer.png", full_page=True)

    with viewer.expect_navigation():
        danang.click()
    assert viewer.url == f"{live_server.url}/units/da-nang/"
    report = viewer.locator("#agreements-report-form")
    children = viewer.locator("#unit-children")
    assert report.is_visible()
    assert report.bounding_box()["y"] < children.bounding_box()["y"], "the report comes before the communes"
    viewer.screenshot(path=SCREENSHOTS / "unit-page-report.png")

    viewer.goto(f"{live_server.url}/figures/")
    main = viewer.locator("main").inner_text()
    assert "cfrc" not in main and "cfrc" not in viewer.locator("#unit").input_value()
    assert viewer.locator("#national-overview .province-tile").count() == 34
    with viewer.expect_navigation():
        viewer.locator("#national-overview .province-tile[data-unit='da-nang']").click()
    assert viewer.locator("#unit").input_value() == "Thành phố Đà Nẵng"
    heading = viewer.locator("main h2").first.inner_text()
    assert re.search(rf"Đà Nẵng — {timezone.localdate().year}", heading), heading
    assert "da-nang" not in viewer.locator("main").inner_text()
    viewer.screenshot(path=SCREENSHOTS / "figures-central-viewer.png", full_page=True)

    assert outside == [], outside
    assert errors == [], errors
