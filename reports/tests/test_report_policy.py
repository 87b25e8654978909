"""A province's report is read where it is written until it is sent (reports.policy.ReportPolicy): the central
bodies read it once sent, and then what was sent, not the next draft after it is reopened; on every surface (list,
page, API, export, the Word document)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from core.periods import Period
from core.testing.factories import DeclaredFigureFactory
from core.testing.world import login
from reports import services
from reports.models import Report
from reports.report import report_content
from reports.testing.factories import TEST_OUTLINE, ReportFactory, ReportingPeriodFactory, ReportingRegimeFactory

DRAFT = "Nhìn chung, tốt; bản thảo chưa gửi."
SECOND_DRAFT = "Bổ sung sau khi mở lại; chưa gửi."


@pytest.fixture
def report(world):
    DeclaredFigureFactory(owner=world.danang, indicator="outgoing_delegations", period="2025", value=Decimal(12))
    period = ReportingPeriodFactory(regime=ReportingRegimeFactory(outline=TEST_OUTLINE), period="2025")
    return ReportFactory(
        owner=world.danang,
        reporting_period=period,
        sections={"results": "Cho phép {{outgoing_delegations}} đoàn ra.", "assessment": DRAFT},
    )


def _send(report, world):
    report = services.report_review(report=report, user=world.province_editor)
    report = services.report_approve(report=report, user=world.approver)
    return services.report_submit(report=report, user=world.province_editor)


def _reopen_and_write(report, world):
    report = services.report_reopen(report=report, user=world.province_editor, reason="Bổ sung số liệu.")
    report.sections = {**report.sections, "assessment": SECOND_DRAFT}
    report.save()
    return report


def _shown(client, user, report) -> dict:
    """What ``user`` is shown of ``report``: its page, the list, its export and the API's list and record."""
    login(client, user)
    page = client.get(report.get_absolute_url())
    listed = client.get("/reports/").content.decode()
    exported = client.get("/reports/", {"export": "csv"}).content.decode("utf-8-sig")
    api = APIClient()
    api.force_authenticate(user)
    api_list = api.get("/api/v1/reports/").json()["results"]
    return {
        "page": page.status_code,
        "html": page.content.decode() if page.status_code == 200 else "",
        "listed": f'href="{report.get_absolute_url()}"' in listed,
        # The only report of the test: a row beside the header.
        "exported": len(exported.strip().splitlines()) == 2,
        "api_list": any(row["id"] == report.pk for row in api_list),
        "api_record": api.get(f"/api/v1/reports/{report.pk}/").status_code,
    }


def test_a_draft_is_read_by_its_province_and_by_no_central_body(client, world, report):
    for user in (world.national_viewer, world.national_admin):
        shown = _shown(client, user, report)
        assert shown == {**shown, "page": 404, "listed": False, "exported": False, "api_list": False}, user
        assert shown["api_record"] == 404
        assert not Report.policy.may(user, "view", report)
        assert not Report.objects.restrict(user).filter(pk=report.pk).exists()
    for user in (world.province_editor, world.approver, world.viewer):
        shown = _shown(client, user, report)
        assert (shown["page"], shown["listed"], shown["exported"], shown["api_list"]) == (200, True, True, True)
        assert DRAFT in shown["html"]
    # Another province reads neither (as before: the report is Đà Nẵng's).
    assert _shown(client, world.other_editor, report)["page"] == 404


def test_an_operator_reads_every_report_being_written(world, report):
    operator = get_user_model().objects.create_superuser("operator", "op@example.org", "x")
    assert Report.policy.may(operator, "view", report) and Report.policy.reads_draft(operator, report)
    assert Report.objects.restrict(operator).filter(pk=report.pk).exists()


def test_once_sent_the_central_bodies_read_it_and_after_reopening_what_was_sent(client, world, report):
    report = _send(report, world)
    shown = _shown(client, world.national_viewer, report)
    assert (shown["page"], shown["listed"], shown["exported"], shown["api_list"]) == (200, True, True, True)
    assert DRAFT in shown["html"]

    report = _reopen_and_write(report, world)
    shown = _shown(client, world.national_viewer, report)
    assert (shown["page"], shown["listed"], shown["api_list"]) == (200, True, True)
    # The page shows revision 1 as it was sent, says the unit is revising it, and not the new text.
    assert DRAFT in shown["html"] and SECOND_DRAFT not in shown["html"]
    assert 'id="report-revising"' in shown["html"] and "báo cáo lần 1 như đã gửi" in shown["html"]
    # The province reads its new draft.
    html = _shown(client, world.province_editor, report)["html"]
    assert SECOND_DRAFT in html and 'id="report-revising"' not in html


def _paragraphs(content: dict) -> str:
    return "\n".join(paragraph for section in content["sections"] for paragraph in section["paragraphs"])


def test_the_word_document_of_a_draft_is_made_from_the_records_for_a_central_body(world, report):
    period = Period.parse("2025")
    assert DRAFT in _paragraphs(report_content(world.danang, report.reporting_period.regime.key, period))
    assert DRAFT in _paragraphs(
        report_content(world.danang, report.reporting_period.regime.key, period, reader=world.province_editor)
    )
    drafted = _paragraphs(
        report_content(world.danang, report.reporting_period.regime.key, period, reader=world.national_viewer)
    )
    assert DRAFT not in drafted and "Cho phép 12 đoàn ra" in drafted

    report = _reopen_and_write(_send(report, world), world)
    as_sent = _paragraphs(
        report_content(world.danang, report.reporting_period.regime.key, period, reader=world.national_viewer)
    )
    assert DRAFT in as_sent and SECOND_DRAFT not in as_sent
    assert SECOND_DRAFT in _paragraphs(
        report_content(world.danang, report.reporting_period.regime.key, period, reader=world.province_editor)
    )
