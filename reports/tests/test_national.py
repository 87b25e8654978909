"""The national figures and the national report (issue 20, items 5 and 6, "Done when"): with synthetic reports for
every province of a half-year, the "N/M" counts match a direct count of the frozen reports; the national report
renders with its footnotes and the appendix table of who sent when; an amended report shows which national figures
it changed; a merged province is compared with the sum of the provinces it replaced."""

import io
from decimal import Decimal

from docx import Document

from core.documents import render_report
from core.periods import Period
from core.testing.documents import docx_paragraphs
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


def test_the_register_offers_the_national_report_to_those_who_read_every_province(national, client, world):
    from core.models import Job
    from core.testing.world import login

    query = {"regime": "local_foreign_affairs", "period": HALF_YEAR}
    login(client, world.national_viewer)
    assert 'id="register-national"' in client.get("/reports/register/", query).content.decode()
    response = client.post("/reports/national/", query)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.params == {"kind": "national", "unit": "cfrc", "period": HALF_YEAR, "format": "docx"}

    login(client, world.province_editor)
    assert 'id="register-national"' not in client.get("/reports/register/", query).content.decode()
    assert client.post("/reports/national/", query).status_code == 403
    login(client, world.national_viewer)
    assert client.post("/reports/national/", {**query, "period": "2031-H1"}).status_code == 404
