"""Long forms in a real browser at 1366x768 (issue 18, item 7), as an officer of Đà Nẵng's foreign-affairs department
uses them: an agreement saved with its title left empty and a signed text chosen comes back with the errors listed
at the top (focused, each leading to its field) and the file still chosen; once the title is written, the document is
attached. A unit among the 4,128 of the country is found by typing a few letters of its name, and a partner's
subdivision list follows the country chosen. No request leaves the server and no script fails."""

import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from agreements.models import AgreementDocument, ImplementationItem
from agreements.testing.factories import AgreementFactory
from core.models import Country, ForeignSubdivision, Unit
from core.tests.test_browser import _page, _sign_in
from partners.testing.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
TITLE = "Thỏa thuận hợp tác giữa thành phố Đà Nẵng và tỉnh Gyeonggi"
SIGNED = "Văn bản thỏa thuận đã ký ngày 10/4/2013.".encode()


def _failure(message) -> bool:
    # A form shown again with its errors answers 400, which Chromium reports; anything else is a failure.
    return message.type == "error" and "status of 400" not in message.text


def _laptop(browser, live_server, outside: list, errors: list):
    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.on("console", lambda message: errors.append(message.text) if _failure(message) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def test_an_error_is_listed_at_the_top_and_the_chosen_file_is_kept(browser, live_server, world):
    agreement = AgreementFactory(owner=world.danang, title=TITLE)
    outside: list[str] = []
    errors: list[str] = []
    page = _laptop(browser, live_server, outside, errors)
    _sign_in(page, live_server, "province_editor")
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/edit/")
    form = page.locator("main form")
    form.locator("textarea[name=title]").fill("")
    form.locator("select[name=documents-0-kind]").select_option("signed_text")
    form.locator("input[name=documents-0-title]").fill("Văn bản đã ký")
    form.locator("input[name=documents-0-file]").set_input_files(
        files=[{"name": "Văn bản ký.txt", "mimeType": "text/plain", "buffer": SIGNED}]
    )
    form.locator("input[name=documents-0-attest_not_secret]").check()
    with page.expect_navigation():
        form.locator("button.btn-primary").click()

    # The summary is at the top of the first screen, and read first.
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    box = summary.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 768, box
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.get_attribute("role") == "alert"
    assert "Tên: Trường này là bắt buộc." in summary.inner_text()
    # The document row still holds its file, named, with a way to remove it.
    kept = page.locator("#id_documents-0-file-kept")
    assert "Đã chọn tệp: Văn bản ký.txt (giữ lại sau khi sửa lỗi)" in kept.inner_text()
    assert kept.locator("input[type=checkbox]").is_visible()
    page.screenshot(path=SCREENSHOTS / "form-error-summary.png")
    page.locator("#inline-documents").screenshot(path=SCREENSHOTS / "form-kept-file.png")
    assert not AgreementDocument.objects.exists()

    # The summary's line leads to the field; the officer writes the title there and saves.
    summary.locator("a[href='#id_title']").click()
    assert page.evaluate("document.activeElement.name") == "title"
    page.keyboard.type(TITLE)
    with page.expect_navigation():
        page.locator("main form button.btn-primary").click()
    assert page.url == f"{live_server.url}{agreement.get_absolute_url()}"
    document = AgreementDocument.objects.get(agreement=agreement)
    assert (document.kind, document.title) == ("signed_text", "Văn bản đã ký")
    assert document.file.read() == SIGNED
    link = page.locator("#agreement-documents a[download]")
    with page.expect_download() as downloading:
        link.click()
    assert Path(downloading.value.path()).read_bytes() == SIGNED
    assert outside == [], outside
    assert errors == [], errors


def test_a_unit_is_found_by_typing_and_subdivisions_follow_the_country(browser, live_server, world):
    from playwright.sync_api import expect

    call_command("load_reference_data", stdout=io.StringIO())
    assert Unit.objects.count() > 4000
    agreement = AgreementFactory(owner=world.danang, title=TITLE)
    outside: list[str] = []
    errors: list[str] = []
    page = _laptop(browser, live_server, outside, errors)
    _sign_in(page, live_server, "province_editor")
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/edit/")

    # The plan's unit: a search box in place of a select of every unit Đà Nẵng reaches.
    assert page.locator("select[name=items-0-lead_unit] option").count() == 1
    unit = page.locator("#id_items-0-lead_unit")
    assert unit.get_attribute("role") == "combobox"
    page.locator("input[name=items-0-activity]").fill("Trao đổi đoàn nghệ thuật")
    unit.click()
    unit.press_sequentially("sở văn hóa", delay=40)
    choice = page.locator("#id_items-0-lead_unit-options [role=option]", has_text="Sở Văn hóa Đà Nẵng")
    choice.first.wait_for(timeout=10000)
    page.screenshot(path=SCREENSHOTS / "form-unit-typeahead.png")
    choice.first.click()
    assert unit.input_value() == "Sở Văn hóa Đà Nẵng"
    assert page.locator("select[name=items-0-lead_unit]").input_value() == str(world.danang_dept.pk)
    with page.expect_navigation():
        page.locator("main form button.btn-primary").click()
    assert page.url == f"{live_server.url}{agreement.get_absolute_url()}"
    assert ImplementationItem.objects.get(agreement=agreement).lead_unit == world.danang_dept

    # A partner's subdivision: Korea's 24 are a plain select; Thailand's 78 a search box; back to a short list.
    korea, thailand = Country.objects.get(iso2="KR"), Country.objects.get(iso2="TH")
    partner = PartnerFactory(owner=world.danang, country=korea, name_vi="Tỉnh Gyeonggi", name_en="Gyeonggi Province")
    page.goto(f"{live_server.url}/partners/{partner.pk}/edit/")
    subdivision = page.locator("select[name=subdivision]")
    korean = ForeignSubdivision.objects.filter(country=korea).count()
    assert subdivision.locator("option[value]:not([value=''])").count() == korean
    gyeonggi = ForeignSubdivision.objects.get(code="KR-41")
    subdivision.select_option(str(gyeonggi.pk))
    page.locator("select[name=country]").select_option(str(thailand.pk))
    search = page.locator("input#id_subdivision[role=combobox]")
    search.wait_for(state="visible")
    assert subdivision.input_value() == "", "a subdivision of another country is not kept"
    search.click()
    search.press_sequentially("chiang", delay=40)
    found = page.locator("#id_subdivision-options [role=option]")
    # The rows shown on focus (the first of Thailand's, Chiang Mai among them) give way to those matching "chiang".
    expect(found.first).to_contain_text("Chiang Mai", timeout=10000)
    expect(found).to_have_count(2)
    assert all("Thái Lan" in text for text in found.all_inner_texts()), found.all_inner_texts()
    search.press("Enter")
    chosen = ForeignSubdivision.objects.get(pk=subdivision.input_value())
    assert (chosen.country, chosen.name) == (thailand, "Chiang Mai")
    assert search.input_value() == str(chosen)
    page.screenshot(path=SCREENSHOTS / "form-subdivision-typeahead.png")
    page.locator("select[name=country]").select_option(str(korea.pk))
    page.locator("select#id_subdivision").wait_for(state="visible")
    assert subdivision.locator("option[value]:not([value=''])").count() == korean
    assert outside == [], outside
    assert errors == [], errors
