"""The register page: a regime's period with every expected unit, who reported when, who is late, who has not
reported, the flagged rows, and each unit's timeliness over past periods (issue 20, item 4)."""

from __future__ import annotations

import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.styles import Font

from core.scope import scope_for
from reports.models import ReportingPeriod, ReportingRegime
from reports.regimes import regime_named, reporting_period
from reports.register import build_register, summary, timeliness
from reports.registries import SUBMISSIONS


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
        context.update(regimes=regimes, regime=regime, period_text=period_text, errors=errors, register=None)
        if period is None:
            return context
        # A central viewer sees every expected unit; a province the register of its own units only, as the API
        # answers it (build_register keeps the units within the user's reach).
        register = build_register(period, user)
        national = scope_for(user, "view").everything
        rows = register.rows
        query = f"regime={regime.key}&period={period.period}"
        context.update(
            period=period,
            register=register,
            rows=rows,
            national=national,
            figures=summary(register),
            history=timeliness(regime, user) if national else None,
            export_url=f"{reverse('reports:register')}?{query}&export=xlsx",
            rows_url=f"{reverse('reports:submission_list')}?{query}",
            import_url=reverse("reports:submission_import"),
            may_import=SUBMISSIONS.policy.reach(user, "change").everything,
            period_url=period.get_absolute_url(),
        )
        return context

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
        name = f"so-theo-doi-bao-cao-{period.regime.key}-{period.period}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
