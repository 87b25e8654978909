"""A provincial report from draft to the receiving body (issue 20, items 2 and 3): drafted from its regime's outline,
refused while a required section is empty or a figure's sources disagree, approved by the leader, sent and frozen;
a second send of the same revision changes nothing; a report sent is changed only by reopening it, which makes the
next revision with the difference shown; the receiving body receives or returns it with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.testing.factories import DeclaredFigureFactory
from core.testing.world import login
from reports import services
from reports.choices import ReportStatus, SubmissionSource
from reports.drafting import build, count_text, money_text, text_errors
from reports.forms import ReportForm
from reports.models import Report, ReportRevision, Submission
from reports.pages import revision_difference
from reports.testing.factories import TEST_OUTLINE, ReportFactory, ReportingPeriodFactory, ReportingRegimeFactory


@pytest.fixture
def report(world):
    DeclaredFigureFactory(owner=world.danang, indicator="outgoing_delegations", period="2024", value=Decimal(10))
    DeclaredFigureFactory(
        owner=world.danang, indicator="outgoing_delegations", period="2025", value=Decimal(12), source_document="BC 1"
    )
    period = ReportingPeriodFactory(regime=ReportingRegimeFactory(outline=TEST_OUTLINE), period="2025")
    return ReportFactory(owner=world.danang, reporting_period=period)


def _send(report, world):
    report = services.report_review(report=report, user=world.province_editor)
    report = services.report_approve(report=report, user=world.approver)
    return services.report_submit(report=report, user=world.province_editor)


def _row(report) -> Submission:
    return Submission.objects.unrestricted("test").get(owner=report.owner, reporting_period=report.reporting_period)


def test_a_new_report_starts_from_the_outline_and_its_figures_are_written_in_the_documents_style(world):
    period = ReportingPeriodFactory(regime=ReportingRegimeFactory(outline=TEST_OUTLINE), period="2025")
    DeclaredFigureFactory(owner=world.danang, indicator="outgoing_delegations", period="2024", value=Decimal(10))
    DeclaredFigureFactory(owner=world.danang, indicator="outgoing_delegations", period="2025", value=Decimal(7))
    report = services.report_create(
        instance=Report(owner=world.danang, reporting_period=period), user=world.province_editor
    )
    assert (
        report.sections["results"]
        == "Cho phép {{outgoing_delegations}} đoàn ra ({{outgoing_delegations.change}} đoàn)."
    )
    draft = build(report)
    results = next(section for section in draft.sections if section["key"] == "results")
    assert results["paragraphs"] == ["Cho phép 07 đoàn ra (giảm 03 đoàn)."]
    declared = draft.figures["outgoing_delegations"]["declared"]
    assert declared and all(item["url"] for item in declared), "every figure links to what is behind it"
    assert draft.problems["empty_sections"] == ["Đánh giá"]
    assert (count_text(Decimal(0)), count_text(Decimal(7))) == ("0", "07")
    assert (count_text(Decimal(20000)), money_text(Decimal(37_500_000), "USD"), money_text(Decimal(4e11), "VND")) == (
        "20.000",
        "37,5 triệu USD",
        "400 tỷ đồng",
    )


def test_an_unknown_figure_in_the_text_is_refused_with_its_name(world, report):
    assert text_errors("Cho phép {{outgoing_delegatons}} đoàn") == [
        "“{{outgoing_delegatons}}”: không có chỉ tiêu nào mang mã này."
    ]
    form = ReportForm(
        data={
            "number": "1/BC",
            "signature_authority": "TM. UBND",
            "signer_title": "CHỦ TỊCH",
            "section_results": "Cho phép {{outgoing_delegations.total}} đoàn",
            "version": report.version,
        },
        instance=report,
        user=world.province_editor,
    )
    assert not form.is_valid()
    assert "{{outgoing_delegations.total}}" in form.errors["section_results"][0]


def test_approval_and_sending_are_refused_while_a_section_is_empty_or_a_figure_unresolved(world, report):
    report.sections = {"results": report.sections["results"], "assessment": ""}
    report.save()
    DeclaredFigureFactory(
        owner=world.danang, indicator="outgoing_delegations", period="2025", value=Decimal(15), source_document="BC 2"
    )
    # Refused from the review on, each problem its own line under one heading.
    for step, user in ((services.report_review, world.province_editor), (services.report_approve, world.approver)):
        with pytest.raises(ValidationError) as refused:
            step(report=report, user=user)
        first, *problems = refused.value.messages
        assert first == "Báo cáo chưa thể chuyển bước:"
        assert problems == [
            "Mục “Đánh giá” chưa có nội dung.",
            "Số liệu “Đoàn ra”: các nguồn không khớp nhau; hãy chọn giá trị báo cáo nêu và ghi lý do.",
        ]
    assert Report.objects.unrestricted("test").get(pk=report.pk).status == ReportStatus.DRAFTING

    with pytest.raises(ValidationError):
        services.report_choose_figure(
            report=report, user=world.province_editor, code="outgoing_delegations", value="15", reason=""
        )
    report = services.report_choose_figure(
        report=report,
        user=world.province_editor,
        code="outgoing_delegations",
        value="15",
        reason="Báo cáo sau đúng hơn.",
    )
    assert report.status == ReportStatus.DRAFTING
    report.sections = {**report.sections, "assessment": "Nhìn chung, tốt."}
    report.save()
    report = _send(report, world)
    revision = report.revisions.get()
    assert revision.content["figures"]["outgoing_delegations"]["text"] == "15"
    assert revision.content["figures"]["outgoing_delegations"]["chosen_reason"] == "Báo cáo sau đúng hơn."
    # What the national figures read of it: each figure's value and previous value as sent, the same as its content.
    stated = revision.content["figures"]["outgoing_delegations"]
    assert revision.figure_values["outgoing_delegations"][:2] == [str(stated["value"]), str(stated["previous"])]
    assert set(revision.figure_values) == set(revision.content["figures"])


def test_only_the_leader_approves_and_only_the_receiving_body_receives(world, report):
    report = services.report_review(report=report, user=world.province_editor)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=world.province_editor)
    report = services.report_approve(report=report, user=world.approver)
    report = services.report_submit(report=report, user=world.province_editor)
    with pytest.raises(PermissionDenied):
        services.report_receive(report=report, user=world.province_editor)
    with pytest.raises(PermissionDenied):
        services.report_receive(report=report, user=world.national_viewer)


def test_sending_freezes_the_report_and_writes_the_register_row_once(world, report, client):
    report = _send(report, world)
    assert report.status == ReportStatus.SUBMITTED and report.revision == 1
    row = _row(report)
    assert row.sent_on is not None and row.source == SubmissionSource.PRODUCT and row.revision == 1

    # A second send of the same revision (a double click, a retried request) changes nothing.
    again = services.report_submit(report=report, user=world.province_editor)
    assert again.version == report.version
    assert ReportRevision.objects.unrestricted("test").filter(report=report).count() == 1
    assert Submission.objects.unrestricted("test").filter(owner=world.danang).count() == 1

    # Later records do not change what was sent: the page shows the revision sent.
    DeclaredFigureFactory(
        owner=world.danang, indicator="outgoing_delegations", period="2025", value=Decimal(30), source_document="BC 3"
    )
    login(client, world.province_editor)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Cho phép 12 đoàn ra." in html and "30" not in build(report).sections[0]["paragraphs"][0][:12]
    assert 'id="report-frozen"' in html and "muốn sửa, hãy mở lại" in html
    # The central viewer, who cannot reopen it, is not told to.
    login(client, world.national_viewer)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'id="report-frozen"' in html and "muốn sửa, hãy mở lại" not in html
    login(client, world.province_editor)

    # Editing a report sent is refused, with the way to change it.
    report.number = "99/BC-UBND"
    with pytest.raises(ValidationError) as refused:
        services.report_update(instance=report, user=world.province_editor, expected_version=report.version)
    assert "mở lại" in " ".join(refused.value.messages)


def test_a_reopened_report_is_the_next_revision_and_the_difference_is_shown(world, report, client):
    report = _send(report, world)
    report = services.report_receive(report=report, user=world.national_admin)
    assert _row(report).received_on is not None
    report = services.report_return_report(report=report, user=world.national_admin, reason="Thiếu số liệu đoàn vào.")
    row = _row(report)
    assert row.returned_on is not None and row.return_reason == "Thiếu số liệu đoàn vào."
    assert report.status == ReportStatus.RETURNED

    with pytest.raises(ValidationError):
        from reports.verbs import report_act

        report_act(report=report, user=world.province_editor, verb="reopen", values={})
    report = services.report_reopen(report=report, user=world.province_editor, reason="Bổ sung số liệu theo yêu cầu.")
    assert (report.status, report.revision) == (ReportStatus.DRAFTING, 2)
    DeclaredFigureFactory(
        owner=world.danang, indicator="outgoing_delegations", period="2025", value=Decimal(14), source_document="BC 4"
    )
    report = services.report_choose_figure(
        report=report, user=world.province_editor, code="outgoing_delegations", value="14", reason="Số liệu cuối năm."
    )
    report = _send(report, world)
    first, second = (revision.content for revision in report.revisions.order_by("revision"))
    assert report.revisions.get(revision=1).reopen_reason == "Bổ sung số liệu theo yêu cầu."
    difference = revision_difference(first, second)
    assert difference["figures"] == [{"label": "Đoàn ra", "before": "12", "after": "14"}]
    assert second["changed_figures"][0]["code"] == "outgoing_delegations"
    row = _row(report)
    assert row.revision == 2 and row.returned_on is None and "Đoàn ra: 12 → 14" in row.note
    login(client, world.province_editor)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'id="report-difference"' in html and "<del>12</del>" in html


def test_a_stated_percentage_is_checked_against_its_count(world, report):
    from reports.drafting import wrong_percentages

    assert wrong_percentages("41/59 địa phương (69,5%) tăng số đoàn ra") == []
    assert wrong_percentages("41/59 địa phương (75%) tăng") == ["41/59 địa phương (75%) → 69,5%"]
    report.sections = {**report.sections, "assessment": "Có 41/59 địa phương (75%) tăng số đoàn ra."}
    report.save()
    with pytest.raises(ValidationError) as refused:
        services.report_review(report=report, user=world.province_editor)
    assert "69,5%" in " ".join(refused.value.messages)


def test_a_figure_with_nothing_to_state_is_named_and_stops_the_report(world):
    """No registry kept and no figure declared for the period: the text shows "…", which no report is sent with."""
    period = ReportingPeriodFactory(regime=ReportingRegimeFactory(outline=TEST_OUTLINE), period="2026")
    report = ReportFactory(owner=world.danang, reporting_period=period)
    assert "Cho phép … đoàn ra." in build(report).sections[0]["paragraphs"]
    with pytest.raises(ValidationError) as refused:
        services.report_review(report=report, user=world.province_editor)
    assert refused.value.messages[1:] == [
        "Kết quả công tác đối ngoại: Đoàn ra: chưa có gì để nêu (văn bản đang để “…”); hãy công bố số liệu, nhập hồ sơ "
        "làm căn cứ hoặc bỏ số liệu này khỏi văn bản."
    ]


def test_a_report_needs_its_number_and_place_and_is_dated_the_day_it_is_sent(world, report):
    report.number, report.place = "…/BC-UBND", ""
    report.save()
    # Asked from the review on: the leader approves the document as it goes out.
    with pytest.raises(ValidationError) as refused:
        services.report_review(report=report, user=world.province_editor)
    assert refused.value.messages[1:] == [
        "Hãy ghi số, ký hiệu của báo cáo (trên biểu mẫu).",
        "Hãy ghi địa danh của báo cáo (trên biểu mẫu).",
    ]
    report.number, report.place = "15/BC-UBND", "Đà Nẵng"
    report.save()
    report = _send(report, world)
    assert report.issued_on == timezone.localdate()
    assert report.revisions.get().content["header"]["issued_on"] == timezone.localdate().isoformat()


def test_a_department_writes_its_part_and_the_province_reads_it_on_its_report(world, report, client):
    """Issue 20, item 2: departments and communes contribute their sections before the province compiles; their
    part, sent, goes to the province (not to the receiving body's register)."""
    part = ReportFactory(
        owner=world.danang_dept,
        reporting_period=report.reporting_period,
        sections={"results": "Sở đã tổ chức 03 đoàn ra.", "assessment": "Hoàn thành kế hoạch."},
    )
    assert part.is_contribution and not report.is_contribution
    assert part.contribution_due < report.reporting_period.deadline
    part = services.report_review(report=part, user=world.unit_editor)
    part = services.report_approve(report=part, user=world.approver)
    part = services.report_submit(report=part, user=world.unit_editor)
    assert part.status == ReportStatus.SUBMITTED and part.revisions.count() == 1
    assert not Submission.objects.unrestricted("test").filter(owner=world.danang_dept).exists()
    with pytest.raises(ValidationError):
        services.report_receive(report=part, user=world.national_admin)

    login(client, world.province_editor)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'id="report-contributions"' in html and "Sở đã tổ chức 03 đoàn ra." in html
    login(client, world.unit_editor)
    html = client.get(part.get_absolute_url()).content.decode()
    assert 'id="report-contribution"' in html and 'id="verb-receive"' not in html


def test_the_list_of_reports_opens_each_report_by_its_regime_and_period(world, report, client):
    login(client, world.province_editor)
    html = client.get("/reports/").content.decode()
    assert f'<a href="{report.get_absolute_url()}">{report.reporting_period}</a>' in html


def test_the_figures_behind_a_section_are_written_as_the_text_writes_them(world, report, client):
    login(client, world.province_editor)
    html = client.get(report.get_absolute_url()).content.decode()
    row = html[html.index('data-code="outgoing_delegations"') :]
    row = row[: row.index("</tr>")]
    assert "<td>Đoàn ra</td><td>12</td><td>10</td><td>tăng 02</td>" in row
    # Declared, not counted from records: it links to the document that states it, not to a list of records.
    assert "số liệu công bố" in row and '">BC 1</a>' in row and "hồ sơ làm căn cứ" not in row


def test_a_year_is_written_in_full_where_one_text_serves_half_years_and_years(world):
    """ "Trong {{period}}" reads "Trong năm 2025" in a half-yearly regime's report of the year; a yearly regime's
    texts write "năm {{period}}" themselves, as the province's own summaries do."""
    from reports.choices import Frequency
    from reports.drafting import period_words

    both = ReportingRegimeFactory(frequency=Frequency.HALF_YEAR)
    yearly = ReportingRegimeFactory(frequency=Frequency.YEAR)
    assert period_words("2025", both) == {
        "period": "năm 2025",
        "previous_period": "năm 2024",
        "next_period": "năm 2026",
    }
    assert period_words("2025-H1", both)["period"] == "6 tháng đầu năm 2025"
    assert period_words("2013", yearly)["period"] == "2013"


def test_a_report_sent_is_not_deleted_and_one_in_the_trash_comes_back(world, report, client):
    """A province's editor may trash a draft; a report sent, received or returned stays, whatever the path."""
    from core.services import record_delete, record_restore

    report = _send(report, world)
    with pytest.raises(ValidationError) as refused:
        record_delete(instance=report, user=world.province_editor)
    assert "đã được gửi" in refused.value.messages[0] and "mở lại" in refused.value.messages[0]
    login(client, world.province_editor)
    response = client.post(f"{report.get_absolute_url()}delete/", follow=True)
    assert Report.objects.unrestricted("test").get(pk=report.pk).deleted_at is None
    assert "đã được gửi" in response.content.decode()
    # Its steps go on: received by the receiving body.
    report = services.report_receive(report=report, user=world.national_admin)
    assert report.status == ReportStatus.RECEIVED
    # One trashed before this rule (or by an administrator's purge path) can be brought back.
    Report.objects.unrestricted("test").filter(pk=report.pk).update(deleted_at=timezone.now())
    restored = record_restore(instance=Report.all_objects.get(pk=report.pk), user=world.province_editor)
    assert restored.deleted_at is None


def test_a_change_with_nothing_to_compare_with_is_named_as_the_change(world):
    """The value is there, the period compared with is not: the problem names the change, not the figure."""
    DeclaredFigureFactory(owner=world.danang, indicator="outgoing_delegations", period="2026", value=Decimal(4))
    period = ReportingPeriodFactory(regime=ReportingRegimeFactory(outline=TEST_OUTLINE), period="2026")
    sections = {
        "results": "Cho phép {{outgoing_delegations}} đoàn ra ({{outgoing_delegations.change}}).",
        "assessment": "Tốt.",
    }
    report = ReportFactory(owner=world.danang, reporting_period=period, sections=sections)
    assert build(report).problems["missing_values"] == [
        "Kết quả công tác đối ngoại: Đoàn ra (mức tăng, giảm so với kỳ trước)"
    ]


def test_a_step_refused_on_the_page_says_every_problem_in_one_alert(world, report, client):
    from django.urls import reverse

    report.sections = {**report.sections, "assessment": ""}
    report.save()
    login(client, world.province_editor)
    html = client.post(
        reverse("reports:report_act", args=[report.pk]), {"verb": "review", "version": report.version}, follow=True
    ).content.decode()
    assert html.count('class="alert alert-danger') == 1
    assert "Báo cáo chưa thể chuyển bước:<br>Mục “Đánh giá” chưa có nội dung." in html


def test_the_leader_sends_a_report_back_with_what_to_correct(world, report, client):
    from django.urls import reverse

    report = services.report_review(report=report, user=world.province_editor)
    with pytest.raises(PermissionDenied):
        services.report_send_back(report=report, user=world.province_editor, reason="Tự trả lại.")
    login(client, world.approver)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="verb-send_back"' in page and 'id="verb-approve"' in page
    client.post(
        reverse("reports:report_act", args=[report.pk]),
        {"verb": "send_back", "version": report.version, "reason": "Bổ sung số liệu đoàn vào."},
    )
    report = Report.objects.unrestricted("test").get(pk=report.pk)
    assert (report.status, report.sent_back_reason) == (ReportStatus.DRAFTING, "Bổ sung số liệu đoàn vào.")
    login(client, world.province_editor)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Lãnh đạo trả lại để chỉnh sửa</strong>: Bổ sung số liệu đoàn vào." in page
    # Reviewed again, the reason has been answered.
    report = services.report_review(report=report, user=world.province_editor)
    assert report.sent_back_reason == "" and report.status == ReportStatus.REVIEWED


def test_the_register_notes_a_returned_report_with_its_reason(world, report, client):
    report = _send(report, world)
    services.report_return_report(report=report, user=world.national_admin, reason="Thiếu số liệu đoàn vào.")
    login(client, world.national_viewer)
    period = report.reporting_period
    html = client.get("/reports/register/", {"regime": period.regime.key, "period": period.period}).content.decode()
    assert f"Trả lại ngày {timezone.localdate():%d/%m/%Y}: Thiếu số liệu đoàn vào." in html
