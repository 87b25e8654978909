"""The Decree 30/2020/NĐ-CP writer (core.documents): page, fonts, the header, body, "Nơi nhận" and signature, page
numbers, tables; conversion to PDF and PNG; the registry of report kinds and its job."""

import datetime as dt
import io
import os
import shutil

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from core import documents
from core import report_kinds as kinds
from core.documents import (
    MOTTO,
    NATIONAL_TITLE,
    Decree30Document,
    DocumentConversionError,
    GroupRow,
    date_line,
    docx_to_pdf,
    pdf_to_png,
    roman,
    vietnamese_date,
)
from core.report_kinds import render_report, report_kind, report_kinds

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def needs_libreoffice() -> None:
    """Skip a conversion test (with the reason shown) when LibreOffice or poppler is missing; under CI=true a
    missing tool is a failure, as for the browser tests (conftest.py): CI installs them (.ci/run)."""
    if documents.soffice_path() and shutil.which("pdftoppm"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but LibreOffice (soffice) or poppler (pdftoppm) is missing: PDF output must be tested")
    pytest.skip("PDF conversion skipped: soffice or pdftoppm not found (apt-get install libreoffice-writer-nogui)")


def _sample(**overrides) -> Decree30Document:
    options = {
        "issuer_lines": ["UBND TỈNH QUẢNG NAM"],
        "number": "…/BC-UBND",
        "place": "Quảng Nam",
        "issued_on": dt.date(2013, 12, 5),
        "subject_lines": ["Tình hình ký kết và thực hiện thỏa thuận quốc tế", "năm 2013, kế hoạch năm 2014"],
    } | overrides
    doc = Decree30Document(**options)
    doc.paragraph("UBND tỉnh Quảng Nam báo cáo như sau:")
    doc.heading("Tình hình ký kết thỏa thuận quốc tế")
    doc.heading("Các thỏa thuận quốc tế đã ký kết trong năm 2013", level=2)
    doc.bullet("Biên bản Hội nghị cấp cao thường niên năm 2013 giữa hai tỉnh Quảng Nam và Sê Koong.")
    doc.heading("Đánh giá", level=2)
    doc.heading("Tình hình thực hiện thỏa thuận quốc tế")
    doc.heading("Kết quả", level=2)
    doc.recipients(["Bộ Ngoại giao;", "- Sở Ngoại vụ"])
    doc.signature(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], "Phó Chủ tịch", "Nguyễn Văn An")
    doc.appendix("Danh mục", ["Thỏa thuận quốc tế năm 2013"], note="(Kèm theo Báo cáo số …/BC-UBND)")
    doc.table(
        ["TT", "Tên văn bản", "Các bên"],
        [GroupRow("A", "Đã ký kết"), ("1", "Thỏa thuận hợp tác", "UBND tỉnh Quảng Nam\nthành phố Osan (Hàn Quốc)")],
        widths_mm=[12, 100, 53],
    )
    return doc


def _open(doc: Decree30Document):
    return Document(io.BytesIO(doc.to_bytes()))


def _texts(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs if paragraph.text]


def test_page_is_a4_with_the_decree_margins():
    section = _open(_sample()).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(value.mm) for value in margins] == [20, 20, 30, 15]


def test_times_new_roman_14_for_the_body_without_theme_fonts():
    document = _open(_sample())
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{script}")) for script in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:asciiTheme")) is None


def test_header_has_the_issuer_number_national_title_motto_and_date():
    header = _open(_sample()).tables[0]
    issuer, national = header.cell(0, 0), header.cell(0, 1)
    assert _texts(issuer) == ["UBND TỈNH QUẢNG NAM"]
    assert all(run.bold for run in issuer.paragraphs[0].runs)
    assert _texts(national) == [NATIONAL_TITLE, MOTTO]
    assert all(run.bold for paragraph in national.paragraphs for run in paragraph.runs if run.text)
    assert national.paragraphs[0].runs[0].font.size == Pt(12)
    assert header.cell(1, 0).text == "Số: …/BC-UBND"
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == "Quảng Nam, ngày 05 tháng 12 năm 2013"
    assert date.runs[0].italic
    # Short rules under the issuer and under the motto: bordered paragraphs.
    assert issuer._tc.xpath(".//w:pBdr/w:top") and national._tc.xpath(".//w:pBdr/w:top")
    # The header table has no borders.
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {side.get(qn("w:val")) for side in borders} == {"nil"}


def test_superior_body_in_regular_capitals_above_the_issuer():
    header = _open(_sample(superior_lines=["UBND thành phố Đà Nẵng"], issuer_lines=["Sở Ngoại vụ"])).tables[0]
    superior, own = header.cell(0, 0).paragraphs[:2]
    assert (superior.text, own.text) == ("UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ NGOẠI VỤ")
    assert not superior.runs[0].bold and own.runs[0].bold


def test_draft_date_is_left_blank_in_the_year_given():
    header = _open(_sample(issued_on=None, year=2013)).tables[0]
    assert header.cell(1, 1).text == "Quảng Nam, ngày      tháng      năm 2013"


def test_title_and_subject_are_centred_and_bold():
    paragraphs = _open(_sample()).paragraphs
    title = next(p for p in paragraphs if p.text == "BÁO CÁO")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    subject = next(p for p in paragraphs if p.text == "năm 2013, kế hoạch năm 2014")
    assert subject.alignment == WD_ALIGN_PARAGRAPH.CENTER and subject.runs[0].bold


def test_body_paragraphs_are_justified_and_indented_and_headings_numbered():
    paragraphs = _open(_sample()).paragraphs
    body = next(p for p in paragraphs if p.text == "UBND tỉnh Quảng Nam báo cáo như sau:")
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent == Cm(1.27)
    texts = [p.text for p in paragraphs]
    expected = [
        "I. TÌNH HÌNH KÝ KẾT THỎA THUẬN QUỐC TẾ",
        "1. Các thỏa thuận quốc tế đã ký kết trong năm 2013",
        "2. Đánh giá",
        "II. TÌNH HÌNH THỰC HIỆN THỎA THUẬN QUỐC TẾ",
        "1. Kết quả",
    ]
    assert [text for text in texts if text in expected] == expected
    assert "- Biên bản Hội nghị cấp cao thường niên năm 2013 giữa hai tỉnh Quảng Nam và Sê Koong." in texts
    heading = paragraphs[texts.index(expected[0])]
    assert heading.runs[0].bold and heading.paragraph_format.keep_with_next


def test_page_numbers_from_page_two():
    section = _open(_sample()).sections[0]
    assert section.different_first_page_header_footer
    assert section.header._element.xpath(".//w:instrText[contains(., 'PAGE')]")
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not section.first_page_header._element.xpath(".//w:instrText")


def test_recipients_and_signature_side_by_side():
    closing = _open(_sample()).tables[1]
    recipients, signature = closing.cell(0, 0), closing.cell(0, 1)
    assert _texts(recipients) == ["Nơi nhận:", "- Bộ Ngoại giao;", "- Sở Ngoại vụ;", "- Lưu: VT."]
    heading = recipients.paragraphs[0].runs[0]
    assert heading.bold and heading.italic
    assert recipients.paragraphs[1].runs[0].font.size == Pt(11)
    assert recipients.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert _texts(signature) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    assert all(p.runs[0].bold for p in signature.paragraphs if p.text)
    assert closing._tbl.tblPr.find(qn("w:tblBorders")) is not None


def test_archive_line_typed_anywhere_comes_last():
    doc = Decree30Document(issuer_lines=["UBND TỈNH QUẢNG NAM"], number="12/BC-UBND", place="Quảng Nam")
    doc.recipients(["Lưu: VT, NV.", "Bộ Ngoại giao"])
    assert _texts(_open(doc).tables[1].cell(0, 0))[1:] == ["- Bộ Ngoại giao;", "- Lưu: VT, NV."]


def test_table_repeats_its_header_and_merges_group_rows():
    table = _open(_sample()).tables[2]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert [cell.text for cell in table.rows[0].cells] == ["TT", "Tên văn bản", "Các bên"]
    group = table.rows[1]
    assert group.cells[1]._tc is group.cells[2]._tc and group.cells[1].text == "Đã ký kết"
    assert table.rows[2].cells[2].text == "UBND tỉnh Quảng Nam\nthành phố Osan (Hàn Quốc)"
    assert [round(column.width.mm) for column in table.columns] == [12, 100, 53]


def test_properties_are_in_schema_order():
    """Word refuses a file whose property elements are out of the schema's order (LibreOffice does not)."""
    document = _open(_sample())
    orders = {
        "pPr": documents.PPR_ORDER,
        "rPr": documents.RPR_ORDER,
        "tblPr": documents.TBLPR_ORDER,
        "trPr": documents.TRPR_ORDER,
    }
    parts = [document.element, document.styles.element, document.sections[0].header._element]
    checked = 0
    for part in parts:
        for name, order in orders.items():
            for properties in part.iter(qn(f"w:{name}")):
                tags = [child.tag.rsplit("}", 1)[-1] for child in properties]
                known = [tag for tag in tags if tag in order]
                assert known == sorted(known, key=order.index), (name, tags)
                checked += 1
    assert checked > 50


def test_dates_follow_the_decree():
    assert vietnamese_date(dt.date(2013, 3, 5)) == "ngày 05 tháng 3 năm 2013"
    assert vietnamese_date(dt.date(2014, 2, 15)) == "ngày 15 tháng 02 năm 2014"
    assert vietnamese_date(dt.date(2013, 12, 25)) == "ngày 25 tháng 12 năm 2013"
    assert date_line("Đà Nẵng", None, 2026) == "Đà Nẵng, ngày      tháng      năm 2026"
    assert [roman(n) for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]


def test_a_rule_under_the_subject_is_shorter_than_the_text_width():
    document = _open(_sample())
    rules = [p for p in document.paragraphs if p._p.xpath("./w:pPr/w:pBdr/w:top")]
    assert rules
    width = Mm(documents.TEXT_WIDTH_MM)
    assert all(0 < width - 2 * rule.paragraph_format.left_indent < width for rule in rules)


def test_pdf_and_png():
    needs_libreoffice()
    pdf = docx_to_pdf(_sample().to_bytes())
    assert pdf.startswith(b"%PDF")
    assert pdf_to_png(pdf, page=1, dpi=50).startswith(PNG_MAGIC)
    with pytest.raises(DocumentConversionError):
        pdf_to_png(pdf, page=99)


def test_pdf_without_libreoffice_says_what_to_install(monkeypatch):
    monkeypatch.setattr(documents.shutil, "which", lambda name: None)
    with pytest.raises(DocumentConversionError, match="LibreOffice"):
        docx_to_pdf(b"PK")
    with pytest.raises(DocumentConversionError, match="pdftoppm"):
        pdf_to_png(b"%PDF")


def test_report_kinds_are_discovered_and_registered(monkeypatch):
    monkeypatch.setattr(kinds, "_REPORT_KINDS", dict(kinds._REPORT_KINDS))
    assert "agreements_annual" in report_kinds()

    @report_kind("test_kind", formats=("xlsx",))
    def render(unit, period, fmt):
        if period == "bad":
            raise ValidationError("bad period")
        return kinds.RenderedDocument(b"data", "test.xlsx", kinds.CONTENT_TYPES[fmt])

    assert render_report("test_kind", unit=None, period="2013", fmt="xlsx").filename == "test.xlsx"
    with pytest.raises(ValueError, match="not 'docx'"):
        render_report("test_kind", unit=None, period="2013", fmt="docx")
    with pytest.raises(ValueError, match="agreements_annual"):
        render_report("no_such_kind", unit=None, period="2013")
