"""Every reports model through the shared mixins of core.testing."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.testing.mixins import PartTests, RecordTests, ReferenceTests
from core.testing.world import login as _login
from reports import services
from reports.choices import ReportStatus
from reports.drafting import build
from reports.models import Reminder, ReportingPeriod, ReportRevision, figure_values
from reports.registries import REPORTING_PERIODS, REPORTING_REGIMES, REPORTS, SUBMISSIONS
from reports.testing.factories import (
    TEST_OUTLINE,
    ReportFactory,
    ReportingPeriodFactory,
    ReportingRegimeFactory,
    SubmissionFactory,
)


class TestSubmission(RecordTests):
    record_type = SUBMISSIONS
    factory = SubmissionFactory
    values = {
        "sent_on": dt.date(2025, 12, 18),
        "received_on": dt.date(2025, 12, 19),
        "note": "Công văn số 125/BC-UBND ngày 18/12/2025",
    }

    def links(self, world, owner):
        return {"owner": owner, "reporting_period": ReportingPeriodFactory(period="2025")}

    # The register's import template has the columns a register is kept in (CONTRACT.md: regime, period, unit,
    # sent_on, received_on, note; reports.importing.SubmissionImporter), not the form's (owner, reporting_period),
    # which the mixin's check_import_template expects: here, who may download it and the importer's own headers.
    def test_the_import_template_speaks_the_screens_words(self, client, world):
        _login(client, world.viewer)
        assert client.get(self.url("_import_template")).status_code == 403, "only whoever may import"
        _login(client, world.province_editor)
        response = client.get(self.url("_import_template"))
        assert response.status_code == 200
        data, _values, guide = load_workbook(io.BytesIO(response.content)).worksheets
        importer = self.record_type.importer(self.record_type, world.province_editor)
        assert [cell.value for cell in data[1]] == [column.header for column in importer.template_columns()]
        assert data.max_row == 1, "no example row that would be imported"
        assert guide.title == "Hướng dẫn"

    # The register's API is read-only (reports.api.views.SubmissionViewSet): rows are recorded on the web form and
    # imported from registers. The mixin's API write tests assume a writable resource; here every write is refused
    # with 405 and nothing changes.
    def _writes_are_refused(self, world, record=None):
        api = APIClient()
        api.force_authenticate(world.province_editor)
        before = list(SUBMISSIONS.model.all_objects.unrestricted("test").values())
        payload = self.api_data(world, world.danang)
        assert api.post(self.api_list_url(), payload, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 405
        if record is not None:
            url = self.api_detail_url(record.pk)
            assert api.put(url, payload, format="json", HTTP_IF_MATCH=f'"{record.version}"').status_code == 405
            assert api.patch(url, {"note": "Sửa"}, format="json").status_code == 405
            assert api.delete(url).status_code == 405
        assert list(SUBMISSIONS.model.all_objects.unrestricted("test").values()) == before

    def test_api_write_with_stale_if_match_is_412(self, world):
        record = self.make(world, world.danang)
        api = APIClient()
        api.force_authenticate(world.province_editor)
        assert api.get(self.api_detail_url(record.pk))["ETag"] == f'"{record.version}"'
        self._writes_are_refused(world, record)

    def test_api_create_is_idempotent_and_scoped(self, world):
        self._writes_are_refused(world)

    def test_api_rejects_garbage_without_server_error(self, world):
        api = APIClient()
        api.force_authenticate(world.province_editor)
        for payload in ({}, {"owner": "\x00" * 10}, dict.fromkeys(self.api_data(world, world.danang), "x" * 100000)):
            assert api.post(self.api_list_url(), payload, format="json").status_code == 405

    def test_the_filter_box_names_the_regime_and_sends_its_key(self, client, world):
        regime = ReportingRegimeFactory(key="border_annual", name_vi="Báo cáo công tác biên giới năm")
        kept = SubmissionFactory(owner=world.danang, reporting_period=ReportingPeriodFactory(regime=regime))
        SubmissionFactory(owner=world.danang, reporting_period=ReportingPeriodFactory(period="2025"))
        _login(client, world.national_admin)
        response = client.get(self.url("_list"), {"regime": "border_annual"})
        page = response.content.decode()
        assert '<option value="border_annual" selected>Báo cáo công tác biên giới năm</option>' in page
        assert [row.pk for row in response.context["filterset"].qs] == [kept.pk]
        api = APIClient()
        api.force_authenticate(world.national_admin)
        rows = api.get(self.api_list_url(), {"regime": "border_annual"}).json()["results"]
        assert [row["id"] for row in rows] == [kept.pk]


class TestReportingRegime(ReferenceTests):
    record_type = REPORTING_REGIMES
    sample = {
        "key": "border_annual",
        "name_vi": "Báo cáo công tác biên giới năm",
        "name_en": "Annual report on the border",
        "recipient": lambda world: world.mofa,
        "frequency": "year",
    }
    changes = {"year_cutoff": "12-10", "deadline_days": 10}

    def test_the_list_names_each_regime_and_writes_its_days_as_day_and_month(self, client, world):
        regime = ReportingRegimeFactory(
            key="border_annual",
            name_vi="Báo cáo công tác biên giới năm",
            name_en="Annual report on the border",
            recipient=world.mofa,
            frequency="year",
            data_from="12-15",
            year_cutoff="12-10",
        )
        _login(client, world.viewer)
        page = client.get(self.url("_list")).content.decode()
        assert f'<a href="{regime.get_absolute_url()}">Báo cáo công tác biên giới năm</a>' in page
        assert world.mofa.name in page and regime.get_frequency_display() in page
        assert "<td >15/12</td><td >14/06</td><td >10/12</td>" in page
        assert "border_annual" not in page and "Annual report on the border" not in page and "12-15" not in page

        detail = client.get(regime.get_absolute_url()).content.decode()
        assert "15/12" in detail and "10/12" in detail and "14/06" in detail
        assert "12-15" not in detail and "12-10" not in detail and "06-14" not in detail

    def test_the_form_takes_and_shows_its_days_as_day_and_month(self, world):
        regime = ReportingRegimeFactory(recipient=world.mofa, year_cutoff="12-10")
        form_class = self.record_type.form_class
        assert form_class(instance=regime)["year_cutoff"].value() == "10/12"
        data = {**form_class(instance=regime).initial, "recipient": world.mofa.pk}
        form = form_class(
            {**data, "year_cutoff": "14/6", "data_from": "15/12", "half_year_cutoff": "06-14"}, instance=regime
        )
        assert form.is_valid(), form.errors
        assert (form.cleaned_data["year_cutoff"], form.cleaned_data["data_from"]) == ("06-14", "12-15")
        form = form_class(
            {**data, "year_cutoff": "31/02", "data_from": "15/12", "half_year_cutoff": "06-14"}, instance=regime
        )
        assert not form.is_valid()
        assert form.errors["year_cutoff"] == [
            "“31/02” không phải là một ngày trong năm: hãy ghi ngày và tháng dạng dd/mm (15/12)."
        ]


class TestReportingPeriod(ReferenceTests):
    record_type = REPORTING_PERIODS
    sample = {
        "regime": lambda world: ReportingRegimeFactory(recipient=world.mofa),
        "period": "2017-H1",
        "data_from": dt.date(2016, 12, 15),
        "data_to": dt.date(2017, 6, 14),
        "deadline": dt.date(2017, 6, 20),
        "on_time_until": dt.date(2017, 6, 20),
        "locks_on": dt.date(2017, 7, 20),
    }
    changes = {
        "deadline": dt.date(2017, 6, 25),
        "on_time_until": dt.date(2017, 6, 25),
        "request_document": "Công văn số 1234/BNG-VP ngày 01/6/2017",
    }


class TestReport(RecordTests):
    record_type = REPORTS
    factory = ReportFactory
    values = {
        "number": "15/BC-UBND",
        "place": "Đà Nẵng",
        "issued_on": dt.date(2025, 12, 16),
        "responds_to": "Công văn số 100/BĐNTW ngày 01/11/2025",
        "signature_authority": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Văn A",
    }

    def links(self, world, owner):
        regime = ReportingRegimeFactory(outline=TEST_OUTLINE)
        return {"owner": owner, "reporting_period": ReportingPeriodFactory(regime=regime, period="2025")}

    def make_read_nationally(self, world, owner):
        # The central bodies read a report once sent (reports.policy; its tests: test_report_policy.py).
        return ReportFactory(owner=owner, status=ReportStatus.SUBMITTED)

    # A new report names its regime and its period as written (2025), as the calendar's link does; the period is
    # made from the regime's rules when it is not saved yet.
    def form_data(self, world, owner):
        data = super().form_data(world, owner)
        period = ReportingPeriod.objects.get(pk=data.pop("reporting_period"))
        return {**data, "regime": period.regime_id, "period": period.period}


class TestReportRevision(PartTests):
    """A report's revisions: written by sending it (reports.services.report_submit), shown on the report's page."""

    model = ReportRevision

    def make(self, world, owner):
        period = ReportingPeriodFactory(regime=ReportingRegimeFactory(outline=TEST_OUTLINE), period="2025")
        report = ReportFactory(
            owner=owner, reporting_period=period, status=ReportStatus.SUBMITTED, sections=self.SECTIONS
        )
        return self._revision(report, 1)

    def more(self, world, part):
        report = part.report
        report.revision += 1
        report.save()
        return self._revision(report, report.revision)

    def write(self, world):
        period = ReportingPeriodFactory(regime=ReportingRegimeFactory(outline=TEST_OUTLINE), period="2025")
        report = ReportFactory(owner=world.danang, reporting_period=period, sections=self.SECTIONS)
        report = services.report_review(report=report, user=world.province_editor)
        report = services.report_approve(report=report, user=world.approver)
        return services.report_submit(report=report, user=world.province_editor).revisions.get()

    def page(self, part, user) -> str:
        return part.report.get_absolute_url()

    def shown(self, part) -> str:
        return part.content["sections"][0]["paragraphs"][0]

    SECTIONS = {"results": "Các đoàn ra thực hiện đúng kế hoạch.", "assessment": "Nhìn chung, tốt."}

    @staticmethod
    def _revision(report, number: int):
        content = build(report).as_content()
        content["sections"][0]["paragraphs"] = [f"Lần gửi {number}: các đoàn ra thực hiện đúng kế hoạch."]
        return ReportRevision.objects.create(
            report=report,
            revision=number,
            content=content,
            figure_values=figure_values(content["figures"]),
            sent_at=timezone.now(),
        )


class TestReminder(PartTests):
    """A reminder to a unit that has not reported: written from the register (reports.services.send_reminders),
    shown on the unit's reporting calendar."""

    model = Reminder

    def make(self, world, owner):
        period = ReportingPeriodFactory(
            regime=ReportingRegimeFactory(recipient=world.mofa), period=f"{timezone.localdate().year}-H1"
        )
        now = timezone.now()
        return Reminder.objects.create(
            reporting_period=period, unit=owner, sent_at=now, sent_on=timezone.localdate(now), message="Đề nghị gửi."
        )

    def more(self, world, part):
        # The same unit and period reminded on the days before: the calendar says the last day only.
        earlier = Reminder.objects.unrestricted("test").filter(unit=part.unit).count()
        day = part.sent_at - dt.timedelta(days=earlier)
        return Reminder.objects.create(
            reporting_period=part.reporting_period, unit=part.unit, sent_at=day, sent_on=day.date(), message="Nhắc."
        )

    def write(self, world):
        period = ReportingPeriodFactory(
            regime=ReportingRegimeFactory(recipient=world.mofa), period=f"{timezone.localdate().year}-H1"
        )
        services.send_reminders(period, [world.danang], world.national_admin)
        return Reminder.objects.unrestricted("test").get(reporting_period=period, unit=world.danang)

    def page(self, part, user) -> str:
        return f"{reverse('reports:calendar')}?unit={part.unit.key}"

    def shown(self, part) -> str:
        return f"Nhắc lần cuối ngày {part.sent_on:%d/%m/%Y}"
