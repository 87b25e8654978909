"""A provincial report from draft to the central register, walked in a real browser (issue 20, "Done when"): the
province's editor drafts the report from the calendar, is told the required section is empty, writes it and sees
the figure sentence filled in from the declared figures with its change, marks it reviewed; the leader finds it in
the home page's to-do list, sends it back with what to correct, which the editor reads before marking it reviewed
again, and approves it; a central viewer cannot open it yet (the register says "drafting", without a link); the
editor sends it (the confirm dialog), sees it frozen as revision 1 and downloads the Word file with the same
sentence, and the central viewer now opens it from the register; the central body's administrator (two-factor)
finds Đà Nẵng sent today in the register, opens the report from the to-do list and returns it with a reason; the
register shows it returned and the province's editor reads the reason on the report's page."""

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from core.testing.factories import DeclaredFigureFactory
from core.tests.test_browser import _sign_in
from core.tests.test_browser_import import _page
from reports.testing.factories import TEST_OUTLINE, ReportingRegimeFactory
from reports.tests.test_browser import _sign_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
REGIME = "local_foreign_affairs"
SENTENCE = "Cho phép 12 đoàn ra (tăng 02 đoàn)."
ASSESSMENT = "Nhìn chung, công tác đối ngoại của thành phố đạt kết quả tốt."
REASON = "Thiếu số liệu đoàn vào; đề nghị bổ sung."
SENT_BACK = "Đề nghị rà soát lại phần đánh giá trước khi trình ký."


def _step(page, verb: str) -> None:
    """Press a step without values on the report's page and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(f"#verb-{verb} button").click()


def test_a_provincial_report_goes_from_draft_to_the_central_register_and_is_returned(
    browser, live_server, world, tmp_path
):
    today = timezone.localdate()
    # The first half of this year, shown on this year's calendar, compared with the same half of the year before
    # ("so với cùng kỳ").
    period, previous = f"{today.year}-H1", f"{today.year - 1}-H1"
    ReportingRegimeFactory(
        key=REGIME,
        name_vi="Báo cáo tình hình công tác đối ngoại địa phương",
        name_en="Report on local foreign affairs",
        recipient=world.mofa,
        outline=TEST_OUTLINE,
    )
    DeclaredFigureFactory(owner=world.danang, indicator="outgoing_delegations", period=previous, value=Decimal(10))
    DeclaredFigureFactory(owner=world.danang, indicator="outgoing_delegations", period=period, value=Decimal(12))
    outside: list[str] = []

    # 1. The editor drafts the report from the calendar's row of the period.
    editor = _page(browser, live_server, outside)
    _sign_in(editor, live_server, "province_editor")
    editor.locator("#nav .dropdown-toggle", has_text="Báo cáo").click()
    with editor.expect_navigation():
        editor.locator("#nav a[href='/reports/calendar/']").click()
    row = editor.locator(f"#period-{REGIME}-{period}")
    with editor.expect_navigation():
        row.get_by_role("link", name="Soạn báo cáo").click()
    with editor.expect_navigation():
        editor.locator("main form button.btn-primary").click()
    status = editor.locator("#report-status")
    assert status.get_attribute("data-status") == "drafting", editor.url
    assert "Mục “Đánh giá” chưa có nội dung." in editor.locator("#report-problems").inner_text()
    assert editor.locator("#verb-approve").count() == 0, "the editor does not approve"

    with editor.expect_navigation():
        editor.get_by_role("link", name="Chỉnh sửa").click()
    editor.fill("textarea[name=section_assessment]", ASSESSMENT)
    # The number and the place the report is issued with, which sending needs (Decree 30/2020/NĐ-CP).
    editor.fill("input[name=number]", "15/BC-UBND")
    editor.fill("input[name=place]", "Đà Nẵng")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Lưu").click()
    assert editor.locator("#report-problems").count() == 0
    text = editor.locator("#report-text").inner_text()
    assert SENTENCE in text and ASSESSMENT in text
    assert editor.evaluate("document.documentElement.scrollWidth") <= 1366
    editor.screenshot(path=SCREENSHOTS / "report-draft.png", full_page=True)
    _step(editor, "review")
    assert status.get_attribute("data-status") == "reviewed"
    report_url = editor.url

    # 2. The leader finds it among the reports waiting for approval on the home page, and approves it.
    leader = _page(browser, live_server, outside)
    _sign_in(leader, live_server, "approver")
    waiting = leader.locator("#todo-reports-to-approve")
    assert "Báo cáo chờ anh/chị phê duyệt" in waiting.inner_text()
    with leader.expect_navigation():
        waiting.locator(".todo-item a").first.click()
    assert leader.url == report_url
    # First sent back with what to correct; the editor reads it, corrects and marks it reviewed again.
    leader.locator("#verb-send_back summary").click()
    leader.fill("#verb-send_back textarea[name=reason]", SENT_BACK)
    with leader.expect_navigation():
        leader.locator("#verb-send_back form button").click()
    assert leader.locator("#report-status").get_attribute("data-status") == "drafting"
    editor.reload()
    assert SENT_BACK in editor.locator("#report-sent-back-reason").inner_text()
    _step(editor, "review")
    assert editor.locator("#report-sent-back-reason").count() == 0
    leader.reload()
    _step(leader, "approve")
    assert leader.locator("#report-status").get_attribute("data-status") == "approved"

    # Approved but not sent: the central bodies do not read it yet. Their register says Đà Nẵng is drafting, without
    # a link to the text, and the report's address answers "not found" (reports.policy).
    register_url = f"{live_server.url}/reports/register/?regime={REGIME}&period={period}"
    viewer = _page(browser, live_server, outside)
    _sign_in(viewer, live_server, "national_viewer")
    viewer.goto(register_url)
    assert viewer.locator("#register-da-nang").get_attribute("data-status") == "drafting"
    assert viewer.locator("#register-da-nang a").count() == 0
    assert viewer.goto(report_url).status == 404

    # 3. The editor sends it, once the browser's confirmation is accepted: frozen as revision 1.
    editor.reload()
    editor.once("dialog", lambda dialog: dialog.accept())
    _step(editor, "submit")
    assert status.get_attribute("data-status") == "submitted"
    assert status.inner_text() == "Đã gửi"
    assert editor.locator("#report-frozen").is_visible()
    assert "Lần 1" in editor.locator("#report-revisions").inner_text()
    with editor.expect_navigation():
        editor.locator("#report-documents button[value=docx]").click()
    download_link = editor.locator("#job-progress a.btn-primary")
    download_link.wait_for(timeout=20000)
    with editor.expect_download() as download:
        download_link.click()
    word = tmp_path / download.value.suggested_filename
    download.value.save_as(word)
    assert word.suffix == ".docx"
    assert SENTENCE in [paragraph.text for paragraph in Document(word).paragraphs]
    # Sent, the central bodies read it: from the register's row to the report as sent.
    viewer.goto(register_url)
    with viewer.expect_navigation():
        viewer.locator("#register-da-nang a").click()
    assert viewer.url == report_url
    assert SENTENCE in viewer.locator("#report-text").inner_text()

    # 4. The central body sees Đà Nẵng sent today in its register, and returns the report with a reason.
    central = _page(browser, live_server, outside)
    _sign_in_with_second_factor(central, live_server, "national_admin")
    central.goto(register_url)
    danang = central.locator("#register-da-nang")
    assert danang.get_attribute("data-status") == "submitted"
    assert "Đã gửi" in danang.inner_text() and today.strftime("%d/%m/%Y") in danang.inner_text()
    central.goto(f"{live_server.url}/")
    received = central.locator("#todo-reports-to-receive")
    assert "Báo cáo đã gửi, chưa ghi nhận" in received.inner_text()
    with central.expect_navigation():
        received.locator(".todo-item a").first.click()
    assert central.url == report_url
    central.locator("#verb-return_report summary").click()
    central.fill("#verb-return_report textarea[name=reason]", REASON)
    with central.expect_navigation():
        central.locator("#verb-return_report form button").click()
    assert central.locator("#report-status").get_attribute("data-status") == "returned"
    central.goto(register_url)
    assert danang.get_attribute("data-status") == "returned"
    assert "Bị trả lại" in danang.inner_text()

    # 5. The province reads that it was returned, and why.
    editor.goto(report_url)
    assert status.get_attribute("data-status") == "returned"
    assert status.inner_text() == "Bị trả lại"
    assert REASON in editor.locator("#report-return-reason").inner_text()
    assert editor.locator("#verb-reopen").count() == 1
    editor.screenshot(path=SCREENSHOTS / "report-returned.png", full_page=True)
    assert outside == []
