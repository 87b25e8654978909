"""The annual agreements report (agreements.report), modelled on Quảng Nam's report for 2013
(seeds/agreements-report-quang-nam-2013.txt): the lists come from the registry, the narratives from the typed
AgreementReport; Word, Excel and PDF; the render_report command; the job view and its scope."""

import datetime as dt
import io
import os
from functools import partial
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import include, path, reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

import config.urls
from agreements import urls as agreements_urls
from agreements.models import Agreement, AgreementReport, Consultation, Evaluation, ImplementationItem
from agreements.report import (
    BLANK_LINE,
    DOCUMENT_TITLE,
    ReportRenderView,
    build_agreements_annual,
    render_agreements_annual,
)
from core.choices import JobStatus
from core.documents import pdf_to_png
from core.models import AuditEntry, Job, Unit
from core.periods import Period
from core.report_kinds import document_filename, period_for_files, unit_for_files
from core.testing.world import login
from core.tests.test_documents import PNG_MAGIC, needs_libreoffice
from partners.testing.factories import PartnerFactory, country

pytestmark = pytest.mark.django_db

YEAR = Period.parse("2013")

SEKONG_2013 = "Biên bản Hội nghị cấp cao thường niên năm 2013 giữa hai tỉnh Quảng Nam và Sê Koong"
YONGIN = (
    "Thỏa thuận thiết lập quan hệ hợp tác hữu nghị trên lĩnh vực kinh tế, văn hóa, xã hội giữa tỉnh Quảng Nam "
    "với thành phố Yongin, tỉnh Gyeonggi, Hàn Quốc"
)
SUWON = (
    "Biên bản ghi nhớ về hợp tác, trao đổi kinh nghiệm trong việc xây dựng thành phố sinh thái giữa tỉnh Quảng Nam "
    "và thành phố Suwon, Hàn Quốc"
)
OSAN = "Thỏa thuận hợp tác với thành phố Osan (Hàn Quốc)"
CHAMPASAK = "Thỏa thuận hợp tác với tỉnh Chăm pa sắc"
COTES = "Thỏa thuận thiết lập quan hệ hợp tác hữu nghị với tỉnh Côtes d’Armor, Cộng hòa Pháp"
UBON = "Thỏa thuận hợp tác thiết lập quan hệ hợp tác hữu nghị với tỉnh Ubon Ratchathani, Vương quốc Thái Lan"
MOGILEV = "Thỏa thuận thiết lập quan hệ hợp tác hữu nghị với tỉnh Mogilev, Cộng hòa Belarus"
SEKONG_2014 = "Biên bản Hội nghị cấp cao thường niên năm 2014 giữa hai tỉnh Quảng Nam và Sê Koong"
CANCELLED = "Thỏa thuận hợp tác với thành phố Hoa Liên (đã hủy)"
SEKONG_2012 = "Biên bản Hội nghị cấp cao thường niên năm 2012 giữa hai tỉnh Quảng Nam và Sê Koong"
TRASHED = "Biên bản ghi nhớ đã chuyển vào thùng rác"
OTHER_PROVINCE = "Thỏa thuận hợp tác của tỉnh Bắc Ninh"

SIGNED = [SEKONG_2013, YONGIN, SUWON]
IN_FORCE = [OSAN, CHAMPASAK]
# Ordered by signing date, then title (the planned ones have no date yet).
PLANNED = [SEKONG_2014, UBON, COTES, MOGILEV]
ABSENT = [CANCELLED, SEKONG_2012, TRASHED, OTHER_PROVINCE]
HEADINGS = [
    "I. TÌNH HÌNH KÝ KẾT THỎA THUẬN QUỐC TẾ",
    "II. TÌNH HÌNH THỰC HIỆN THỎA THUẬN QUỐC TẾ",
    "III. DỰ KIẾN KẾ HOẠCH THỰC HIỆN NĂM 2014",
    "IV. KIẾN NGHỊ VỚI BỘ NGOẠI GIAO",
]
REQUESTS = [
    "1. Tạo điều kiện thuận lợi cho lãnh đạo tỉnh tham gia các Đoàn công tác của lãnh đạo Đảng, Nhà nước.",
    "2. Đề nghị Bộ Ngoại giao chỉ đạo cơ quan đại diện ngoại giao giới thiệu các địa phương có tiềm năng.",
    "Đề nghị Bộ Ngoại giao ủy quyền cho các Đại sứ quán, Tổng Lãnh sự quán tham gia ý kiến đối với dự thảo.",
]

# What was done under the agreements in force (section II of the report), and how it was judged.
IMPLEMENTATION_ITEMS = {
    OSAN: [
        {
            "activity": "Hội nghị xúc tiến đầu tư tại thành phố Osan",
            "deadline": dt.date(2013, 4, 30),
            "status": "done",
            "result": "trên 100 doanh nghiệp lớn của Hàn Quốc tham dự",
        },
        {"activity": "Kế hoạch hợp tác chi tiết giữa các sở", "status": "in_progress"},
        {"activity": "Trao đổi đoàn năm 2012", "deadline": dt.date(2012, 6, 1), "status": "done"},
    ],
    CHAMPASAK: [
        {
            "activity": "Đào tạo ngôn ngữ Lào cho 02 cán bộ của Quảng Nam",
            "deadline": dt.date(2013, 12, 31),
            "status": "done",
        }
    ],
}
EVALUATIONS = {
    OSAN: [
        {
            "on": dt.date(2013, 12, 1),
            "rating": "fair",
            "assessment": "Giao lưu sôi động; kế hoạch hợp tác chi tiết chưa được triển khai.",
        },
        {"on": dt.date(2012, 12, 1), "rating": "good", "assessment": "Năm 2012."},
    ],
}

# The report's URL, as agreements/urls.py names it; added here while the project's urls.py lacks it.
_REPORT_URL = path("agreements/report/<str:key>/", ReportRenderView.as_view(), name="report_render")
_agreement_patterns = list(agreements_urls.urlpatterns)
if not any(getattr(pattern, "name", None) == "report_render" for pattern in _agreement_patterns):
    _agreement_patterns.append(_REPORT_URL)
urlpatterns = [
    *(pattern for pattern in config.urls.urlpatterns if getattr(pattern, "namespace", None) != "agreements"),
    path("", include((_agreement_patterns, "agreements"))),
]
with_report_url = pytest.mark.urls(__name__)


def _partner(world, key, name_vi, level, iso2, country_vi, **extra):
    return PartnerFactory(
        owner=world.quangnam,
        key=key,
        name_vi=name_vi,
        name_en=key.title(),
        level=level,
        country=country(iso2, country_vi, key),
        **extra,
    )


def _agreement(owner, title, partners, items=(), evaluations=(), **fields):
    """An agreement with its partners, and the implementation items and evaluations given as fields."""
    agreement = Agreement.objects.create(owner=owner, title=title, **fields)
    agreement.partners.set(partners)
    for item in items:
        ImplementationItem.objects.create(agreement=agreement, **item)
    for evaluation in evaluations:
        Evaluation.objects.create(agreement=agreement, **evaluation)
    return agreement


@pytest.fixture
def quang_nam_2013(world):
    """Quảng Nam's agreements as the 2013 report lists them, and the rows it must leave out."""
    qn = world.quangnam
    qn_agreement = partial(_agreement, qn)
    sekong = _partner(world, "sekong", "Sê Koong", "province", "LA", "Lào")
    gyeonggi = _partner(world, "gyeonggi", "Gyeonggi", "province", "KR", "Hàn Quốc")
    yongin = _partner(world, "yongin", "Yongin", "city", "KR", "Hàn Quốc", parent=gyeonggi)
    suwon = _partner(world, "suwon", "Suwon", "city", "KR", "Hàn Quốc")
    osan = _partner(world, "osan", "Osan", "city", "KR", "Hàn Quốc")
    champasak = _partner(world, "champasak", "Chăm pa sắc", "province", "LA", "Lào")
    cotes = _partner(world, "cotes-darmor", "Côtes d’Armor", "province", "FR", "Pháp")
    ubon = _partner(world, "ubon", "Ubon Ratchathani", "province", "TH", "Thái Lan")
    mogilev = _partner(world, "mogilev", "Mogilev", "province", "BY", "Belarus")
    hualien = _partner(world, "hualien", "Hoa Liên", "city", "KR", "Hàn Quốc")

    # The annual minutes of the high-level meeting with Sê Koong: 2013's signed, 2014's planned, 2012's expired.
    sekong_minutes = partial(qn_agreement, partners=[sekong], kind="high_level_minutes")
    sekong_minutes(
        SEKONG_2013,
        relationship_effect="renews",
        status="signed",
        signed_on=dt.date(2013, 1, 1),
        signed_precision="year",
        place_signed="tỉnh Sê Koong, Lào",
    )
    yongin_agreement = qn_agreement(
        YONGIN,
        [yongin],
        status="in_force",
        signed_on=dt.date(2013, 4, 1),
        signed_precision="month",
        in_force_on=dt.date(2013, 4, 1),
    )
    Consultation.objects.create(
        agreement=yongin_agreement,
        owner=qn,
        body="mofa",
        sent_on=dt.date(2013, 2, 1),
        reply_on=dt.date(2013, 3, 1),
        opinion="agree",
    )
    suwon_mou = qn_agreement(
        SUWON,
        [suwon],
        kind="mou",
        status="signed",
        signed_on=dt.date(2013, 6, 1),
        signed_precision="month",
        place_signed="Diễn đàn đầu tư Quảng Nam định hướng tăng trưởng xanh",
    )
    Consultation.objects.create(
        agreement=suwon_mou,
        owner=qn,
        body="planning_investment",
        body_name="Bộ Kế hoạch và Đầu tư",
        sent_on=dt.date(2013, 5, 1),
        reply_on=dt.date(2013, 5, 20),
        opinion="agree",
    )
    # Asked but never answered: not named in the report.
    Consultation.objects.create(agreement=suwon_mou, owner=qn, body="justice", sent_on=dt.date(2013, 5, 1))

    # In force since the year they were signed: section II reports what was done under them.
    for title, partner, signed_in in [(OSAN, osan, 2011), (CHAMPASAK, champasak, 2007)]:
        qn_agreement(
            title,
            [partner],
            status="in_force",
            signed_on=dt.date(signed_in, 1, 1),
            signed_precision="year",
            items=IMPLEMENTATION_ITEMS[title],
            evaluations=EVALUATIONS.get(title, ()),
        )

    qn_agreement(COTES, [cotes], status="draft", planned_year=2014)
    qn_agreement(UBON, [ubon], status="consultation", planned_year=2014)
    qn_agreement(MOGILEV, [mogilev], status="draft", planned_year=2014)
    sekong_minutes(SEKONG_2014, relationship_effect="renews", status="draft", planned_year=2014)

    qn_agreement(CANCELLED, [hualien], status="cancelled", planned_year=2014)
    sekong_minutes(SEKONG_2012, status="expired", signed_on=dt.date(2012, 5, 10), terminated_on=dt.date(2012, 12, 31))
    qn_agreement(TRASHED, [suwon], status="signed", signed_on=dt.date(2013, 9, 1), deleted_at=timezone.now())
    _agreement(world.bacninh, OTHER_PROVINCE, [osan], status="signed", signed_on=dt.date(2013, 9, 1))
    return world


@pytest.fixture
def typed_report(quang_nam_2013):
    return AgreementReport.objects.create(
        owner=quang_nam_2013.quangnam,
        period="2013",
        issued_on=dt.date(2013, 12, 5),
        responds_to="Công văn số 4390/BNG-LPQT ngày 11/11/2013 của Bộ Ngoại giao",
        compliance_assessment="Việc ký kết thỏa thuận quốc tế của tỉnh được thực hiện nghiêm túc.",
        implementation_overview="Việc thực hiện các thỏa thuận quốc tế của tỉnh đạt được những kết quả khả quan.",
        shortcomings="* Tuy nhiên, nguồn kinh phí cho hoạt động giao lưu, hợp tác ở nước ngoài không đảm bảo.",
        requests="\n".join(REQUESTS),
        signer_name="Nguyễn Văn An",
    )


def _docx(unit, period=YEAR):
    content, filename, content_type = render_agreements_annual(unit, period, "docx")
    words = (unit_for_files(unit), period_for_files(period.label))
    assert filename == document_filename(DOCUMENT_TITLE, *words, extension="docx")
    assert content_type.endswith("wordprocessingml.document")
    return Document(io.BytesIO(content))


def _sections(document) -> dict[str, list[str]]:
    """The body's paragraphs (outside tables) under each of the four headings."""
    parts: dict[str, list[str]] = {"": []}
    current = ""
    for paragraph in document.paragraphs:
        if paragraph.text in HEADINGS:
            current = paragraph.text
            parts[current] = []
        else:
            parts[current].append(paragraph.text)
    return parts


def _mentions(lines: list[str], title: str) -> bool:
    return any(title in line for line in lines)


def _cells(row) -> list[str]:
    """A Word table row's text, one value per cell (a merged cell once)."""
    seen, texts = [], []
    for cell in row.cells:
        if cell._tc not in seen:
            seen.append(cell._tc)
            texts.append(cell.text)
    return texts


def test_data_lists_come_from_the_registry(quang_nam_2013):
    data = build_agreements_annual(quang_nam_2013.quangnam, YEAR)
    assert [row["title"] for row in data["signed"]] == SIGNED
    assert [row["title"] for row in data["planned"]] == PLANNED
    # Section II lists those signed before the year that are still in force; the year's are in section I.
    assert {row["title"] for row in data["in_force"]} == {*IN_FORCE}
    assert (data["year"], data["next_year"], data["report_saved"]) == (2013, 2014, False)
    # Decree 30/2020/NĐ-CP, Appendix I: the issuer in full.
    assert data["issuer_lines"] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM"] and data["place"] == "Quảng Nam"
    osan = next(row for row in data["in_force"] if row["title"] == OSAN)
    assert osan["results"] == [
        ("Hội nghị xúc tiến đầu tư tại thành phố Osan", "trên 100 doanh nghiệp lớn của Hàn Quốc tham dự")
    ]
    # The latest evaluation of the year, as the unit wrote it, paragraph by paragraph.
    assert osan["evaluation"] == ["Giao lưu sôi động; kế hoạch hợp tác chi tiết chưa được triển khai."]


def test_a_successor_reports_on_its_predecessors_agreements(quang_nam_2013):
    data = build_agreements_annual(quang_nam_2013.danang, YEAR)
    assert [row["title"] for row in data["signed"]] == SIGNED
    assert data["issuer_lines"] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG"]
    assert "TT Thành ủy, TT HĐND thành phố;" in data["recipients"]


def test_word_report_has_the_header_sections_lists_and_closing(typed_report):
    document = _docx(typed_report.owner)
    header = document.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs[:2]] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM"]
    assert header.cell(1, 0).text == "Số: …/BC-UBND"
    assert [p.text for p in header.cell(0, 1).paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert header.cell(1, 1).text == "Quảng Nam, ngày 05 tháng 12 năm 2013"

    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[texts.index("BÁO CÁO") + 1 : texts.index("BÁO CÁO") + 3] == [
        "Tình hình ký kết và thực hiện thỏa thuận quốc tế",
        "năm 2013, kế hoạch năm 2014",
    ]
    assert [text for text in texts if text in HEADINGS] == HEADINGS
    assert (
        "Thực hiện Công văn số 4390/BNG-LPQT ngày 11/11/2013 của Bộ Ngoại giao, Ủy ban nhân dân tỉnh Quảng Nam báo "
        "cáo như sau:" in texts
    )
    sections = _sections(document)
    signing, implementation, plan, requests = (sections[heading] for heading in HEADINGS)

    assert "Trong năm 2013, tỉnh Quảng Nam đã ký kết 03 thỏa thuận quốc tế, đó là:" in signing
    assert "1. Các thỏa thuận quốc tế đã ký kết trong năm 2013" in signing
    assert "2. Đánh giá việc thực hiện thủ tục theo quy định của pháp luật" in signing
    assert f"- {SEKONG_2013} tại tỉnh Sê Koong, Lào." in signing
    assert f"- {YONGIN} (Thỏa thuận này đã xin ý kiến của Bộ Ngoại giao)." in signing
    suwon = next(line for line in signing if SUWON in line)
    # A memorandum is "Văn bản này", an agreement "Thỏa thuận này", as the province writes them.
    assert suwon.endswith("(Văn bản này đã xin ý kiến của Bộ Kế hoạch và Đầu tư).")
    assert signing.count("(Đính kèm Danh mục)") == 1
    assert typed_report.compliance_assessment in signing
    assert all(_mentions(signing, title) for title in SIGNED)
    assert not any(_mentions(signing, title) for title in IN_FORCE + PLANNED)

    assert implementation[0] == typed_report.implementation_overview
    assert "Thỏa thuận quốc tế đang còn hiệu lực hiện nay bao gồm:" in implementation
    assert all(_mentions(implementation, title) for title in IN_FORCE)
    assert f"- {OSAN}, ký năm 2011." in implementation
    # The year's evaluation speaks for the agreement, whole; the activities done speak only without one.
    osan_at = implementation.index(f"- {OSAN}, ký năm 2011.")
    assert implementation[osan_at + 1] == "Giao lưu sôi động; kế hoạch hợp tác chi tiết chưa được triển khai."
    assert not _mentions(implementation, "Kết quả thực hiện trong năm 2013: Hội nghị xúc tiến đầu tư")
    assert not _mentions(implementation, "Kế hoạch hợp tác chi tiết giữa các sở")
    assert not _mentions(implementation, "Trao đổi đoàn năm 2012")
    assert implementation[-1] == typed_report.shortcomings
    assert not any(_mentions(implementation, title) for title in PLANNED)

    assert plan[0] == "Trong năm 2014, tỉnh Quảng Nam dự kiến ký kết các thỏa thuận quốc tế sau:"
    assert plan[1:5] == [f"- {title}." for title in PLANNED]
    assert plan[5] == "(Đính kèm Danh mục)"

    assert requests[: len(REQUESTS)] == REQUESTS
    assert (
        "Trên đây là báo cáo tình hình ký kết, thực hiện các thỏa thuận quốc tế năm 2013, dự kiến kế hoạch thực "
        "hiện năm 2014, Ủy ban nhân dân tỉnh Quảng Nam kính báo cáo./." in requests
    )
    everything = "\n".join(texts + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert not any(title in everything for title in ABSENT)

    closing = document.tables[1]
    assert [p.text for p in closing.cell(0, 0).paragraphs] == [
        "Nơi nhận:",
        "- Bộ Ngoại giao (Vụ Luật pháp và Điều ước quốc tế);",
        "- TT Tỉnh ủy, TT HĐND tỉnh;",
        "- CT, các PCT UBND tỉnh;",
        "- Sở Ngoại vụ;",
        "- Lưu: VT.",
    ]
    assert [p.text for p in closing.cell(0, 1).paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn An",
    ]


def _catalogue_expected() -> list[list[str]]:
    return [
        ["TT", "Tên văn bản", "Các bên ký kết", "Thời gian, địa điểm ký", "Tình trạng"],
        ["A", "Thỏa thuận quốc tế đã ký kết năm 2013"],
        ["1", SEKONG_2013, "UBND tỉnh Quảng Nam\ntỉnh Sê Koong (Lào)", "2013, tỉnh Sê Koong, Lào", "Còn hiệu lực"],
        ["2", YONGIN, "UBND tỉnh Quảng Nam\nthành phố Yongin, tỉnh Gyeonggi (Hàn Quốc)", "04/2013", "Còn hiệu lực"],
        [
            "3",
            SUWON,
            "UBND tỉnh Quảng Nam\nthành phố Suwon (Hàn Quốc)",
            "06/2013, Diễn đàn đầu tư Quảng Nam định hướng tăng trưởng xanh",
            # Signed with no date of entry into force: in force from its signing, as section II counts it.
            "Còn hiệu lực",
        ],
        ["B", "Thỏa thuận quốc tế dự kiến ký kết năm 2014"],
        # Statuses at the end of 2013: these plans were recorded later, so they stood as plans then.
        ["1", SEKONG_2014, "UBND tỉnh Quảng Nam\ntỉnh Sê Koong (Lào)", "Dự kiến năm 2014", "Dự kiến ký kết"],
        ["2", UBON, "UBND tỉnh Quảng Nam\ntỉnh Ubon Ratchathani (Thái Lan)", "Dự kiến năm 2014", "Dự kiến ký kết"],
        ["3", COTES, "UBND tỉnh Quảng Nam\ntỉnh Côtes d’Armor (Pháp)", "Dự kiến năm 2014", "Dự kiến ký kết"],
        ["4", MOGILEV, "UBND tỉnh Quảng Nam\ntỉnh Mogilev (Belarus)", "Dự kiến năm 2014", "Dự kiến ký kết"],
    ]


def test_attached_list_in_word_and_excel_has_the_same_rows(typed_report):
    document = _docx(typed_report.owner)
    texts = [paragraph.text for paragraph in document.paragraphs]
    start = texts.index("DANH MỤC")
    assert texts[start + 1] == "Thỏa thuận quốc tế ký kết năm 2013 và dự kiến ký kết năm 2014"
    assert texts[start + 2] == "(Kèm theo Báo cáo số …/BC-UBND ngày 05/12/2013 của UBND tỉnh Quảng Nam)"
    table = document.tables[-1]
    word_rows = [_cells(row) for row in table.rows]
    assert word_rows == _catalogue_expected()

    content, filename, content_type = render_agreements_annual(typed_report.owner, YEAR, "xlsx")
    assert filename.endswith("-2013.xlsx") and content_type.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(content)).active
    excel_rows = [[value for value in row if value is not None] for row in sheet.iter_rows(values_only=True)]
    assert excel_rows == word_rows


def test_without_a_typed_report_the_defaults_and_blank_lines_show(quang_nam_2013):
    document = _docx(quang_nam_2013.quangnam)
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số: …/BC-UBND"
    assert header.cell(1, 1).text == "Quảng Nam, ngày      tháng      năm 2013"
    texts = [p.text for p in document.paragraphs]
    # Each paragraph still to be typed is a dotted line to write on: no instruction or address in the document.
    assert texts.count(BLANK_LINE) == 4
    assert not any("[" in text or "http" in text or "/agreements/" in text for text in texts)
    opening = document.paragraphs[texts.index("năm 2013, kế hoạch năm 2014") + 2]
    assert opening.text.startswith("Ủy ban nhân dân tỉnh Quảng Nam báo cáo tình hình ký kết")
    assert [p.text for p in document.tables[1].cell(0, 1).paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    # The signature block follows the closing paragraph onto its page.
    closing = next(p for p in document.paragraphs if p.text.startswith("Trên đây là báo cáo"))
    assert closing.paragraph_format.keep_with_next


def test_a_city_of_a_province_is_named_as_a_city(world):
    from agreements.report import issuer, unit_phrase

    city = Unit.objects.create(
        key="bac-giang-city", name="Bắc Giang", full_name="Thành phố Bắc Giang", kind="district", parent=None
    )
    assert unit_phrase(city) == "thành phố Bắc Giang"
    assert issuer(city)[1] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ BẮC GIANG"]


def test_a_year_without_agreements_says_so(world):
    texts = [p.text for p in _docx(world.quangnam, Period.parse("1999")).paragraphs]
    assert "Trong năm 1999, tỉnh Quảng Nam không ký kết thỏa thuận quốc tế nào." in texts
    assert "Trong năm 2000, tỉnh Quảng Nam chưa dự kiến ký kết thỏa thuận quốc tế nào." in texts
    assert "Đến ngày 31/12/1999, tỉnh Quảng Nam không có thỏa thuận quốc tế nào còn hiệu lực." in texts


def test_the_report_covers_one_year(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        build_agreements_annual(world.quangnam, Period.parse("2013-H1"))


def test_command_writes_the_report(quang_nam_2013, tmp_path):
    out = StringIO()
    target = tmp_path / "report.docx"
    call_command(
        "render_report", "agreements_annual", "--unit", "quang nam", "--period", "2013", "-o", str(target), stdout=out
    )
    assert target.read_bytes().startswith(b"PK")
    assert str(target) in out.getvalue() and "bytes" in out.getvalue()
    assert "đã ký kết 03 thỏa thuận quốc tế" in "\n".join(p.text for p in Document(str(target)).paragraphs)
    sheet = tmp_path / "list.xlsx"
    call_command(
        "render_report",
        "agreements_annual",
        "--unit",
        "quang-nam-legacy",
        "--period",
        "2013",
        "--format",
        "xlsx",
        "-o",
        str(sheet),
        stdout=StringIO(),
    )
    assert load_workbook(sheet).active.max_row == len(_catalogue_expected())


@pytest.mark.parametrize(
    ("kind", "unit", "period", "message"),
    [
        ("national_summary", "quang nam", "2013", "agreements_annual"),
        ("agreements_annual", "atlantis", "2013", "unknown unit"),
        ("agreements_annual", "quang nam", "2013-Q3", "not a period"),
        ("agreements_annual", "quang nam", "2013-H1", "one year"),
    ],
)
def test_command_refuses_a_bad_kind_unit_or_period(world, tmp_path, kind, unit, period, message):
    target = tmp_path / "report.docx"
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("render_report", kind, "--unit", unit, "--period", period, "-o", str(target), stdout=StringIO())
    assert not target.exists()


def test_pdf_and_first_page_picture(typed_report):
    """Also redraws docs/agreements-report-page1.png when REPORT_PICTURE=1 (docs/reports.md)."""
    needs_libreoffice()
    content, filename, content_type = render_agreements_annual(typed_report.owner, YEAR, "pdf")
    assert content.startswith(b"%PDF") and filename.endswith(".pdf") and content_type == "application/pdf"
    picture = pdf_to_png(content, page=1, dpi=110 if os.environ.get("REPORT_PICTURE") == "1" else 40)
    assert picture.startswith(PNG_MAGIC)
    if os.environ.get("REPORT_PICTURE") == "1":
        (Path(settings.BASE_DIR) / "docs" / "agreements-report-page1.png").write_bytes(picture)


@with_report_url
def test_job_view_answers_404_out_of_scope(client, quang_nam_2013):
    url = reverse("agreements:report_render", kwargs={"key": "quang-nam-legacy"})
    for user in (quang_nam_2013.other_editor, quang_nam_2013.nobody):
        login(client, user)
        assert client.post(url, {"period": "2013", "format": "docx"}).status_code == 404
    login(client, quang_nam_2013.viewer)
    assert client.post(reverse("agreements:report_render", kwargs={"key": "atlantis"}), {}).status_code == 404
    assert not Job.objects.exists()


@with_report_url
def test_job_view_starts_a_job_that_stores_the_report(client, quang_nam_2013, django_capture_on_commit_callbacks):
    viewer = quang_nam_2013.viewer
    login(client, viewer)
    url = reverse("agreements:report_render", kwargs={"key": "quang-nam-legacy"})
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"period": "2013", "format": "docx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.created_by, job.params) == (
        "render_report",
        viewer,
        {"kind": "agreements_annual", "unit": "quang-nam-legacy", "period": "2013", "format": "docx"},
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result_name == "bao-cao-tinh-hinh-ky-ket-va-thuc-hien-thoa-thuan-quoc-te-quang-nam-cu-nam-2013.docx"
    page = client.get(job.get_absolute_url())
    assert reverse("core:job_download", kwargs={"pk": job.pk}).encode() in page.content
    download = client.get(reverse("core:job_download", kwargs={"pk": job.pk}))
    document = Document(io.BytesIO(download.getvalue()))  # streamed (core.files.file_response)
    assert "Trong năm 2013, tỉnh Quảng Nam đã ký kết 03 thỏa thuận quốc tế, đó là:" in [
        p.text for p in document.paragraphs
    ]
    export = AuditEntry.objects.get(action="export")
    assert export.user == viewer and export.detail["report"] == "agreements_annual"


@with_report_url
def test_job_view_refuses_a_bad_year_without_a_job(client, quang_nam_2013):
    login(client, quang_nam_2013.viewer)
    url = reverse("agreements:report_render", kwargs={"key": "quang-nam-legacy"})
    response = client.post(url, {"period": "2013-H1", "format": "docx"})
    assert response.status_code == 302 and response["Location"] == quang_nam_2013.quangnam.get_absolute_url()
    response = client.post(url, {"period": "2013", "format": "odt"})
    assert response.status_code == 302
    assert not Job.objects.exists()


@with_report_url
def test_unit_page_offers_the_report(client, world):
    login(client, world.viewer)
    page = client.get(world.quangnam.get_absolute_url())
    assert page.status_code == 200
    action = reverse("agreements:report_render", kwargs={"key": "quang-nam-legacy"})
    assert f'action="{action}"'.encode() in page.content
    assert b'name="format" value="pdf"' in page.content


def test_unit_page_renders_with_the_project_urls(client, world):
    """The button hides itself until agreements/urls.py names the view; the page never breaks for it."""
    login(client, world.viewer)
    assert client.get(world.quangnam.get_absolute_url()).status_code == 200
