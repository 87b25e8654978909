"""An import in the words of the screens, in a real browser (issue 18, item 6): a provincial officer opens the
partners' import page, downloads the template, fills it as people do (labels as the screens show them, names
without diacritics), uploads it, sees the preview, confirms and finds the partners on the list; a file with a label
that does not exist is refused with the row, the column and every label allowed, and writes nothing."""

import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.tests.test_browser import _sign_in
from partners.choices import PartnerKind
from partners.models import Partner
from partners.testing.factories import country

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())


def _page(browser, live_server, outside: list):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))
    return page


def _fill(template: Path, rows: list[dict[str, str]]) -> Path:
    """The downloaded template with ``rows`` written below its headers (by header, as a person fills it)."""
    book = load_workbook(template)
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for header, value in row.items():
            sheet.cell(row=number, column=columns[header], value=value)
    filled = template.with_name(f"filled-{len(rows)}-{template.name}")
    book.save(filled)
    return filled


def _check(page, path: Path) -> None:
    page.set_input_files("input[name=file]", str(path))
    page.check("input[name=attest_not_secret]")
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra tệp").click()


def test_an_officer_imports_the_template_filled_in_the_screens_words(browser, live_server, world, tmp_path):
    country("KR", "Hàn Quốc", "South Korea")
    outside: list[str] = []
    page = _page(browser, live_server, outside)
    _sign_in(page, live_server, "province_editor")

    page.goto(f"{live_server.url}/partners/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập dữ liệu").click()
    assert page.url == f"{live_server.url}/partners/import/"
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.suffix == ".xlsx"
    book = load_workbook(template)
    assert [sheet.title for sheet in book.worksheets] == ["Dữ liệu", "Giá trị được phép", "Hướng dẫn"]
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert {"Đơn vị quản lý", "Loại", "Cấp", "Quốc gia"} <= set(headers)
    assert "owner" not in headers and "kind" not in headers, "the screen's words, not internal keys"
    kinds = [cell.value for cell in book.worksheets[1]["B"][1:] if cell.value]
    assert "Địa phương nước ngoài" in kinds

    filled = _fill(
        template,
        [
            {
                "Đơn vị quản lý": "da nang",
                "Loại": "dia phuong nuoc ngoai",
                "Cấp": "Thành phố",
                "Tên tiếng Việt": "Thành phố Yongin",
                "Tên tiếng Anh": "Yongin City",
                "Quốc gia": "han quoc",
            },
            {
                "Đơn vị quản lý": "Quảng Nam (cũ)",
                "Loại": "Trường đại học, trường học",
                "Tên tiếng Việt": "Đại học Kyung Hee",
                "Quốc gia": "South Korea",
                "Ghi chú": "-Đối tác của tỉnh Quảng Nam cũ",
            },
        ],
    )
    _check(page, filled)
    preview = page.locator(".alert-success")
    assert "sẽ thêm mới 2 bản ghi" in preview.inner_text()
    page.screenshot(path=SCREENSHOTS / "import-preview.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
    done = page.locator("#job-progress .alert-success")
    done.wait_for(timeout=20000)
    assert "2" in done.inner_text()
    with page.expect_navigation():
        page.locator("#job-progress a.btn-outline-secondary").click()
    assert page.url == f"{live_server.url}/partners/"
    page.screenshot(path=SCREENSHOTS / "import-done-list.png", full_page=True)
    table = page.locator("main table")
    assert table.get_by_text("Thành phố Yongin").count() == 1
    assert table.get_by_text("Đại học Kyung Hee").count() == 1
    yongin = Partner.objects.get(name_vi="Thành phố Yongin")
    assert (yongin.owner, yongin.kind, yongin.level, yongin.country.iso2) == (world.danang, "locality", "city", "KR")
    school = Partner.objects.get(name_vi="Đại học Kyung Hee")
    assert (school.owner, school.kind, school.notes) == (world.quangnam, "school", "-Đối tác của tỉnh Quảng Nam cũ")

    page.goto(f"{live_server.url}/partners/import/")
    wrong = _fill(
        template,
        [
            {"Đơn vị quản lý": "Đà Nẵng", "Loại": "Thành phố đối tác", "Tên tiếng Việt": "Thành phố Suwon"},
        ],
    )
    _check(page, wrong)
    errors = page.locator(".alert-danger").inner_text()
    page.screenshot(path=SCREENSHOTS / "import-unknown-label.png", full_page=True)
    assert "dòng 2, cột Loại: “Thành phố đối tác” không phải là giá trị được phép" in errors
    with_labels = [str(label) for label in PartnerKind.labels]
    assert all(label in errors for label in with_labels), errors
    assert not Partner.objects.filter(name_vi="Thành phố Suwon").exists()
    assert outside == []
