"""The delegations import in a real browser (issue 19, item 8; Playwright on Debian's Chromium, 1366×768): a
provincial officer opens the delegations' import page, downloads the template (one row a member, with the member
columns), fills it with two delegations and three members as provinces do (the second member's row leaves the
delegation's cells empty), uploads it, confirms, sees the job finish and finds both delegations in the list with
their person-trips. No request leaves the server and the pages raise no script error."""

import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from activities.models import Delegation
from core.tests.test_browser import _sign_in
from partners.testing.factories import country

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())


def _fill(template: Path, rows: list[dict[str, str]]) -> Path:
    """The downloaded template with ``rows`` written below its headers (by header, as a person fills it)."""
    book = load_workbook(template)
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for header, value in row.items():
            sheet.cell(row=number, column=columns[header], value=value)
    filled = template.with_name(f"filled-{template.name}")
    book.save(filled)
    return filled


def test_an_officer_imports_delegations_with_their_members(browser, live_server, world, tmp_path):
    country("KR", "Hàn Quốc", "South Korea")
    country("JP", "Nhật Bản", "Japan")
    outside: list[str] = []
    errors: list[str] = []
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, "province_editor")

    page.goto(f"{live_server.url}/delegations/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập dữ liệu").click()
    assert page.url == f"{live_server.url}/delegations/import/"
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    headers = [cell.value for cell in load_workbook(template).worksheets[0][1]]
    assert headers[0] == "Số TT đoàn" and headers[-3:] == ["Họ và tên", "Chức vụ", "Cơ quan"]
    assert {"Đơn vị quản lý", "Loại đoàn", "Mục đích", "Ngày bắt đầu", "Trạng thái"} <= set(headers)

    filled = _fill(
        template,
        [
            {
                "Số TT đoàn": 1,
                "Đơn vị quản lý": "Đà Nẵng",
                "Loại đoàn": "Đoàn ra",
                "Mục đích": "Thăm và làm việc với thành phố Yongin",
                "Trưởng đoàn": "Lê Văn Thanh",
                "Nước đến": "Hàn Quốc",
                "Ngày bắt đầu": "10/04/2024",
                "Ngày kết thúc": "15/04/2024",
                "Nguồn kinh phí": "Ngân sách nhà nước",
                "Họ và tên": "Lê Văn Thanh",
                "Chức vụ": "Phó Chủ tịch UBND thành phố",
                "Cơ quan": "UBND thành phố Đà Nẵng",
            },
            {"Họ và tên": "Nguyễn Thị Hoa", "Chức vụ": "Giám đốc Sở Ngoại vụ", "Cơ quan": "Sở Ngoại vụ"},
            {
                "Số TT đoàn": 2,
                "Đơn vị quản lý": "da nang",
                "Loại đoàn": "doan ra",
                "Mục đích": "Dự hội chợ du lịch quốc tế Tokyo",
                "Nước đến": "Nhật Bản",
                "Ngày bắt đầu": "02/06/2024",
                "Ngày kết thúc": "06/06/2024",
                "Họ và tên": "Trần Văn Bình",
                "Chức vụ": "Chuyên viên",
            },
        ],
    )
    page.set_input_files("input[name=file]", str(filled))
    page.check("input[name=attest_not_secret]")
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra tệp").click()
    preview = page.locator(".alert-success")
    assert "sẽ thêm mới 2 bản ghi" in preview.inner_text(), page.locator("main").inner_text()[:2000]
    page.screenshot(path=SCREENSHOTS / "delegation-import-preview.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
    done = page.locator("#job-progress .alert-success")
    done.wait_for(timeout=30000)
    assert "2" in done.inner_text()
    with page.expect_navigation():
        page.locator("#job-progress a.btn-outline-secondary").click()
    assert page.url == f"{live_server.url}/delegations/"
    page.screenshot(path=SCREENSHOTS / "delegation-import-list.png", full_page=True)

    table = page.locator("main table")
    for purpose, trips in (("Thăm và làm việc với thành phố Yongin", "2"), ("Dự hội chợ du lịch quốc tế Tokyo", "1")):
        line = table.locator("tr", has_text=purpose)
        assert line.count() == 1
        # The person-trips column: the members listed.
        assert trips in line.locator("td").all_inner_texts(), line.inner_text()
    yongin = Delegation.objects.unrestricted("test").get(purpose="Thăm và làm việc với thành phố Yongin")
    assert sorted(yongin.members.values_list("name", flat=True)) == ["Lê Văn Thanh", "Nguyễn Thị Hoa"]
    assert outside == [] and errors == []
