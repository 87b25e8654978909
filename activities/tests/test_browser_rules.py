"""A province's rules on trips abroad in a real browser (Playwright on Debian's Chromium, 1366×768): the officer
writes the city's caps on their form; to the leader, a delegation of nine is warned on its page; the approval without
a reason is refused with the rule's words, and with a reason it goes through, kept on the delegation and in its
activity log."""

import tempfile
from pathlib import Path

import pytest

from activities.models import Delegation, DelegationRules
from activities.testing.factories import DelegationFactory
from core.models import AuditEntry
from core.tests.test_browser import _page, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
SOURCE = "Quy chế quản lý thống nhất các hoạt động đối ngoại của thành phố"
REASON = "Đoàn xúc tiến đầu tư cần đủ đại diện các doanh nghiệp."


def test_a_breach_is_warned_and_approved_only_with_a_written_reason(browser, live_server, world):
    trip = DelegationFactory(
        owner=world.danang, purpose="Xúc tiến đầu tư tại Hàn Quốc", member_count=9, in_annual_plan=True
    )
    outside: list[str] = []
    errors: list[str] = []
    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, "province_editor")

    page.goto(f"{live_server.url}/delegation-rules/add/")
    form = page.locator("main form")
    form.locator("select[name=owner]").select_option(str(world.danang.pk))
    form.locator("input[name=source]").fill(SOURCE)
    form.locator("input[name=members_per_delegation]").fill("6")
    form.locator("textarea[name=key_leaders]").fill("Nguyễn Văn A\nTrần Văn B")
    with page.expect_navigation():
        form.locator("button.btn-primary").click()
    rules = DelegationRules.objects.get(owner=world.danang)
    assert rules.members_per_delegation == 6 and rules.key_leader_names() == ["Nguyễn Văn A", "Trần Văn B"]

    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, "approver")
    page.goto(f"{live_server.url}{trip.get_absolute_url()}")
    warning = page.locator("#delegation-rule-warnings")
    assert "9" in warning.inner_text() and "6" in warning.inner_text() and SOURCE in warning.inner_text()
    page.screenshot(path=SCREENSHOTS / "delegation-rules-warning.png", full_page=True)

    step = page.locator("#verb-approve")
    step.locator("summary").click()
    step.locator("[name=approval_number]").fill("25/QĐ-UBND")
    step.locator("[name=approval_on]").fill("01/04/2024")
    with page.expect_navigation():
        step.locator("button").click()
    assert page.get_attribute("#delegation-status", "data-status") == "planned"
    assert SOURCE in page.locator(".alert-danger, .invalid-feedback, .errorlist").first.inner_text()

    # The step comes back open, with what the leader typed: only the reason is left to write.
    step = page.locator("#verb-approve")
    assert step.locator("[name=override_reason]").is_visible()
    assert step.locator("[name=approval_number]").input_value() == "25/QĐ-UBND"
    assert step.locator("[name=approval_on]").input_value() == "01/04/2024"
    step.locator("[name=override_reason]").fill(REASON)
    with page.expect_navigation():
        step.locator("button").click()
    assert page.get_attribute("#delegation-status", "data-status") == "approved"
    assert REASON in page.locator("#delegation-rule-override").inner_text()
    assert page.locator("#delegation-rule-warnings").count() == 0
    page.screenshot(path=SCREENSHOTS / "delegation-rules-override.png", full_page=True)

    stored = Delegation.objects.get(pk=trip.pk)
    assert stored.rules_override_by == world.approver and len(stored.rules_override_breaches) == 1
    entry = AuditEntry.objects.get(verb="delegation_approve", object_pk=str(trip.pk))
    assert entry.detail["reason"] == REASON and entry.detail["breaches"] == ["members_per_delegation"]
    assert not outside and not errors, (outside, errors)
