"""The national figures and the national report (issue 20, items 5 and 6, "Done when"): with synthetic reports for
every province of a half-year, the "N/M" counts match a direct count of the frozen reports; the national report
renders with its footnotes and the appendix table of who sent when; an amended report shows which national figures
it changed; a merged province is compared with the sum of the provinces it replaced."""

import io
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.html import escape
from docx import Document
from docx.oxml.ns import qn

from core.periods import Period
from core.report_kinds import render_report
from core.testing.documents import docx_paragraphs
from core.testing.world import login
from reports.models import ReportingPeriod, ReportRevision, figure_values
from reports.national import aggregate, changed_by_amendments, share_text
from reports.national_document import national_regime
from reports.synthetic import figure_value

HALF_YEAR = "2025-H1"  # 63 legacy provinces (the world's and those ensure_units made)


def _period(label: str = HALF_YEAR) -> ReportingPeriod:
    return ReportingPeriod.objects.get(regime__key="local_foreign_affairs", period=label)


def test_the_n_of_m_counts_match_a_direct_count_of_the_frozen_reports(national):
    period = _period()
    result = aggregate(period)
    revisions = list(
        ReportRevision.objects.filter(report__reporting_period=period).unrestricted("test").select_related("report")
    )
    assert len(result.reported) == len(revisions) > 30
    for code in ("outgoing_delegations", "incoming_delegations"):
        increased = sum(
            Decimal(item.content["figures"][code]["value"]) > Decimal(item.content["figures"][code]["previous"])
            for item in revisions
        )
        decreased = sum(
            Decimal(item.content["figures"][code]["value"]) < Decimal(item.content["figures"][code]["previous"])
            for item in revisions
        )
        figure = result.figures[code]
        assert (len(figure.comparison.increased), len(figure.comparison.decreased)) == (increased, decreased)
        assert figure.comparison.compared == len(revisions)
        assert figure.total == sum(Decimal(item.content["figures"][code]["value"]) for item in revisions)
    assert share_text(41, 59) == "41/59 địa phương (69,5%)"
    assert result.basis == "legacy_63"


def test_a_merged_province_is_compared_with_the_sum_of_the_provinces_it_replaced(national):
    result = aggregate(_period("2025-H2" if _period_exists("2025-H2") else "2025"))
    assert result.basis == "current_34"
    merged = next(item for item in result.reported.values() if item.unit.predecessors.exists())
    predecessors = list(merged.unit.predecessors.all())
    previous = result.reporting_period.parsed.year_before().label
    before = sum(figure_value(1, unit, "outgoing_delegations", previous) for unit in predecessors)
    value = merged.numbers["outgoing_delegations"]
    moved = result.figures["outgoing_delegations"].comparison
    bucket = moved.increased if value > before else moved.decreased if value < before else moved.unchanged
    assert merged.unit in bucket


def _period_exists(label: str) -> bool:
    return ReportingPeriod.objects.filter(regime__key="local_foreign_affairs", period=label).exists()


def test_the_national_report_renders_with_its_footnotes_and_the_appendix_table(national):
    rendered = render_report("national", unit=national, period=Period.parse(HALF_YEAR))
    document = Document(io.BytesIO(rendered.content))
    text = "\n".join(docx_paragraphs(rendered.content))
    result = aggregate(_period())
    figure = result.figures["outgoing_delegations"]
    assert share_text(len(figure.comparison.increased), figure.comparison.compared) in text
    assert "63 tỉnh, thành phố" in text
    # The illustrative facts stand in the document's footnotes, each with its province.
    notes = [part for part in document.part.package.iter_parts() if str(part.partname) == "/word/footnotes.xml"]
    assert notes and result.facts("outgoing_delegations")[0][0].name in notes[0].blob.decode()
    assert 'w:footnoteReference w:id="1"' in document.part.blob.decode()
    table = document.tables[-1]
    assert [cell.text for cell in table.rows[0].cells] == ["TT", "Đơn vị", "Ngày gửi", "Ngày nhận", "Ghi chú"]
    assert len(table.rows) - 1 == len(result.register.submitted)
    if result.register.missing:
        assert "Các địa phương chưa gửi báo cáo" in text and result.register.missing[0].unit.name in text


def test_an_amended_report_shows_which_national_figures_it_changed(national, world):
    period = _period()
    report = next(
        revision.report
        for revision in ReportRevision.objects.filter(report__reporting_period=period)
        .unrestricted("test")
        .select_related("report__owner")
    )
    assert changed_by_amendments(period) == []
    first = report.revisions.get(revision=1).content
    content = {**first, "figures": {**first["figures"]}}
    figure = dict(content["figures"]["outgoing_delegations"])
    figure["value"] = str(Decimal(figure["value"]) + 7)
    content["figures"]["outgoing_delegations"] = figure
    report.revision = 2
    report.save()
    ReportRevision.objects.create(
        report=report,
        revision=2,
        content=content,
        figure_values=figure_values(content["figures"]),
        sent_at=report.revisions.get().sent_at,
    )
    changes = changed_by_amendments(period)
    assert [change["code"] for change in changes] == ["outgoing_delegations"]
    assert f"{report.owner.name} (lần 2)" in changes[0]["units"]
    text = "\n".join(docx_paragraphs(render_report("national", unit=national, period=period.parsed).content))
    assert "Số liệu đã thay đổi do địa phương gửi lại báo cáo" in text and "(lần 2)" in text
    assert national_regime(national, period.parsed).key == "local_foreign_affairs"


def test_the_benchs_hand_written_query_computes_the_same_figures(national):
    """make bench measures the aggregation beside one SQL query (bench/run.py): both must give the same figures."""
    from bench.run import national_sql

    period = _period()
    previous = _period(period.parsed.year_before().label)
    codes = list(period.regime.indicators)
    row = national_sql(period.pk, previous.pk, codes)()
    result = aggregate(period)
    for index, code in enumerate(codes):
        figure = result.figures[code]
        total, increased, decreased, unchanged = row[index * 4 : index * 4 + 4]
        assert Decimal(str(total)) == figure.total, code
        assert (increased, decreased, unchanged) == (
            len(figure.comparison.increased),
            len(figure.comparison.decreased),
            len(figure.comparison.unchanged),
        ), code


def test_the_register_offers_the_national_report_to_those_who_read_every_province(
    national, client, world, django_capture_on_commit_callbacks
):
    from core.models import Job
    from core.testing.world import login

    query = {"regime": "local_foreign_affairs", "period": HALF_YEAR}
    login(client, world.national_viewer)
    assert 'id="register-national"' in client.get("/reports/register/", query).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/national/", query)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.params == {"kind": "national", "unit": "cfrc", "period": HALF_YEAR, "format": "docx"}
    # Named by what it makes, in the receiving body's name, never "cfrc" nor the job's number alone.
    job.refresh_from_db()
    assert job.result_name == "bao-cao-tong-hop-ban-doi-ngoai-trung-uong-6-thang-dau-nam-2025.docx"
    page = client.get(job.get_absolute_url()).content.decode()
    assert '<h1 class="h3">Tệp Word: Báo cáo tổng hợp — Ban Đối ngoại Trung ương — 6 tháng đầu năm 2025</h1>' in page
    assert "cfrc" not in page and 'id="job-source"' not in page

    login(client, world.province_editor)
    assert 'id="register-national"' not in client.get("/reports/register/", query).content.decode()
    assert client.post("/reports/national/", query).status_code == 403
    login(client, world.national_viewer)
    assert client.post("/reports/national/", {**query, "period": "2031-H1"}).status_code == 404
    # The address typed or bookmarked leads to the register of that period, where the report is made from.
    assert client.get("/reports/national/", query)["Location"] == f"/reports/register/?{urlencode(query)}"
    assert client.get("/reports/national/")["Location"] == "/reports/register/"


def test_a_synthetic_report_as_sent_reads_on_its_page_and_in_its_word_file(national, client, world):
    """The illustrative reports of the register are frozen like any sent report: their page shows what they said
    and their Word file is written from the revision, with the province and the date it was sent."""
    revision = (
        ReportRevision.objects.filter(report__reporting_period=_period())
        .unrestricted("test")
        .select_related("report__owner")
        .order_by("report__owner__key")
        .first()
    )
    report, content = revision.report, revision.content
    login(client, world.national_viewer)
    html = client.get(report.get_absolute_url()).content.decode()
    first = next(section for section in content["sections"] if section["paragraphs"])
    # Nothing left blank: an illustrative report has no records to list and leaves them out.
    assert not [line for section in content["sections"] for line in section["paragraphs"] if "…" in line]
    assert first["title"] in html and escape(first["paragraphs"][0]) in html
    assert escape(content["header"]["subject_lines"][0]) in html
    text = "\n".join(
        docx_paragraphs(render_report("local_foreign_affairs", unit=report.owner, period=_period().parsed).content)
    )
    assert first["paragraphs"][0] in text
    # Decree 30/2020/NĐ-CP, Appendix I: the day below 10 is written with a 0 ("ngày 05").
    assert f"{report.owner.name}, ngày {report.issued_on.day:02d} tháng" in text


def _national_report(unit, label: str = HALF_YEAR):
    rendered = render_report("national", unit=unit, period=Period.parse(label))
    return Document(io.BytesIO(rendered.content)), "\n".join(docx_paragraphs(rendered.content))


def _footnotes_text(document) -> str:
    from docx.oxml import parse_xml

    part = next(part for part in document.part.package.iter_parts() if str(part.partname) == "/word/footnotes.xml")
    return "".join(node.text or "" for node in parse_xml(part.blob).iter(qn("w:t")))


def _marks(paragraph) -> list[str]:
    """The paragraph as its runs read: the text, "REF" for a footnote's mark."""
    found = []
    for run in paragraph._p.iter(qn("w:r")):
        if run.find(qn("w:footnoteReference")) is not None:
            found.append("REF")
        elif "".join(node.text or "" for node in run.iter(qn("w:t"))):
            found.append("".join(node.text or "" for node in run.iter(qn("w:t"))))
    return found


def test_footnote_marks_are_never_run_together(national):
    """Two marks run together read as one number ("tăng).³⁴" as footnote 34): each mark stands at the end of its
    own clause, and two marks at one place are parted by a raised comma ("³,⁴")."""
    from core.documents import Decree30Document
    from reports.drafting import period_words
    from reports.national_document import _sentence

    document, _text = _national_report(national)
    body = [paragraph for paragraph in document.paragraphs if _marks(paragraph).count("REF")]
    assert sum(_marks(paragraph).count("REF") for paragraph in body) >= 5
    for paragraph in body:
        runs = _marks(paragraph)
        assert all(not (first == second == "REF") for first, second in zip(runs, runs[1:], strict=False)), runs
    conferences = next(paragraph for paragraph in body if paragraph.text.startswith("Các địa phương đã tổ chức"))
    runs = _marks(conferences)
    assert runs.count("REF") == 2 and runs[runs.index("REF") + 1].startswith(" và quản lý")

    result = aggregate(_period())
    doc = Decree30Document(issuer_lines=["BAN ĐỐI NGOẠI"], number="…-BC", place="Hà Nội", year=2025)
    line = "Tăng ({{international_conferences.increased}} và {{foreign_press_groups.increased}} tăng)."
    _sentence(doc, line, result, period_words(HALF_YEAR))
    written = doc.document.paragraphs[-1]
    assert _marks(written)[-4:] == ["REF", ",", "REF", "."]
    comma = [run for run in written.runs if run.text == ","]
    assert comma and comma[0].font.superscript


def test_a_fact_quotes_the_sentence_that_states_the_figure():
    """A number like 12 stands in several sentences of a report: the fact quotes the one of the figure's section
    that states it, as a whole number and by what it counts, never one with an unfilled "…"; else "label: value"."""
    from reports.national import _fact

    codes = ["outgoing_delegations", "international_conferences", "foreign_press_groups", "agreements_signed"]
    delegations = "Trong 6 tháng đầu năm 2017, đã cho phép 12 đoàn với 60 lượt cán bộ đi công tác nước ngoài."
    conferences = "Cho phép tổ chức 12 hội nghị, hội thảo quốc tế; quản lý 112 đoàn phóng viên nước ngoài."
    agreements = "Ký kết 43 thỏa thuận quốc tế: …."
    sections = [
        {"figures": [], "paragraphs": ["Tổ chức 12 hội nghị, hội thảo quốc tế trước năm 2017."]},
        {"figures": codes, "paragraphs": [delegations, conferences, agreements]},
    ]
    figure = {"label": "Hội nghị, hội thảo quốc tế", "measure": "số lượng", "text": "12"}
    assert _fact(sections, "international_conferences", figure) == conferences
    assert _fact(sections, "outgoing_delegations", {"label": "Đoàn ra", "measure": "đoàn", "text": "12"}) == delegations
    # "12" is not a figure of "112": no sentence states 12 press groups.
    press = {"label": "Đoàn phóng viên nước ngoài", "measure": "số lượng", "text": "12"}
    assert _fact(sections, "foreign_press_groups", press) == "Đoàn phóng viên nước ngoài: 12"
    signed = {"label": "Thỏa thuận quốc tế được ký kết", "measure": "thỏa thuận", "text": "43"}
    assert _fact(sections, "agreements_signed", signed) == "Thỏa thuận quốc tế được ký kết: 43"
    # Two sentences that state 12 alike: either may be the wrong one, neither is quoted.
    twice = [{"figures": ["outgoing_delegations"], "paragraphs": ["Đón 12 đoàn.", "Cử 12 đoàn."]}]
    outgoing = {"label": "Đoàn ra", "measure": "đoàn", "text": "12"}
    assert _fact(twice, "outgoing_delegations", outgoing) == "Đoàn ra: 12"


def test_the_footnotes_quote_no_gap_and_each_fact_states_its_figure(national):
    document, _text = _national_report(national)
    notes = _footnotes_text(document)
    assert "…" not in notes
    result = aggregate(_period())
    for unit, fact in result.facts("international_conferences"):
        assert "hội nghị" in fact, (unit.name, fact)
    for unit, fact in result.facts("agreements_signed"):
        assert "…" not in fact and f"{unit.name}: {fact.rstrip('.')}" in notes


def test_a_party_body_heads_its_report_with_the_party_and_signs_with_its_head(national):
    document, text = _national_report(national)
    header = document.tables[0]
    issuer = [paragraph.text for paragraph in header.cell(0, 0).paragraphs if paragraph.text]
    # The name breaks between its parts, never inside "TRUNG ƯƠNG"; a star stands under a Party body's name.
    assert issuer == ["BAN ĐỐI NGOẠI", "TRUNG ƯƠNG", "*"]
    title = [paragraph.text for paragraph in header.cell(0, 1).paragraphs if paragraph.text]
    assert title == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text and "Độc lập - Tự do - Hạnh phúc" not in text
    assert header.cell(1, 0).text.startswith("Số …-BC")
    recipients, signature = (
        [paragraph.text for paragraph in cell.paragraphs] for cell in document.tables[1].rows[0].cells
    )
    assert recipients == [
        "Nơi nhận:",
        "- Bộ Chính trị, Ban Bí thư (để b/c);",
        "- Các tỉnh ủy, thành ủy;",
        "- Lưu: VT.",
    ]
    # The head of the Commission signs as himself (Guidance 36-HD/VPTW); the name is left to the one who signs.
    assert signature == ["TRƯỞNG BAN", ""]


def test_a_state_body_keeps_the_national_title_and_motto(national, world):
    from core.models import Unit
    from reports.models import ReportingRegime
    from reports.national_document import party_body

    mofa = Unit.objects.get(key="mofa")
    assert party_body(national) and not party_body(mofa)
    ReportingRegime.objects.filter(key="local_foreign_affairs").update(recipient=mofa)
    document, text = _national_report(mofa)
    header = document.tables[0]
    assert [paragraph.text for paragraph in header.cell(0, 0).paragraphs if paragraph.text] == ["BỘ NGOẠI GIAO"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text and header.cell(1, 0).text.startswith("Số: ")
    signature = [paragraph.text for paragraph in document.tables[1].rows[0].cells[1].paragraphs]
    assert signature == ["BỘ TRƯỞNG", ""]


def test_the_basis_says_before_the_reorganisation_only_across_the_merger(national):
    from types import SimpleNamespace

    from reports.drafting import period_words
    from reports.national_document import _basis

    _document, text = _national_report(national)
    assert " địa phương (63 tỉnh, thành phố), Ban Đối ngoại Trung ương tổng hợp" in text
    assert "trước sắp xếp" not in text
    # The year 2025 (after the merger) is compared with 2024 (before it).
    _document, text = _national_report(national, "2025")
    assert "(34 tỉnh, thành phố; so sánh với năm 2024 trên cơ sở 63 tỉnh, thành phố trước sắp xếp)" in text
    # Both after the merger: only the 34.
    regime = _period().regime
    later = SimpleNamespace(basis="current_34", reporting_period=ReportingPeriod(regime=regime, period="2026-H2"))
    assert _basis(later, period_words("2026-H2")) == "34 tỉnh, thành phố"


def test_the_appendix_notes_have_room(national):
    from core.documents import CELL_MARGIN_MM, _text_width_mm

    document, _text = _national_report(national)
    table = document.tables[-1]
    widths = [column.width.mm for column in table.columns]
    assert max(widths) == widths[-1]
    notes = [row.cells[-1].text for row in table.rows[1:] if row.cells[-1].text]
    assert notes
    for note in notes:
        assert _text_width_mm(note, 12) / (widths[-1] - 2 * CELL_MARGIN_MM) <= 2, note
    # A date stays on one line.
    assert all(_text_width_mm("08/06/2025", 12) < width - 2 * CELL_MARGIN_MM for width in widths[2:4])
