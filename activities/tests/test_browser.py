"""A delegation in a real browser (Playwright on Debian's Chromium, 1366×768): a provincial officer records an
outgoing delegation with two members and a partner met, found with the type-ahead; marks it done on its page; finds
it in the list; and sees the visit in the timeline of the province's relationship with that partner. No request
leaves the server and the pages raise no script error."""

import tempfile
from pathlib import Path

import pytest

from activities.models import Delegation
from core.tests.test_browser import _page, _sign_in
from partners.models import Interaction
from partners.testing.factories import PartnerFactory, RelationshipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
PURPOSE = "Thăm và làm việc với thành phố Yongin, xúc tiến hợp tác giáo dục"


def test_an_outgoing_delegation_with_members_reaches_the_partners_timeline(browser, live_server, world):
    yongin = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", name_en="Yongin City")
    relationship = RelationshipFactory(owner=world.danang, partner=yongin)
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, "province_editor")

    # The menu leads to the delegations beside the agreements.
    page.goto(f"{live_server.url}/")
    assert page.locator("nav a[href='/delegations/']").count() == 1
    # With the fifth menu the header still fits a 1366-pixel screen: the user's menu is not cut off.
    user_menu = page.locator("nav .dropdown > .btn").bounding_box()
    assert user_menu["x"] + user_menu["width"] <= 1366, user_menu

    page.goto(f"{live_server.url}/delegations/add/")
    form = page.locator("main form")
    form.locator("select[name=owner]").select_option(str(world.danang.pk))
    form.locator("select[name=direction]").select_option("outgoing")
    form.locator("textarea[name=purpose]").fill(PURPOSE)
    form.locator("input[name=leader_name]").fill("Lê Văn Thanh")
    form.locator("input[name=leader_position]").fill("Phó Chủ tịch UBND thành phố")
    form.locator(".partner-choice input[name=partner_query]").fill("Yongi")
    form.locator(f"select[name=partners] option[value='{yongin.pk}']").wait_for(state="attached", timeout=10000)
    form.locator("select[name=partners]").select_option(str(yongin.pk))
    form.locator("input[name=departs_on]").fill("10/04/2024")
    form.locator("input[name=returns_on]").fill("15/04/2024")
    form.locator("select[name=funding]").select_option("state_budget")
    form.locator("input[name=members-0-name]").fill("Lê Văn Thanh")
    form.locator("input[name=members-0-position]").fill("Phó Chủ tịch UBND thành phố")
    form.locator("input[name=members-1-name]").fill("Nguyễn Thị Hoa")
    form.locator("input[name=members-1-position]").fill("Giám đốc Sở Ngoại vụ")
    with page.expect_navigation():
        form.locator("button.btn-primary").click()
    delegation = Delegation.objects.get(purpose=PURPOSE)
    assert page.url == f"{live_server.url}{delegation.get_absolute_url()}", page.locator(".alert").all_inner_texts()
    assert page.locator("#delegation-person-trips").inner_text() == "2"
    assert page.get_attribute("#delegation-status", "data-status") == "planned"

    step = page.locator("#verb-mark_done")
    step.locator("summary").click()
    step.locator("[name=outcomes]").fill("Thống nhất trao đổi sinh viên từ năm học 2024-2025")
    with page.expect_navigation():
        step.locator("button").click()
    assert page.get_attribute("#delegation-status", "data-status") == "done"
    assert page.locator("#delegation-timeline a").count() == 1
    page.screenshot(path=SCREENSHOTS / "delegation-done.png", full_page=True)

    page.goto(f"{live_server.url}/delegations/?status=done&direction=outgoing")
    assert page.locator(f"a[href='{delegation.get_absolute_url()}']").count() >= 1
    assert "Đoàn ra" in page.content()

    visit = Interaction.objects.get(relationship=relationship)
    page.goto(f"{live_server.url}{relationship.get_absolute_url()}")
    entry = page.locator(".timeline-interaction", has_text=PURPOSE)
    assert entry.count() == 1, visit
    assert PURPOSE in entry.inner_text()
    assert "10/04/2024" in entry.inner_text()
    assert not outside and not errors, (outside, errors)
