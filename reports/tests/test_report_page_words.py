"""A report's page and form in the words of its users: one word for the report's revisions ("lần"), its deadline as
the day it is to be sent ("hạn gửi"), a period's example that fits its regime."""

import datetime as dt
import html
import json
import re

import pytest
from django.urls import reverse

from agreements.models import Consultation
from agreements.testing.factories import ConsultationFactory
from core.testing.world import login, make_unit
from reports.testing.factories import ReportFactory, ReportingPeriodFactory, ReportingRegimeFactory

pytestmark = pytest.mark.django_db


def test_the_report_page_counts_its_revisions_with_one_word_and_says_when_it_is_to_be_sent(client, world):
    """ "lần 1" beside the status, never "phiên bản 1" beside it for the record's saves; the deadline is "hạn gửi",
    while a consultation's due date stays the day the reply is due."""
    period = ReportingPeriodFactory(regime=ReportingRegimeFactory(key="words_test"), period="2026-H1")
    report = ReportFactory(owner=world.danang, reporting_period=period)
    login(client, world.province_editor)
    page = client.get(report.get_absolute_url()).content.decode()
    assert re.search(r'id="report-revision">\s*lần 1\s*<', page)
    assert "phiên bản" not in page.lower() and 'id="record-version"' not in page
    assert f"hạn gửi {period.deadline:%d/%m/%Y}" in page and "hạn trả lời" not in page

    consultation = ConsultationFactory(owner=world.danang)
    Consultation.objects.filter(pk=consultation.pk).update(due_on=dt.date(2026, 7, 1))
    page = client.get(consultation.agreement.get_absolute_url()).content.decode()
    assert "hạn trả lời 01/07/2026" in page


def test_the_report_form_s_period_example_follows_the_regime(client, world):
    """A new report names its period as typed (2017-H1 or 2017): the example is 2017, which every regime accepts,
    and the page's script gives 2017-H1 once a half-yearly regime is chosen."""
    yearly = ReportingRegimeFactory(key="yearly_words", frequency="year")
    half = ReportingRegimeFactory(key="half_words", frequency="half_year")
    login(client, world.province_editor)
    page = client.get("/reports/add/", {"regime": yearly.pk}).content.decode()
    box = re.search(r'<input[^>]*name="period"[^>]*>', page).group(0)
    assert 'placeholder="2017"' in box and "js-period-example" in box and 'data-regime="id_regime"' in box
    examples = json.loads(html.unescape(re.search(r'data-examples="([^"]*)"', box).group(1)))
    assert examples == {str(yearly.pk): "2017", str(half.pk): "2017-H1"}
    assert "2017 cho cả năm; 2017-H1 cho 6 tháng đầu năm, nếu chế độ báo cáo theo 6 tháng." in page


def test_a_report_s_file_and_its_job_page_are_named_by_the_regime_and_the_unit_never_their_keys(
    client, world, django_capture_on_commit_callbacks
):
    """The Word file of Đà Nẵng's report is named from the regime's and the unit's names without diacritics; its job's
    page says what it makes (not "Báo cáo số 2") and links back to the report."""
    from core.models import Job
    from reports.regimes import load_regimes, regime_named

    make_unit("cfrc", "Ban Đối ngoại Trung ương", "central_body")
    load_regimes()
    regime = regime_named("local_foreign_affairs")
    report = ReportFactory(owner=world.danang, reporting_period=ReportingPeriodFactory(regime=regime, period="2017-H1"))
    login(client, world.province_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_document", args=[report.pk]), {"format": "docx"})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.result_name == "bao-cao-tinh-hinh-cong-tac-doi-ngoai-dia-phuong-da-nang-6-thang-dau-nam-2017-lan-1.docx"
    page = client.get(job.get_absolute_url()).content.decode()
    title = "Tệp Word: Báo cáo tình hình công tác đối ngoại địa phương — Đà Nẵng — 6 tháng đầu năm 2017"
    assert f'<h1 class="h3">{title}</h1>' in page
    assert f'<a href="{report.get_absolute_url()}" id="job-source">' in page
    assert f"số {job.pk}" not in page and "local_foreign_affairs" not in page


def test_a_job_stored_before_its_parameters_named_the_report_keeps_its_page(client, world):
    """A report job stored without the report it came from, or naming a unit since gone: titled by what can still be
    read, never failing its page."""
    from core.models import Job

    old = Job.objects.create(
        kind="render_report",
        created_by=world.province_editor,
        params={"kind": "national", "unit": "da-nang", "period": "2017", "format": "pdf"},
    )
    gone = Job.objects.create(
        kind="render_report", created_by=world.province_editor, params={"kind": "national", "unit": "no-such-unit"}
    )
    login(client, world.province_editor)
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Tệp PDF: Báo cáo tổng hợp — Đà Nẵng — năm 2017" in page and 'id="job-source"' not in page
    assert f"Báo cáo số {gone.pk}" in client.get(gone.get_absolute_url()).content.decode()
