"""Word documents laid out as Decree 30/2020/NĐ-CP (Appendix I) prescribes, and their conversion to PDF.

Two parts, used by every report of the product (the registry of report kinds that render them is
:mod:`core.report_kinds`):

- :class:`Decree30Document` writes an administrative document with python-docx: the two-column header
  (issuing body, number; national title and motto, place and date), the title, the body (headings, paragraphs,
  bullet items, tables, page breaks, an appendix), the "Nơi nhận" block beside the signature block, and page
  numbers from page 2. Word is the primary output because officials edit the draft before it is signed
  (DESIGN.md), so the layout uses plain paragraphs and tables that stay editable, never text boxes.
- :func:`docx_to_pdf` and :func:`pdf_to_png` convert with LibreOffice headless and poppler when installed.

Sizes and distances below cite Decree 30/2020/NĐ-CP, Appendix I ("Thể thức, kỹ thuật trình bày văn bản hành
chính"), by the element it sets out: khổ giấy, định lề trang, phông chữ, Quốc hiệu và Tiêu ngữ, tên cơ quan, số và
ký hiệu, địa danh và thời gian, tên loại và trích yếu, nội dung, chức vụ và chữ ký, nơi nhận, phụ lục, số trang, and
the diagram that places them on the page (sơ đồ bố trí).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

# Appendix I, khổ giấy and định lề trang: A4 paper; margins top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH_MM = 210 - 30 - 15
# Appendix I, phông chữ: Times New Roman (Unicode, TCVN 6909:2001), black.
FONT = "Times New Roman"
# Appendix I: body text 13-14 pt (nội dung); the header elements 12-13 pt (tên cơ quan, số và ký hiệu).
BODY_SIZE = 14
HEADER_SIZE = 13
NATIONAL_TITLE_SIZE = 12  # Quốc hiệu: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12-13 pt; 12 keeps it on one line.
MOTTO_SIZE = 13  # Tiêu ngữ: "Độc lập - Tự do - Hạnh phúc", 13-14 pt.
# Appendix I, nội dung: first-line indent 1-1.27 cm, at least 6 pt between paragraphs, line spacing from single to
# 1.5 lines.
FIRST_LINE_INDENT = Cm(1.27)
PARAGRAPH_SPACING = Pt(6)
LINE_SPACING = 1.15
# The header table: the issuing body on the left, the national title on the right (Appendix I, sơ đồ bố
# trí: cells 2 and 1). The right cell must hold the national title on one line.
HEADER_WIDTHS_MM = (62, 103)
# The closing table: "Nơi nhận" on the left, the signature block on the right (Appendix I, sơ đồ bố trí:
# cells 9a/9b and 7).
CLOSING_WIDTHS_MM = (75, 90)
# Word's default cell margins (0.19 cm on each side), taken off a cell's width to centre the short lines.
CELL_MARGIN_MM = 1.9

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"
ARCHIVE_LINE = "Lưu: VT."
# A Party body's document (Regulation 66-QĐ/TW, Guidance 36-HD/VPTW, Appendix 3): the title "ĐẢNG CỘNG SẢN VIỆT NAM"
# in bold capitals of 15 pt stands where the national title and motto stand; a star under the issuer's name parts
# it from the number, written "Số 12-BC/..." without a colon.
PARTY_TITLE_SIZE = 15
PARTY_STAR = "*"
# Where an issuer's name may break in the header (header_name_lines): before a word that starts one of its parts,
# the level of the body or unit ("BAN ĐỐI NGOẠI" / "TRUNG ƯƠNG", "ỦY BAN NHÂN DÂN" / "TỈNH QUẢNG NAM"); never
# between two other words, which may be one word ("TRUNG ƯƠNG", "BÀ RỊA").
NAME_PARTS = ("TRUNG ƯƠNG", "TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "ĐẶC KHU")

CONVERSION_TIMEOUT = 180  # seconds; a cold LibreOffice start takes a few seconds, a long report more.


# --------------------------------------------------------------------------------------------------------------
# Dates and small helpers


def vietnamese_date(day: dt.date) -> str:
    """``ngày 05 tháng 3 năm 2013``: a day below 10 and the months 1 and 2 take a leading zero (Decree 30/2020/
    NĐ-CP, Appendix I, địa danh và thời gian)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, issued_on: dt.date | None, year: int | None = None) -> str:
    """``Quảng Nam, ngày 05 tháng 12 năm 2013``; a draft without a date leaves the day and month blank for the
    clerk who numbers it (``Quảng Nam, ngày    tháng    năm 2013``)."""
    if issued_on is not None:
        return f"{place}, {vietnamese_date(issued_on)}"
    return f"{place}, ngày      tháng      năm {year or dt.date.today().year}"  # noqa: DTZ011 - a calendar year


def two_digits(number: int) -> str:
    """Counts as documents write them: ``03``, ``12``."""
    return f"{number:02d}"


def roman(number: int) -> str:
    """``4`` → ``IV``: the numbering of a document's parts (Appendix I, nội dung)."""
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
    values += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, letters in values:
        while number >= value:
            text, number = text + letters, number - value
    return text


def _text_width_mm(text: str, size: float, bold: bool = False) -> float:
    """A rough width of ``text`` in Times New Roman, to size the short rules under header lines. Exact metrics
    are not needed: Decree 30 asks for a rule of 1/3 to 1/2 (or all) of the line's length."""
    ems = 0.0
    for char in text:
        if char == " ":
            ems += 0.25
        elif char.isdigit():
            ems += 0.5
        elif char.isalpha():
            ems += 0.72 if char.isupper() else 0.47
        else:
            ems += 0.33
    if bold:
        ems *= 1.06
    return ems * size * 25.4 / 72


def header_name_lines(text: str, *, superior: bool = False) -> list[str]:
    """An issuer's name in capitals as the lines of the header's left cell: one line where it fits, else broken
    before the parts of NAME_PARTS into as few lines as even as can be ("BAN ĐỐI NGOẠI TRUNG ƯƠNG" → "BAN ĐỐI NGOẠI"
    / "TRUNG ƯƠNG", where the cell's own wrapping gives "BAN ĐỐI NGOẠI TRUNG" / "ƯƠNG"). A name without such a
    break is left to the cell's wrapping. The issuer's lines are bold, the superior body's regular
    (``superior``)."""
    text = " ".join(text.upper().split())
    width = HEADER_WIDTHS_MM[0] - 2 * CELL_MARGIN_MM

    def measure(line: str) -> float:
        return _text_width_mm(line, HEADER_SIZE, not superior)

    def cost(lines: list[str]) -> tuple[int, float]:
        widths = [measure(line) for line in lines]
        return len(lines), max(widths) - min(widths)

    if measure(text) <= width:
        return [text]
    words = text.split(" ")
    best: list[str] | None = None
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if measure(head) > width or not any(f"{tail} ".startswith(f"{part} ") for part in NAME_PARTS):
            continue
        lines = [head, *header_name_lines(tail, superior=superior)]
        if best is None or cost(lines) < cost(best):
            best = lines
    return best or [text]


@dataclass(frozen=True)
class GroupRow:
    """A table row that names the group of rows below it: its number in the first column (``A``) and its title
    across the other columns, in bold (``Thỏa thuận quốc tế đã ký kết năm 2013``)."""

    number: str
    title: str


# --------------------------------------------------------------------------------------------------------------
# The document


W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTE_SIZE = 10


class Decree30Document:
    """An administrative document laid out as Decree 30/2020/NĐ-CP, Appendix I prescribes.

    The header is written when the document is made::

        doc = Decree30Document(
            issuer_lines=["UBND TỈNH QUẢNG NAM"], number="…/BC-UBND", place="Quảng Nam",
            issued_on=None, year=2013, kind_title="BÁO CÁO",
            subject_lines=["Tình hình ký kết và thực hiện thỏa thuận quốc tế", "năm 2013, kế hoạch năm 2014"],
        )
        doc.paragraph("Thực hiện Công văn số 4390/BNG-LPQT ..., UBND tỉnh Quảng Nam báo cáo như sau:")
        doc.heading("Tình hình ký kết thỏa thuận quốc tế")        # I. TÌNH HÌNH KÝ KẾT THỎA THUẬN QUỐC TẾ
        doc.heading("Các thỏa thuận đã ký kết", level=2)         # 1. Các thỏa thuận đã ký kết
        doc.bullet("Biên bản Hội nghị cấp cao ...")               # - Biên bản Hội nghị cấp cao ...
        doc.recipients(["Bộ Ngoại giao;", "Lưu: VT."])
        doc.signature(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Nguyễn Văn A")
        doc.appendix("DANH MỤC", ["Thỏa thuận quốc tế ..."], note="(Kèm theo Báo cáo số …/BC-UBND)")
        doc.table(["TT", "Tên văn bản"], [("1", "Thỏa thuận ...")], widths_mm=[12, 153])
        data = doc.to_bytes()

    ``superior_lines`` name the body the issuer belongs to (regular capitals); ``issuer_lines`` the issuer
    (bold capitals, a short rule below). ``issued_on=None`` writes the date with blanks, as drafts are, in
    ``year`` (this year by default). ``party_title`` makes it a Party body's document (Guidance 36-HD/VPTW): the
    title given (``ĐẢNG CỘNG SẢN VIỆT NAM``) in place of the national title and motto, a star in place of the rule
    under the issuer, and ``Số 12-BC/...`` without a colon. The underlying python-docx ``Document`` is
    ``self.document``.
    """

    def __init__(
        self,
        *,
        issuer_lines: Sequence[str],
        number: str,
        place: str,
        issued_on: dt.date | None = None,
        kind_title: str = "BÁO CÁO",
        subject_lines: Sequence[str] = (),
        superior_lines: Sequence[str] = (),
        year: int | None = None,
        party_title: str = "",
    ):
        self.document = Document()
        self._footnotes_element = None
        self._numbers = [0, 0, 0]
        self._closing: Table | None = None
        self._set_up_page()
        self._set_up_styles()
        self._header(superior_lines, issuer_lines, number, date_line(place, issued_on, year), party_title)
        self._title(kind_title, subject_lines)
        self.document.core_properties.title = " ".join([kind_title.capitalize(), *subject_lines]).strip()
        self.document.core_properties.author = " ".join(issuer_lines)
        self.document.core_properties.language = "vi-VN"

    # Set-up ---------------------------------------------------------------------------------------------------

    def _set_up_page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance, section.footer_distance = Mm(10), Mm(10)
        # Appendix I, số trang: centred in the top margin, Arabic figures, 13-14 pt, not shown on
        # the first page.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_field(paragraph, "PAGE", size=HEADER_SIZE)

    def _set_up_styles(self) -> None:
        # The document defaults and Normal both name Times New Roman for every script, without theme fonts
        # (a theme font would win over the named one in Word).
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is not None:
            run_defaults = defaults.find(qn("w:rPrDefault"))
            if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
                _set_fonts(run_defaults.find(qn("w:rPr")))
        normal = self.document.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_SIZE)
        _set_fonts(normal.element.get_or_add_rPr())
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), "vi-VN")
        _put(normal.element.get_or_add_rPr(), language, RPR_ORDER)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = PARAGRAPH_SPACING
        normal.paragraph_format.line_spacing = LINE_SPACING

    # The header: issuer and number on the left; national title, motto, place and date on the right.

    def _header(self, superior_lines, issuer_lines, number: str, when: str, party_title: str = "") -> None:
        table = self._layout_table(2, HEADER_WIDTHS_MM)
        left, right = table.cell(0, 0), table.cell(0, 1)
        left_width, right_width = (width - 2 * CELL_MARGIN_MM for width in HEADER_WIDTHS_MM)
        first = True
        # Appendix I, tên cơ quan: the superior body in regular capitals, the issuer in bold capitals below it,
        # 12-13 pt, with a solid rule of 1/3 to 1/2 of the line's length, centred under it.
        for text in superior_lines:
            self._cell_line(left, text.upper(), size=HEADER_SIZE, first=first)
            first = False
        for text in issuer_lines:
            self._cell_line(left, text.upper(), size=HEADER_SIZE, bold=True, first=first)
            first = False
        if party_title:
            self._cell_line(left, PARTY_STAR, size=HEADER_SIZE)
        else:
            longest = max((_text_width_mm(text.upper(), HEADER_SIZE, True) for text in issuer_lines), default=30)
            self._rule(left, min(left_width, max(12.0, longest * 0.4)), left_width)
        if party_title:
            # Guidance 36-HD/VPTW: the Party's title in bold capitals, 15 pt, with a solid rule as long as it.
            title = party_title.upper()
            self._cell_line(right, title, size=PARTY_TITLE_SIZE, bold=True, first=True)
            self._rule(right, min(right_width, _text_width_mm(title, PARTY_TITLE_SIZE, True)), right_width)
        else:
            # Appendix I, Quốc hiệu và Tiêu ngữ: the national title in bold capitals, 12-13 pt; the motto below in
            # bold, 13-14 pt, with a solid rule as long as the motto.
            self._cell_line(right, NATIONAL_TITLE, size=NATIONAL_TITLE_SIZE, bold=True, first=True)
            self._cell_line(right, MOTTO, size=MOTTO_SIZE, bold=True)
            self._rule(right, min(right_width, _text_width_mm(MOTTO, MOTTO_SIZE, True)), right_width)
        # Appendix I, số và ký hiệu: "Số:" in regular type, 13 pt, centred under the issuer; địa danh và thời gian:
        # the place and date in
        # italics, 13-14 pt, on the same line as the number, centred under the motto.
        label = "Số" if party_title else "Số:"
        self._cell_line(table.cell(1, 0), f"{label} {number}", size=HEADER_SIZE, first=True)
        self._cell_line(table.cell(1, 1), when, size=BODY_SIZE, italic=True, first=True)

    def _title(self, kind_title: str, subject_lines: Sequence[str]) -> None:
        # Appendix I, tên loại và trích yếu: the kind of document in bold capitals, 13-14 pt, centred; its subject
        # below in bold, 13-14 pt, with a solid rule of 1/3 to 1/2 of the line's length under it.
        paragraph = self._plain_paragraph(kind_title.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.space_before = Pt(18)
        paragraph.paragraph_format.space_after = Pt(0)
        for text in subject_lines:
            line = self._plain_paragraph(text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            line.paragraph_format.space_after = Pt(0)
        if subject_lines:
            longest = max(_text_width_mm(text, BODY_SIZE, True) for text in subject_lines)
            self._rule(None, max(20.0, longest * 0.4), TEXT_WIDTH_MM, space_after=12)
        else:
            paragraph.paragraph_format.space_after = Pt(12)

    # Body -----------------------------------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1, *, numbered: bool = True) -> Paragraph:
        """A heading of the body: level 1 ``I. TEXT`` (bold capitals), level 2 ``1. Text`` (bold), level 3
        ``a) Text`` (bold italics). Numbers run by themselves and restart under each higher heading; with
        ``numbered=False`` the text is written as given."""
        level = min(max(level, 1), 3)
        self._numbers[level - 1] += 1
        for lower in range(level, 3):
            self._numbers[lower] = 0
        count = self._numbers[level - 1]
        if numbered:
            if level == 1:
                text = f"{roman(count)}. {text.upper()}"
            elif level == 2:
                text = f"{count}. {text}"
            else:
                text = f"{'abcdefghijklmnopqrstuvwxyz'[(count - 1) % 26]}) {text}"
        paragraph = self.paragraph(text, bold=True, italic=level == 3)
        paragraph.paragraph_format.keep_with_next = True
        # The outline level lets Word's navigation pane list the parts.
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level - 1))
        _put(paragraph._p.get_or_add_pPr(), outline, PPR_ORDER)
        return paragraph

    def paragraph(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "justify",
        indent: bool = True,
        size: float | None = None,
    ) -> Paragraph:
        """A body paragraph: justified, first line indented 1.27 cm, 6 pt after (Appendix I, nội dung). ``align`` is
        ``justify``, ``left``, ``center`` or ``right``; line breaks in ``text`` stay line breaks."""
        paragraph = self._plain_paragraph(text, bold=bold, italic=italic, align=_ALIGN[align], size=size)
        if indent:
            paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
        return paragraph

    def bullet(self, text: str, *, marker: str = "-") -> Paragraph:
        """An item of a list as administrative documents write them: ``- text``, indented as a paragraph."""
        return self.paragraph(f"{marker} {text}")

    def footnote(self, paragraph: Paragraph, text: str) -> int:
        """A footnote to ``paragraph``: its number in superscript at the end of the paragraph, ``text`` at the foot
        of the page in 10 pt (the national reports put their illustrative facts there). Returns its number."""
        notes = self._footnotes()
        number = len(notes.findall(qn("w:footnote"))) - 1  # after the separator and the continuation separator
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        body = OxmlElement("w:p")
        body.append(_superscript_run("w:footnoteRef"))
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(FOOTNOTE_SIZE * 2))
        properties.append(size)
        run.append(properties)
        written = OxmlElement("w:t")
        written.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        written.text = f" {text}"
        run.append(written)
        body.append(run)
        note.append(body)
        notes.append(note)
        reference = _superscript_run("w:footnoteReference")
        reference.find(qn("w:footnoteReference")).set(qn("w:id"), str(number))
        paragraph._p.append(reference)
        return number

    def _footnotes(self):
        """The document's footnotes part, made on first use with the two separators Word expects."""
        if self._footnotes_element is None:
            from docx.opc.constants import RELATIONSHIP_TYPE
            from docx.opc.packuri import PackURI
            from docx.opc.part import XmlPart
            from docx.oxml import parse_xml

            xml = (
                f'<w:footnotes xmlns:w="{W_NAMESPACE}">'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                "</w:p></w:footnote></w:footnotes>"
            )
            part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, parse_xml(xml), self.document.part.package)
            self.document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
            self._footnotes_element = part.element
        return self._footnotes_element

    def page_break(self) -> None:
        """Continue on a new page."""
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence | GroupRow],
        *,
        widths_mm: Sequence[float] | None = None,
        align: Sequence[str] | None = None,
        size: float = 12,
    ) -> Table:
        """A table with a bold header row that repeats on every page, one row per item of ``rows`` (a sequence
        of cell values, or a :class:`GroupRow`), in ``size`` pt. ``widths_mm`` defaults to equal columns across
        the text width; ``align`` gives each column's alignment (``left``, ``center``, ``justify``)."""
        columns = len(headers)
        widths = list(widths_mm or [TEXT_WIDTH_MM / columns] * columns)
        alignments = list(align or ["left"] * columns)
        table = self.document.add_table(rows=1, cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fix_widths(table, widths)
        header = table.rows[0]
        _repeat_as_header(header)
        for cell, text in zip(header.cells, headers, strict=True):
            self._cell_text(cell, str(text), size=size, bold=True, align="center")
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for row in rows:
            cells = table.add_row().cells
            _no_split(table.rows[-1])
            if isinstance(row, GroupRow):
                self._cell_text(cells[0], row.number, size=size, bold=True, align="center")
                merged = cells[1].merge(cells[-1]) if columns > 2 else cells[-1]
                self._cell_text(merged, row.title, size=size, bold=True, align="left")
                continue
            for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
                self._cell_text(cell, "" if value is None else str(value), size=size, align=alignments[index])
        _fix_widths(table, widths)
        # A little air after the table before the next paragraph.
        self.document.add_paragraph().paragraph_format.space_after = Pt(0)
        return table

    def appendix(self, title: str, subtitle_lines: Sequence[str] = (), *, note: str = "") -> None:
        """Start an appendix on a new page: its title in bold capitals, the subtitle in bold, and the note that
        ties it to the document in italics (``(Kèm theo Báo cáo số …/BC-UBND ...)``), centred (Appendix I,
        phụ lục)."""
        self.page_break()
        paragraph = self._plain_paragraph(title.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.space_after = Pt(0)
        for text in subtitle_lines:
            line = self._plain_paragraph(text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            line.paragraph_format.space_after = Pt(0)
        if note:
            self._plain_paragraph(note, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        self._rule(None, 40.0, TEXT_WIDTH_MM, space_after=12)

    # Closing: "Nơi nhận" on the left, the signature block on the right ------------------------------------------

    def recipients(self, lines: Iterable[str]) -> None:
        """The "Nơi nhận:" block at the bottom left: the heading in bold italics 12 pt, then one line per
        recipient in 11 pt, ``- Bộ Ngoại giao;``, the last ``- Lưu: VT.`` (added when missing) (Appendix I,
        nơi nhận)."""
        cell = self._closing_table().cell(0, 0)
        self._cell_line(cell, RECIPIENTS_HEADING, size=12, bold=True, italic=True, first=True, align="left")
        names = [line.strip().lstrip("-").strip().rstrip(";.").strip() for line in lines]
        names = [name for name in names if name]
        if not any(name.startswith("Lưu") for name in names):
            names.append(ARCHIVE_LINE.rstrip("."))
        # The archive line comes last, whatever the order typed.
        names = [name for name in names if not name.startswith("Lưu")] + [n for n in names if n.startswith("Lưu")]
        for index, name in enumerate(names):
            end = "." if index == len(names) - 1 else ";"
            line = self._cell_line(cell, f"- {name}{end}", size=11, align="left")
            # A long recipient wraps under its text, not under the dash.
            line.paragraph_format.left_indent, line.paragraph_format.first_line_indent = Mm(2.5), Mm(-2.5)

    def signature(self, authority_lines: Sequence[str], title: str, name: str = "") -> None:
        """The signature block at the bottom right, centred, in bold: the authority (``TM. ỦY BAN NHÂN DÂN``,
        ``KT. CHỦ TỊCH``) and the signer's title in capitals, room for the signature and seal, then the name
        (Appendix I, chức vụ, họ tên và chữ ký)."""
        cell = self._closing_table().cell(0, 1)
        first = True
        for text in [*authority_lines, title]:
            if text.strip():
                self._cell_line(cell, text.strip().upper(), size=BODY_SIZE, bold=True, first=first)
                first = False
        paragraph = self._cell_line(cell, name.strip(), size=BODY_SIZE, bold=True, first=first)
        # Room for the signature and the seal.
        paragraph.paragraph_format.space_before = Pt(84)

    def to_bytes(self) -> bytes:
        """The .docx file."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    # Internals ------------------------------------------------------------------------------------------------

    def _closing_table(self) -> Table:
        if self._closing is None:
            # The closing blocks follow the body's last paragraph onto its page: a signature never stands alone
            # on the last page (the last paragraph and the spacer keep with what follows them).
            body = [p for p in self.document.paragraphs if p.text.strip()]
            if body:
                body[-1].paragraph_format.keep_with_next = True
            spacer = self.document.add_paragraph()
            spacer.paragraph_format.space_after = Pt(0)
            spacer.paragraph_format.keep_with_next = True
            self._closing = self._layout_table(1, CLOSING_WIDTHS_MM)
            # Keep the two blocks together: a signature never starts a page alone.
            _no_split(self._closing.rows[0])
        return self._closing

    def _layout_table(self, rows: int, widths_mm: Sequence[float]) -> Table:
        """A table without borders that only places blocks side by side."""
        table = self.document.add_table(rows=rows, cols=len(widths_mm))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fix_widths(table, widths_mm)
        _no_borders(table)
        return table

    def _plain_paragraph(self, text, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=None):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = align
        _add_text(paragraph, text, bold=bold, italic=italic, size=size)
        return paragraph

    def _cell_line(self, cell, text, *, size, bold=False, italic=False, first=False, align="center") -> Paragraph:
        """One line in a layout cell: single spacing, nothing after, no indent."""
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing, fmt.first_line_indent = Pt(0), Pt(0), 1.0, Cm(0)
        _add_text(paragraph, text, bold=bold, italic=italic, size=size)
        return paragraph

    def _cell_text(self, cell, text: str, *, size: float, bold: bool = False, align: str = "left") -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = _ALIGN[align]
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing, fmt.first_line_indent = Pt(2), Pt(2), 1.0, Cm(0)
        _add_text(paragraph, text, bold=bold, size=size)

    def _rule(self, cell, length_mm: float, width_mm: float, *, space_after: float = 0) -> None:
        """A solid rule of ``length_mm``, centred in a block ``width_mm`` wide: an empty paragraph with a top
        border, indented from both sides (Word and LibreOffice both draw it, and it stays editable)."""
        paragraph = cell.add_paragraph() if cell is not None else self.document.add_paragraph()
        side = Mm(max(0.0, (width_mm - length_mm) / 2))
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.right_indent, fmt.first_line_indent = side, side, Cm(0)
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(1), Pt(space_after), 1.0
        run = paragraph.add_run("")
        run.font.size = Pt(2)
        properties = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        top = OxmlElement("w:top")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            top.set(qn(f"w:{key}"), value)
        borders.append(top)
        _put(properties, borders, PPR_ORDER)
        # The paragraph mark itself is small, so the rule sits just under the line above.
        marks = OxmlElement("w:rPr")
        mark_size = OxmlElement("w:sz")
        mark_size.set(qn("w:val"), "4")
        marks.append(mark_size)
        _put(properties, marks, PPR_ORDER)


_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


# The order of child elements that the WordprocessingML schema prescribes (ECMA-376, Part 1, 17.3.1.26, 17.3.2.28,
# 17.4.60, 17.4.82): Word refuses to open a file whose properties are out of order, LibreOffice does not care.
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em "
    "lang eastAsianLayout specVanish oMath"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd "
    "tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"
).split()
TRPR_ORDER = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden ins "
    "del trPrChange"
).split()


def _put(parent, element, order: Sequence[str]) -> None:
    """Put ``element`` into ``parent`` where the schema's ``order`` wants it, replacing one of the same name."""
    name = element.tag.rsplit("}", 1)[-1]
    for existing in parent.findall(element.tag):
        parent.remove(existing)
    later = {qn(f"w:{tag}") for tag in order[order.index(name) + 1 :]}
    for index, child in enumerate(parent):
        if child.tag in later:
            parent.insert(index, element)
            return
    parent.append(element)


def _set_fonts(run_properties) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _add_text(paragraph: Paragraph, text: str, *, bold=False, italic=False, size=None) -> None:
    """Runs for ``text``; a newline becomes a line break. Spaces are kept as typed (the blanks of a draft's
    date)."""
    for index, part in enumerate(str(text).split("\n")):
        run = paragraph.add_run()
        if index:
            run.add_break()
        run.add_text(part)
        for node in run._r.findall(qn("w:t")):
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)


def _superscript_run(tag: str):
    """A run holding the footnote mark ``tag`` (``w:footnoteRef`` or ``w:footnoteReference``), raised."""
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    raised = OxmlElement("w:vertAlign")
    raised.set(qn("w:val"), "superscript")
    properties.append(raised)
    run.append(properties)
    run.append(OxmlElement(tag))
    return run


def _add_field(paragraph: Paragraph, instruction: str, *, size: float) -> None:
    """A field (``PAGE``) as Word writes it: begin, instruction, separate, a placeholder result, end."""

    def run_with(element):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.text = f" {instruction} "
    run_with(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = paragraph.add_run("2")
    result.font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths, written where both Word (cell widths) and LibreOffice (grid) read them."""
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _put(properties, layout, TBLPR_ORDER)
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        _put(properties, width, TBLPR_ORDER)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    for column, value in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(value)
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if index < len(widths_mm):
                cell.width = Mm(widths_mm[index])


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _put(table._tbl.tblPr, borders, TBLPR_ORDER)


def _repeat_as_header(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    _put(row._tr.get_or_add_trPr(), header, TRPR_ORDER)


def _no_split(row) -> None:
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    _put(row._tr.get_or_add_trPr(), element, TRPR_ORDER)


# --------------------------------------------------------------------------------------------------------------
# Conversion


class DocumentConversionError(RuntimeError):
    """A conversion tool is missing, failed or took too long; the message says which and why."""


def soffice_path() -> str | None:
    """LibreOffice's command, if installed (``soffice``, or ``libreoffice`` on some distributions)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(data: bytes, tool: str, names: tuple[str, str], arguments, timeout: int) -> bytes:
    """Write ``data`` under the first of ``names`` in a fresh temporary folder, run ``tool`` with the command line
    that ``arguments(folder, source)`` gives, and return the bytes it wrote under the second name. Raises
    :class:`DocumentConversionError` when the tool fails or runs past ``timeout`` seconds."""
    with tempfile.TemporaryDirectory(prefix="doingoai-convert-") as directory:
        folder = Path(directory)
        source, target = folder / names[0], folder / names[1]
        source.write_bytes(data)
        try:
            # The tool is found on PATH and the arguments are ours: no user input reaches a shell.
            finished = subprocess.run(  # noqa: S603
                arguments(folder, source), capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            message = _("%(tool)s did not finish within %(seconds)s seconds.")
            raise DocumentConversionError(message % {"tool": tool, "seconds": timeout}) from exc
        if finished.returncode != 0 or not target.exists():
            detail = (finished.stderr or finished.stdout or b"").decode("utf-8", "replace").strip()[-500:]
            message = _("%(tool)s could not convert the document: %(detail)s")
            raise DocumentConversionError(message % {"tool": tool, "detail": detail or "—"})
        return target.read_bytes()


def docx_to_pdf(data: bytes, *, timeout: int = CONVERSION_TIMEOUT) -> bytes:
    """The PDF of a .docx, made by LibreOffice headless in a temporary directory. Raises
    :class:`DocumentConversionError` when LibreOffice is not installed, fails or runs past ``timeout`` seconds."""
    command = soffice_path()
    if command is None:
        raise DocumentConversionError(
            _("PDF output needs LibreOffice, which is not installed here (apt-get install libreoffice-writer-nogui).")
        )

    def arguments(folder: Path, source: Path) -> list[str]:
        # A profile of its own: two conversions at once would otherwise fight over the user's profile lock.
        profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
        options = ["--headless", "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder)]
        return [command, profile, *options, str(source)]

    return _convert(data, "LibreOffice", ("document.docx", "document.pdf"), arguments, timeout)


def pdf_to_png(data: bytes, page: int = 1, *, dpi: int = 110, timeout: int = 60) -> bytes:
    """One page of a PDF as a PNG picture, made by poppler's ``pdftoppm`` (for previews and documentation)."""
    command = shutil.which("pdftoppm")
    if command is None:
        raise DocumentConversionError(
            _("Pictures of PDF pages need poppler's pdftoppm (apt-get install poppler-utils).")
        )

    def arguments(folder: Path, source: Path) -> list[str]:
        pages = ["-f", str(int(page)), "-l", str(int(page))]
        return [command, "-png", "-r", str(int(dpi)), *pages, "-singlefile", str(source), str(folder / "page")]

    return _convert(data, "pdftoppm", ("document.pdf", "page.png"), arguments, timeout)
