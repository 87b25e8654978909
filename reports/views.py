"""The register page: a regime's period with every expected unit, who reported when, who is late, who has not
reported, the flagged rows, and each unit's timeliness over past periods (issue 20, item 4)."""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.styles import Font

from activities.statistics import UnitChoiceMixin
from core.choices import PROVINCE_KINDS, UnitLevel
from core.collation import sort_key
from core.models import Unit
from core.report_kinds import document_filename, period_for_files, report_job_start
from core.views import RecordVerbView
from reports import dashboard
from reports.calendar import calendar_entries, calendar_years
from reports.models import Reminder, Report, ReportingPeriod, ReportingRegime, Submission
from reports.regimes import regime_named, reporting_period
from reports.register import build_register, build_registers, summary, timeliness
from reports.report import PDF_AND_WORD
from reports.services import send_reminders
from reports.verbs import FIGURE_VERBS, REPORT_VERBS


def _default_period(regime: ReportingRegime) -> str:
    """The latest period of the regime with rows in the register, else the last period whose data are cut off."""
    latest = (
        ReportingPeriod.objects.filter(regime=regime, submissions__deleted_at__isnull=True)
        .filter(submissions__isnull=False)
        .order_by("-data_to")
        .values_list("period", flat=True)
        .first()
    )
    if latest:
        return latest
    today = timezone.localdate()
    year = today.year if today.month == 12 and today.day > 14 else today.year - 1
    return str(year)


class RegisterView(LoginRequiredMixin, TemplateView):
    """``?regime=KEY&period=2017-H1``; ``&export=xlsx`` gives the table on screen as a workbook."""

    template_name = "reports/register.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.GET.get("export") == "xlsx" and context.get("register") is not None:
            return self.export(context)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        regimes = list(ReportingRegime.objects.order_by("key"))
        key = self.request.GET.get("regime", "")[:64].strip() or (regimes[-1].key if regimes else "")
        errors, regime, period = [], None, None
        try:
            regime = regime_named(key)
        except ValidationError as exc:
            errors.extend(exc.messages)
        period_text = self.request.GET.get("period", "")[:20].strip()
        if regime is not None:
            period_text = period_text or _default_period(regime)
            try:
                period = reporting_period(regime, period_text)
            except ValidationError as exc:
                errors.extend(exc.messages)
        # The example in the period's box fits the regime chosen (2017 for a yearly one, never 2017-H1, which it
        # refuses); the page's script changes it with the regime.
        examples = {option.key: option.periods_of(2017)[0] for option in regimes}
        context.update(
            regimes=regimes,
            regime=regime,
            period_text=period_text,
            period_example=examples.get(regime.key if regime else key, "2017"),
            period_examples_json=json.dumps(examples),
            errors=errors,
            register=None,
        )
        if period is None:
            return context
        # A central viewer sees every expected unit; a province the register of its own units only, as the API
        # answers it (build_register keeps the units within the user's reach).
        national = Submission.policy.reach(user, "view").everything
        # The central dashboard's rates over the past periods (reports.dashboard): their registers read with this one.
        recent = dashboard.recent_periods(regime) if national else []
        registers = build_registers([period, *(item for item in recent if item.pk != period.pk)], user)
        register = registers[period.pk]
        rows = register.rows
        query = f"regime={regime.key}&period={period.period}"
        # The day each unit was last reminded of the period (reports.services.send_reminders).
        reminded = dict(
            Reminder.objects.filter(reporting_period=period)
            .restrict(user)
            .values("unit_id")
            .annotate(last=Max("sent_on"))
            .order_by()
            .values_list("unit_id", "last")
        )
        # The report itself where it was sent through the product: the register leads to it (one query).
        reports = {
            report.owner_id: report.get_absolute_url()
            for report in Report.objects.filter(reporting_period=period).restrict(user).only("pk", "owner_id")
        }
        for row in rows:
            row.reminded_on = reminded.get(row.unit.pk)
            row.report_url = reports.get(row.unit.pk, "")
        receive = Submission.policy.reach(user, "receive")
        # The national report of the period, for those who read every province (reports.national_document).
        national_report = national and isinstance(regime.outline, dict) and bool(regime.outline.get("national"))
        context.update(
            national_report=national_report,
            may_remind=not receive.empty and any(receive.covers(row.unit) for row in register.missing),
            remind_url=reverse("reports:remind"),
            period=period,
            register=register,
            rows=rows,
            national=national,
            figures=summary(register),
            history=timeliness(regime, user) if national else None,
            export_url=f"{reverse('reports:register')}?{query}&export=xlsx",
            rows_url=f"{reverse('reports:submission_list')}?{query}",
            import_url=reverse("reports:submission_import"),
            may_import=Submission.policy.reach(user, "change").everything,
            period_url=period.get_absolute_url(),
        )
        if national:
            context.update(self.central_dashboard(regime, period, rows, [registers[item.pk] for item in recent]))
        return context

    def central_dashboard(self, regime, period, rows, past) -> dict:
        """The central dashboard (issue 20, item 7): the tiles by status, by an indicator (``?indicator=CODE``, the
        regime's first by default) from the reports as sent (one query), and the rates over the past periods."""
        choices = dashboard.indicator_choices(regime)
        chosen = self.request.GET.get("indicator", "")[:64]
        chosen = chosen if chosen in dict(choices) else (choices[0][0] if choices else "")
        indicator_tiles, indicator_legend = [], []
        if chosen:
            indicator_tiles, indicator_legend = dashboard.indicator_tiles(rows, dashboard.sent_figures(period), chosen)
        rates = dashboard.rates_over_time(past)
        return {
            "status_tiles": dashboard.status_tiles(rows),
            "status_legend": dashboard.status_legend(rows),
            "indicator_choices": choices,
            "indicator": chosen,
            "indicator_label": dict(choices).get(chosen, ""),
            "indicator_tiles": indicator_tiles,
            "indicator_legend": indicator_legend,
            "rates": rates,
            "rates_chart": dashboard.rates_chart(rates),
        }

    def export(self, context) -> HttpResponse:
        """The register as on screen: one row per expected unit, then the rows of units not expected."""
        period, rows = context["period"], context["rows"]
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Register")[:31]
        sheet.append([f"{period.regime.name_vi} — {period.period_display}"])
        sheet["A1"].font = Font(bold=True)
        headers = [
            _("No."),
            _("Unit"),
            _("Status"),
            _("Date sent"),
            _("Date received"),
            _("Days late"),
            _("Flags"),
            _("Note"),
        ]
        sheet.append(headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for number, row in enumerate(rows, start=1):
            submission = row.submission
            sheet.append(
                [
                    number,
                    row.unit.name,
                    row.status_label,
                    submission.sent_on if submission else None,
                    submission.received_on if submission else None,
                    submission.days_late if submission else None,
                    "; ".join(submission.flag_labels()) if submission else "",
                    submission.note if submission else "",
                ]
            )
        if context["national"]:
            for submission in context["register"].unexpected:
                sheet.append(
                    [
                        None,
                        submission.owner.name,
                        submission.get_status_display(),
                        submission.sent_on,
                        submission.received_on,
                        submission.days_late,
                        "; ".join(submission.flag_labels()),
                        submission.note,
                    ]
                )
        for row in sheet.iter_rows(min_row=3):
            for cell in row[3:5]:
                cell.number_format = "DD/MM/YYYY"
        sheet.column_dimensions["B"].width = 28
        sheet.column_dimensions["C"].width = 14
        sheet.column_dimensions["G"].width = 40
        response = HttpResponse(
            _workbook_bytes(workbook),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        # Named by the regime's name, not its key: "so-theo-doi-bao-cao-tinh-hinh-...-6-thang-dau-nam-2025.xlsx".
        name = document_filename(
            f"Sổ theo dõi {period.regime.name_vi}", period_for_files(period.period), extension="xlsx"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class RemindView(LoginRequiredMixin, View):
    """POST ``regime`` and ``period``: remind the units of the period's register that have not reported (those
    who may ``receive``, the receiving body); once a unit, period and day (reports.services.send_reminders)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = request.user
        receive = Submission.policy.reach(user, "receive")
        if receive.empty:
            raise PermissionDenied(_("Only the receiving body reminds the units that have not reported."))
        try:
            regime = regime_named(request.POST.get("regime", "")[:64])
            period = reporting_period(regime, request.POST.get("period", "")[:20], create=False)
        except ValidationError:
            period = None
        if period is None:
            raise Http404
        missing = [row.unit for row in build_register(period, user).missing if receive.covers(row.unit)]
        written = send_reminders(period, missing, user, request=request)
        if written:
            messages.success(
                request,
                ngettext(
                    "A reminder was recorded for %(count)s unit that has not reported.",
                    "A reminder was recorded for %(count)s units that have not reported.",
                    len(written),
                )
                % {"count": len(written)},
            )
        else:
            messages.info(request, _("Every unit that has not reported was already reminded today."))
        return redirect(f"{reverse('reports:register')}?regime={regime.key}&period={period.period}")


class CalendarView(LoginRequiredMixin, UnitChoiceMixin, TemplateView):
    """A province's reporting calendar: ``?unit=KEY`` (the user's own province by default; a central user chooses
    one). Every period of its regimes this year and the year before, with the dates and its report's status."""

    template_name = "reports/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit, errors, _named = self.chosen_unit()
        if unit is not None and unit.level != UnitLevel.PROVINCE and unit.root_id and unit.root_id != unit.pk:
            # A department's or a commune's user: the calendar of its province.
            unit = unit.root
        if unit is not None and unit.level != UnitLevel.PROVINCE:
            errors.append(_("Choose a province: only provinces report under these regimes."))
            unit = None
        today = timezone.localdate()
        years = calendar_years(today)
        entries = calendar_entries([unit], user, today, years) if unit is not None else []
        may_draft = unit is not None and Report.policy.may(user, "change", Report(owner=unit))
        # A department's or a commune's officer writes its part of the province's reports (issue 20, item 2).
        home = user.home_unit
        may_contribute = (
            not may_draft
            and unit is not None
            and home is not None
            and home.pk != unit.pk
            and home.root_id == unit.pk
            and Report.policy.may(user, "change", Report(owner=home))
        )
        if may_contribute:
            parts = {
                report.reporting_period_id: report
                for report in Report.objects.restrict(user).filter(owner=home, reporting_period__isnull=False)
            }
            for entry in entries:
                entry.contribution = parts.get(entry.period.pk) if entry.period.pk else None
        options = [
            option
            for option in Unit.objects.filter(level=UnitLevel.PROVINCE, kind__in=PROVINCE_KINDS).order_by("name")
            if Submission.policy.reach(user, "view").covers(option)
        ]
        options.sort(key=lambda option: (option.is_legacy, sort_key(option.name)))
        context.update(
            unit=unit,
            errors=errors,
            options=options,
            today=today,
            years=[
                (year, [entry for entry in entries if entry.period.parsed.end.year == year]) for year in reversed(years)
            ],
            entries=entries,
            overdue_count=sum(1 for entry in entries if entry.overdue),
            due_count=sum(1 for entry in entries if entry.due_soon),
            register_url=reverse("reports:register"),
            # Whether the user begins the province's reports (its officers), beside opening those begun.
            may_draft=may_draft,
            may_contribute=may_contribute,
        )
        return context


class ReportActView(RecordVerbView):
    """Apply one step of a report from its page (reports.verbs)."""

    model = Report
    verbs = REPORT_VERBS
    action = "view"  # each step checks the capability it needs (reports.workflow)
    conflict_message = gettext_lazy("Someone else changed this report meanwhile; check it and try again.")


class ReportFigureView(RecordVerbView):
    """Choose the value of a figure whose sources disagree, with the reason."""

    model = Report
    verbs = FIGURE_VERBS
    action = "change"


class ReportDocumentView(LoginRequiredMixin, View):
    """Start the job that renders the report as Word or PDF (the revision sent, else the draft), then show its
    page with the progress and the download."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        record = get_object_or_404(Report.objects.restrict(request.user), pk=pk)
        fmt = request.POST.get("format", "docx")
        if fmt not in PDF_AND_WORD:
            messages.error(request, _("Choose Word or PDF."))
            return redirect(record.get_absolute_url())
        job = report_job_start(
            user=request.user,
            kind=record.reporting_period.regime.key,
            unit=record.owner,
            period=record.reporting_period.parsed,
            fmt=fmt,
            source=record,
        )
        return redirect(job.get_absolute_url())


class NationalReportView(LoginRequiredMixin, View):
    """Start the job that renders the receiving body's national report of a regime's period (the figures of the
    provinces' reports as sent, the footnotes, the appendix of who sent when), then show its page."""

    http_method_names = ["get", "post"]

    def get(self, request):
        # The address typed or bookmarked: the register of that regime and period, where the report is made from.
        query = {name: request.GET[name] for name in ("regime", "period") if request.GET.get(name)}
        return redirect(f"{reverse('reports:register')}?{urlencode(query)}" if query else reverse("reports:register"))

    def post(self, request):
        if not Submission.policy.reach(request.user, "view").everything:
            raise PermissionDenied(_("Only those who read every province's reports make the national report."))
        try:
            regime = regime_named(request.POST.get("regime", ""))
            period = reporting_period(regime, request.POST.get("period", ""), create=False)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("reports:register")
        if period is None:
            raise Http404
        job = report_job_start(
            user=request.user, kind="national", unit=regime.recipient, period=period.parsed, fmt="docx"
        )
        return redirect(job.get_absolute_url())
