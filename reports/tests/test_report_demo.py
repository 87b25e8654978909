"""Issue 20, "Done when": Quảng Nam's annual summary of 2013 (``foreign_affairs_annual``) from the demo data: every
figure of the province's own summary with the same changes against 2012, at least 90% of its paragraphs, and its
structure."""

from pathlib import Path

from core.models import Unit
from core.periods import Period
from core.report_kinds import render_report
from core.testing.documents import docx_paragraphs, reproduced
from reports.drafting import build
from reports.models import Report

SEED = Path(__file__).parent / "data" / "foreign-affairs-summary-quang-nam-2013.txt"
QUANG_NAM = "quang-nam-legacy"


def _report() -> Report:
    return Report.objects.unrestricted("test").get(owner__key=QUANG_NAM, reporting_period__period="2013")


def _paragraphs() -> list[str]:
    unit = Unit.objects.get(key=QUANG_NAM)
    return docx_paragraphs(render_report("foreign_affairs_annual", unit=unit, period=Period.parse("2013")).content)


def test_the_summary_reproduces_the_provinces_own_summary(demo):
    share, missed = reproduced(SEED.read_text(encoding="utf-8"), _paragraphs())
    assert share >= 0.9, missed


def test_every_figure_of_the_summary_with_its_change_against_2012(demo):
    text = " ".join(_paragraphs())
    for phrase in (
        "cho phép 164 đoàn, với 730 lượt",
        "giảm 25 đoàn",
        "34 lượt so với năm 2012",
        "25 đoàn với 205 lượt khách quốc tế",
        "giảm 06 đoàn so với năm 2012",
        "cấp mới 05 dự án đầu tư FDI với tổng nguồn vốn là 37,5 triệu USD",
        "giảm 04 dự án so với năm 2012 nhưng tăng 15,7 triệu USD so với năm 2012",
        "khoảng 57,8 triệu USD",
        "khoảng trên 400 tỷ đồng",
        "khoảng 20.000 lao động",
        "82 chương trình, dự án (tăng 05 chương trình, dự án so với năm 2012)",
        "khoảng 42 triệu USD (tăng 16 triệu USD so với năm 2012)",
        "02 hội nghị, hội thảo quốc tế",
        "26 đoàn, với 156 lượt phóng viên",
        "159 đoàn khách PCPNN với 902 lượt",
        "13 đoàn với hơn 76 lượt tình nguyện viên",
        "hơn 60 tổ chức PCPNN",
        "60 cột mốc và 05 cọc dấu",
        "khoảng 5 tỷ đồng trong năm 2014",
        "100 bộ máy vi tính",
        "25 sinh viên",
        "200 triệu kíp",
        "800.000 kíp/người/tháng",
        "ký kết mới 02 Thỏa thuận quốc tế",
        "01 Huân chương ITXALA hạng nhì, 03 Huân chương ITXALA hạng ba, 13 Huân chương hữu nghị",
        "14 Huân chương Hữu nghị, 09 Huy chương Hữu nghị",
        "từ 10 - 20 tỷ đồng/năm",
        "kỷ niệm 40 năm",
    ):
        assert phrase in text, phrase


def test_the_summary_has_the_seeds_structure(demo):
    paragraphs = [text for text in _paragraphs() if text.strip()]
    headings = [
        "I. TÌNH HÌNH TRIỂN KHAI CÁC HOẠT ĐỘNG ĐỐI NGOẠI NĂM 2013",
        "1. Hoạt động hợp tác, giao lưu đối ngoại về chính trị, kinh tế, văn hóa",
        "2. Công tác tổ chức quản lý đoàn ra, đoàn vào",
        "3. Công tác quản lý, vận động viện trợ phi chính phủ nước ngoài",
        "4. Công tác quản lý biên giới, lãnh thổ quốc gia",
        "5. Công tác đối với người Việt Nam ở nước ngoài",
        "6. Công tác đối ngoại nhân dân",
        "7. Ký kết và thực hiện các thỏa thuận quốc tế",
        "8. Việc tiếp nhận các hình thức khen thưởng",
        "* Nhìn chung",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ CÔNG TÁC ĐỐI NGOẠI TRỌNG TÂM NĂM 2014",
        "III. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    positions = [next(i for i, text in enumerate(paragraphs) if text.startswith(heading)) for heading in headings]
    assert positions == sorted(positions)


def test_every_figure_links_to_what_is_behind_it_and_the_disagreements_are_chosen_with_a_reason(demo):
    draft = build(_report())
    assert not draft.problems["flagged_figures"]
    for figure in draft.figures.values():
        if figure["value"] is not None:
            # The records counted, or the documents that declare it.
            assert figure["records_url"] or all(item["url"] for item in figure["declared"]), figure["code"]
            assert figure["records_url"] or figure["declared"], figure["code"]
    signed = draft.figures["agreements_signed"]
    assert [item["value"] for item in signed["candidates"]] == ["3", "2"]
    assert signed["value"] == "2" and "thỏa thuận ký mới" in signed["chosen_reason"]
