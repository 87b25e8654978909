"""The register of reports received, walked in a real browser (issue 20, item 4): the central body's administrator
passes two-factor, opens the register of a year with nobody reported, imports the register kept outside the product
through the template in the screens' words, sees who reported, who is late and the flagged row, exports the table
and finds the same rows in the file; a province's editor sees its own row only."""

import tempfile
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from core.testing.world import PASSWORD
from core.tests.test_browser import _sign_in
from core.tests.test_browser_import import _check, _fill, _page
from reports.models import Submission
from reports.testing.factories import ReportingRegimeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())


def _sign_in_with_second_factor(page, live_server, username: str) -> None:
    """The password, then the code of the authenticator app (computed here from the device the page sets up)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button.btn-primary")
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/")
    device = TOTPDevice.objects.get(user__username=username)
    page.fill("input[name=code]", f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
    with page.expect_navigation():
        page.locator("main form button.btn-primary").click()


def test_the_central_body_imports_a_register_and_sees_who_reported_late_and_who_is_flagged(
    browser, live_server, world, tmp_path
):
    ReportingRegimeFactory(
        key="local_foreign_affairs",
        name_vi="Báo cáo tình hình công tác đối ngoại địa phương",
        name_en="Report on local foreign affairs",
        recipient=world.mofa,
    )
    outside: list[str] = []
    page = _page(browser, live_server, outside)
    _sign_in_with_second_factor(page, live_server, "national_admin")

    # The menu leads to the register; a year nobody has reported: the two provinces of the time are missing.
    page.goto(f"{live_server.url}/")
    page.locator("#nav .dropdown-toggle", has_text="Báo cáo").click()
    with page.expect_navigation():
        page.locator("#nav a[href='/reports/register/']").click()
    page.fill("#register-period", "2025")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    assert page.locator("#figure-expected").inner_text() == "2"
    assert page.locator("#figure-submitted").inner_text() == "0/2"
    assert page.locator("#register-missing").inner_text().count(",") == 1

    # The register kept outside the product, written in the template as registers write names.
    with page.expect_navigation():
        page.locator("#register-import").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    headers = [cell.value for cell in load_workbook(template).worksheets[0][1]]
    assert headers[:3] == ["Chế độ báo cáo", "Kỳ báo cáo", "Đơn vị báo cáo"], headers
    filled = _fill(
        template,
        [
            {
                "Chế độ báo cáo": "local_foreign_affairs",
                "Kỳ báo cáo": "2025",
                "Đơn vị báo cáo": "Thành ủy Đà Nẵng",
                "Ngày gửi": "18/12/2025",
                "Ngày nhận": "19/12/2025",
            },
            {
                "Chế độ báo cáo": "local_foreign_affairs",
                "Kỳ báo cáo": "2025",
                "Đơn vị báo cáo": "So Ngoai vu Bac Ninh",
                "Ngày gửi": "05/01/2026",
                "Ngày nhận": "06/01/2026",
                "Ghi chú": "Gửi qua bưu điện",
            },
            {
                "Chế độ báo cáo": "local_foreign_affairs",
                "Kỳ báo cáo": "2025",
                "Đơn vị báo cáo": "Tỉnh ủy Quảng Nam",
                "Ngày gửi": "10/12/2025",
            },
        ],
    )
    _check(page, filled)
    assert "sẽ thêm mới 3 bản ghi" in page.locator(".alert-success").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
    page.locator("#job-progress .alert-success").wait_for(timeout=20000)
    assert Submission.objects.unrestricted("the test reads what was imported").count() == 3

    # The register: both provinces reported, one late; the legacy province's row is kept and flagged.
    page.goto(f"{live_server.url}/reports/register/?regime=local_foreign_affairs&period=2025")
    assert page.locator("#figure-submitted").inner_text() == "2/2"
    assert "100" in page.locator("#register-figures").inner_text()
    assert page.locator("#figure-on-time").inner_text() == "1"
    bac_ninh = page.locator("#register-bac-ninh")
    assert bac_ninh.get_attribute("data-status") == "received"
    assert "16" in bac_ninh.locator("td").nth(5).inner_text()
    assert page.locator("#register-da-nang td").nth(5).inner_text() == "0"
    flagged = page.locator("#register-flagged").inner_text()
    assert "Quảng Nam" in flagged and "Đơn vị không tồn tại" in flagged and "không đúng thứ tự" in flagged
    assert page.locator("#register-missing").count() == 0
    # The central dashboard: a tile per province, in the status of its row (issue 20, item 7).
    assert page.locator("#dashboard-status-tiles .register-tile").count() == 2
    assert page.locator("#dashboard-status-tiles [data-unit=bac-ninh]").get_attribute("data-status") == "received"
    # The page fits a laptop screen: the header with the administrator's menus too.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=SCREENSHOTS / "register-2025.png", full_page=True)

    # The export holds the rows on screen, in the same order, with dates as dates.
    with page.expect_download() as download:
        page.locator("#register-export").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    sheet = load_workbook(exported).worksheets[0]
    units = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    shown = [name.strip() for name in page.locator(".register-table tbody tr td:nth-child(2)").all_inner_texts()]
    assert units[: len(shown)] == shown == ["Bắc Ninh", "Đà Nẵng"]
    assert units[len(shown) :] == ["Quảng Nam"]
    assert sheet.cell(row=3, column=4).value.strftime("%d/%m/%Y") == "05/01/2026"

    # A province sees its own row, not the others' nor the national figures.
    other = _page(browser, live_server, outside)
    _sign_in(other, live_server, "other_editor")
    other.goto(f"{live_server.url}/reports/register/?regime=local_foreign_affairs&period=2025")
    rows = other.locator(".register-table tbody tr")
    assert rows.count() == 1 and "Bắc Ninh" in rows.inner_text()
    assert other.locator("#register-figures").count() == 0
    other.screenshot(path=SCREENSHOTS / "register-2025-province.png", full_page=True)
    assert outside == []
