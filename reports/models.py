"""Reporting regimes, their periods and the register of reports received (issue 20, items 1 and 4).

A regime is who reports what to whom, how often, with the data cut-off, the deadline, the days after the deadline
that a report still counts as on time and when a period locks: what Decree 09/2019/NĐ-CP, Art. 7 and 12, requires
every reporting regime to state. A reporting period is one period of a regime with those dates worked out (and
changed where the receiving body moved a deadline). A submission is one row of the receiving body's register: a
unit's report of a period, when it was sent and when it was received.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import UnitLevel
from core.models import BilingualModel, RegistryModel, TrackedModel, Unit, unique_live
from core.periods import Period, period_in_words
from core.policy import OwnedPolicy, ReferencePolicy
from core.scope import ScopedManager
from reports.choices import Frequency, ReportStatus, SubmissionFlag, SubmissionSource, SubmissionStatus
from reports.policy import ReportPolicy, SubmissionPolicy

_MONTH_DAY = RegexValidator(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", _("Write the month and day as MM-DD (12-15)."))


def day_month(text: str) -> str:
    """A regime's day of the year (stored as MM-DD, "12-15") as Vietnamese documents write it: "15/12"."""
    month, _separator, day = (text or "").partition("-")
    return f"{day}/{month}" if day else text


class DayMonthFormField(forms.CharField):
    """A day of the year typed as documents write it, "15/12", kept as the model stores it, "12-15" (an "MM-DD" typed
    by a spreadsheet or another system is taken as it is)."""

    def prepare_value(self, value):
        return day_month(value) if isinstance(value, str) and "-" in value else value

    def to_python(self, value):
        value = super().to_python(value).strip()
        if "/" not in value:
            return value
        day, _separator, month = value.partition("/")
        try:
            # A leap year, so that 29/02 is a day of the year.
            on = dt.date(2000, int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(value)s” is not a day of the year: write the day and month as dd/mm (15/12)."),
                code="invalid",
                params={"value": value[:10]},
            ) from exc
        return f"{on:%m-%d}"


class MonthDayField(models.CharField):
    """A regime's day of the year: stored as MM-DD ("12-15", what imports and the API read and write), typed and
    shown as Vietnamese documents write it ("15/12")."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DayMonthFormField, **kwargs})

    def display(self, value) -> str:
        return day_month(value)


def _month_day(text: str, year: int) -> dt.date:
    month, day = (int(part) for part in text.split("-"))
    # 29 February in a common year is the last day of February.
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


class ReportingRegime(BilingualModel):
    """Who reports what to whom and when (Decree 09/2019/NĐ-CP, Art. 7). The data of a period run from a day of the
    year before (15 December) to a cut-off day (14 June for a half-year, 14 December for a year, Art. 12); the
    report is due some days after the cut-off, still counts as on time a few days later, and the period locks
    some days after the deadline."""

    key = models.SlugField(_("key"), max_length=64, unique=True, help_text=_("Used in the API and in commands."))
    recipient = models.ForeignKey(
        Unit,
        verbose_name=_("receiving body"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": UnitLevel.CENTRAL},
    )
    reporting_level = models.CharField(
        _("units that report"), max_length=16, choices=UnitLevel.choices, default=UnitLevel.PROVINCE
    )
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.YEAR)
    basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    data_from = MonthDayField(
        _("data from (day of the year before)"), max_length=5, default="12-15", validators=[_MONTH_DAY]
    )
    half_year_cutoff = MonthDayField(
        _("half-year data cut-off"), max_length=5, default="06-14", validators=[_MONTH_DAY]
    )
    year_cutoff = MonthDayField(_("year data cut-off"), max_length=5, default="12-14", validators=[_MONTH_DAY])
    deadline_days = models.PositiveSmallIntegerField(
        _("days from the cut-off to the deadline"), default=6, validators=[MaxValueValidator(366)]
    )
    grace_days = models.PositiveSmallIntegerField(
        _("days after the deadline still on time"), default=0, validators=[MaxValueValidator(366)]
    )
    lock_days = models.PositiveSmallIntegerField(
        _("days after the deadline until the period locks"), default=30, validators=[MaxValueValidator(3660)]
    )
    # The indicators the regime's report states and its outline (the sections a provincial report is drafted in).
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    outline = models.JSONField(_("outline"), default=list, blank=True)

    search_fields = ("key", "name_vi", "name_en")

    class Meta:
        verbose_name = _("reporting regime")
        verbose_name_plural = _("reporting regimes")
        ordering = ["key"]

    def get_absolute_url(self) -> str:
        return reverse("reports:reportingregime", kwargs={"pk": self.pk})

    def periods_of(self, year: int) -> list[str]:
        """The labels of the regime's periods in ``year``, in order."""
        return [f"{year}-H1", str(year)] if self.frequency == Frequency.HALF_YEAR else [str(year)]

    def accepts(self, period: Period) -> bool:
        return period.kind == "year" or (period.kind == "half_year" and self.frequency == Frequency.HALF_YEAR)

    def dates_for(self, period: Period) -> dict[str, dt.date]:
        """The dates of ``period`` under this regime: the data from and to, the deadline, the last day on time,
        the day the period locks (Decree 09/2019/NĐ-CP, Art. 12)."""
        year = period.end.year
        if period.label.endswith("-H2"):
            # A second half-year is reported in the year's report; its data run from the first half's cut-off.
            data_from = _month_day(self.half_year_cutoff, year) + dt.timedelta(days=1)
            data_to = _month_day(self.year_cutoff, year)
        else:
            data_from = _month_day(self.data_from, year - 1)
            data_to = _month_day(self.half_year_cutoff if period.kind == "half_year" else self.year_cutoff, year)
        deadline = data_to + dt.timedelta(days=self.deadline_days)
        return {
            "data_from": data_from,
            "data_to": data_to,
            "deadline": deadline,
            "on_time_until": deadline + dt.timedelta(days=self.grace_days),
            "locks_on": deadline + dt.timedelta(days=self.lock_days),
        }


class ReportingPeriod(TrackedModel):
    """One period of a regime with its dates: worked out from the regime when first needed, changed by the
    receiving body where it set other dates (a request letter asking for the year's report by another day)."""

    regime = models.ForeignKey(
        ReportingRegime, verbose_name=_("regime"), on_delete=models.PROTECT, related_name="periods"
    )
    period = models.CharField(_("period"), max_length=16, help_text=_("2017-H1 for a half-year, 2017 for a year."))
    data_from = models.DateField(_("data from"))
    data_to = models.DateField(_("data cut-off"))
    deadline = models.DateField(_("deadline"))
    on_time_until = models.DateField(_("on time until"))
    locks_on = models.DateField(_("locks on"))
    request_document = models.CharField(
        _("request document"), max_length=500, blank=True, help_text=_("E.g. Công văn số 4085/BNG-VP ngày 21/10/2013.")
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ScopedManager()
    policy = ReferencePolicy()
    search_fields = ("period", "request_document")

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["regime__key", "-data_to"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "period"],
                name="reporting_period_unique",
                violation_error_message=_("This regime already has this period."),
            ),
            models.CheckConstraint(
                condition=models.Q(data_from__lte=models.F("data_to")),
                name="reporting_period_data_in_order",
                violation_error_message=_("Data cut-off: the data cannot end before they start."),
            ),
            models.CheckConstraint(
                condition=models.Q(data_to__lte=models.F("deadline")),
                name="reporting_period_cutoff_before_deadline",
                violation_error_message=_("Data cut-off: it cannot be after the deadline."),
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__lte=models.F("on_time_until"))
                & models.Q(deadline__lte=models.F("locks_on")),
                name="reporting_period_deadline_first",
                violation_error_message=_("Deadline: the last day on time and the lock cannot come before it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regime.name_vi} — {self.period_display}"

    @property
    def period_display(self) -> str:
        """The period as documents write it: 6 tháng đầu năm 2017, năm 2017 (core.periods.period_in_words)."""
        return period_in_words(self.period)

    def get_absolute_url(self) -> str:
        return reverse("reports:reportingperiod", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.period:
            try:
                parsed = Period.parse(self.period)
            except ValidationError as exc:
                errors["period"] = exc.messages
            else:
                self.period = parsed.label
                if self.regime_id and not self.regime.accepts(parsed):
                    errors["period"] = [_("Period: this regime reports by year; write 2017, not 2017-H1.")]
        if self.data_to and self.deadline and self.data_to > self.deadline:
            errors["data_to"] = [
                _("Data cut-off: it cannot be after the deadline (%(deadline)s).")
                % {"deadline": self.deadline.strftime("%d/%m/%Y")}
            ]
        if self.data_from and self.data_to and self.data_from > self.data_to:
            errors["data_from"] = [_("Data from: the data cannot start after the cut-off.")]
        if self.deadline and self.on_time_until and self.on_time_until < self.deadline:
            errors["on_time_until"] = [_("On time until: it cannot come before the deadline.")]
        if self.deadline and self.locks_on and self.locks_on < self.deadline:
            errors["locks_on"] = [_("Locks on: the period cannot lock before its deadline.")]
        if errors:
            raise ValidationError(errors)

    @property
    def parsed(self) -> Period:
        return Period.parse(self.period)


class Submission(RegistryModel):
    """One row of a receiving body's register: a unit's report of a period, sent and received. Owned by the unit
    that reports (its users see their own rows, and a successor its predecessors'); the receiving body records and
    imports the rows (SubmissionPolicy). Suspicious rows are kept and flagged, not refused."""

    reporting_period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("regime and period"), on_delete=models.PROTECT, related_name="submissions"
    )
    sent_on = models.DateField(_("date sent"), null=True, blank=True)
    received_on = models.DateField(_("date received"), null=True, blank=True)
    returned_on = models.DateField(_("date returned"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    note = models.TextField(_("note"), blank=True)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1, editable=False)
    source = models.CharField(
        _("source"), max_length=16, choices=SubmissionSource.choices, default=SubmissionSource.REGISTER, editable=False
    )
    # Worked out over the period's rows whenever one changes (reports.services.refresh_flags); the order of an
    # imported register's rows is judged when it is imported.
    flags = models.JSONField(_("flags"), default=list, blank=True, editable=False)

    policy = SubmissionPolicy()
    search_fields = ("note",)

    class Meta:
        verbose_name = _("report received")
        verbose_name_plural = _("reports received")
        ordering = ["reporting_period", models.F("sent_on").asc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["reporting_period", "owner"], name="submission_period_unit_idx")]

    def __str__(self) -> str:
        return f"{self.owner.name} — {self.reporting_period}"

    def save(self, *args, **kwargs):
        # Whether a row is a duplicate depends on the period's other rows: every path that writes one (the form, the
        # API, moving to the trash and back) works the period's flags out again. The import writes in bulk and
        # works them out once (reports.importing).
        from reports.services import refresh_flags

        rows = type(self).all_objects.unrestricted("the row being saved")
        previous = rows.filter(pk=self.pk).values_list("reporting_period_id", flat=True).first()
        super().save(*args, **kwargs)
        refresh_flags(self.reporting_period)
        if previous and previous != self.reporting_period_id:
            refresh_flags(ReportingPeriod.objects.get(pk=previous))
        self.flags = rows.filter(pk=self.pk).values_list("flags", flat=True).get()

    def clean(self) -> None:
        super().clean()
        if self.returned_on and not self.return_reason.strip():
            raise ValidationError({"return_reason": _("Reason for returning: say why the report is returned.")})

    @property
    def status(self) -> str:
        if self.returned_on:
            return SubmissionStatus.RETURNED
        if self.received_on:
            return SubmissionStatus.RECEIVED
        if self.sent_on:
            return SubmissionStatus.SUBMITTED
        return SubmissionStatus.NOT_STARTED

    def get_status_display(self) -> str:
        return str(SubmissionStatus(self.status).label)

    @property
    def days_late(self) -> int | None:
        """Days after the deadline the report was sent (0 when on or before it); None when not sent."""
        if self.sent_on is None:
            return None
        return max(0, (self.sent_on - self.reporting_period.deadline).days)

    @property
    def on_time(self) -> bool | None:
        if self.sent_on is None:
            return None
        return self.sent_on <= self.reporting_period.on_time_until

    def flag_labels(self) -> list[str]:
        return [str(SubmissionFlag(flag).label) for flag in self.flags if flag in SubmissionFlag.values]


class Reminder(models.Model):
    """A reminder the receiving body sent a unit that has not reported a period (issue 20, item 7): one a unit,
    period and day, however many times the button is pressed. Owned, for who sees it, by the unit reminded: the
    receiving body writes it from the register page, the unit reads it in its to-do list and on its calendar."""

    reporting_period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("regime and period"), on_delete=models.PROTECT, related_name="reminders"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit reminded"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    sent_on = models.DateField(_("sent on"), editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True)

    objects = ScopedManager()
    policy = OwnedPolicy()
    # Scoped by the unit reminded itself (scope_prefix), not through a parent record.
    scope_parent = ""

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_period", "unit", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.reporting_period} — {self.sent_on:%d/%m/%Y}"

    @classmethod
    def scope_prefix(cls) -> str:
        return "unit__"

    def scope_unit(self) -> Unit | None:
        return self.unit if self.unit_id else None


class Report(RegistryModel):
    """A unit's report to a regime for a period (issue 20, items 2 and 3): the text of each section of the regime's
    outline as its author writes it, with the figures written as ``{{code}}`` and filled in from the registries and
    the declared figures whenever the report is shown (reports.drafting); the header, the recipients and the
    signature block; the author's choice for each figure whose declared and computed values disagree. Sending it
    freezes a revision (ReportRevision) and writes the register's row; reopening it needs a reason and makes the
    next revision."""

    reporting_period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("regime and period"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFTING, editable=False
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1, editable=False)
    number = models.CharField(_("number and symbol"), max_length=64, default="…/BC-UBND")
    place = models.CharField(_("place"), max_length=100, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    responds_to = models.CharField(
        _("in answer to"), max_length=500, blank=True, help_text=_("The request this report answers.")
    )
    # {section key: text}; one paragraph a line.
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    # {indicator code: {"source": "declared" | "computed", "reason": text}}: the value the author keeps where the
    # declared and the computed values disagree, and why.
    figure_choices = models.JSONField(_("figures chosen"), default=dict, blank=True, editable=False)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    signature_authority = models.CharField(
        _("signing on behalf of"), max_length=200, default="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"
    )
    signer_title = models.CharField(_("title of the signer"), max_length=200, default="PHÓ CHỦ TỊCH")
    signer_name = models.CharField(_("name of the signer"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    return_reason = models.TextField(_("reason for returning"), blank=True, editable=False)
    # Why the leader sent the report back to be corrected before approving it (cleared once it is reviewed again).
    sent_back_reason = models.TextField(_("reason for sending back"), blank=True, editable=False)

    search_fields = ("number", "responds_to")
    # Read where it is written until it is sent; then by the central bodies too, as sent (reports.policy).
    policy = ReportPolicy()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["reporting_period", "owner"]
        constraints = [
            unique_live(
                "owner", "reporting_period", message=_("This unit already has a report for this regime and period.")
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner.name} — {self.reporting_period}"

    @property
    def regime(self) -> ReportingRegime:
        return self.reporting_period.regime

    def refusal_to_trash(self) -> str | None:
        """A report sent (and received, or returned to be corrected and sent again) stays: the receiving body's
        register counts it and the period's records are frozen by it; it changes by its own steps, reopened with a
        reason (reports.workflow)."""
        from reports.freezing import FROZEN

        if self.status not in FROZEN:
            return None
        return _(
            "The report “%(report)s” has been sent: it is neither changed nor deleted as it is; to change it, reopen "
            "it (with a reason)."
        ) % {"report": f"{self.owner.name} — {self.reporting_period.regime}"}

    def history_key_label(self, field_name: str, key: str) -> str:
        """A section by its title in the regime's outline, a figure chosen by its indicator's label: the history
        says which text changed, not its key."""
        if field_name == "sections":
            from reports.drafting import outline

            # Read once for the page's whole history (each version names its sections again).
            if getattr(self, "_section_titles", None) is None:
                self._section_titles = {section.key: section.title for section in outline(self.regime).sections}
            return self._section_titles.get(key) or key
        if field_name == "figure_choices":
            from core.indicators import catalogue

            indicator = catalogue().get(key)
            return str(indicator.label) if indicator is not None else key
        return key

    def clean(self) -> None:
        super().clean()
        from reports.drafting import text_errors

        if not isinstance(self.sections, dict) or not all(
            isinstance(key, str) and isinstance(text, str) for key, text in self.sections.items()
        ):
            raise ValidationError({"sections": _("Sections: give each section's text by its key.")})
        errors = [error for text in self.sections.values() for error in text_errors(text)]
        if errors:
            raise ValidationError({"sections": errors})

    @property
    def frozen(self) -> bool:
        """Sent (and not reopened): its text and figures are those of its last revision."""
        from reports.freezing import FROZEN

        return self.status in FROZEN

    @property
    def is_contribution(self) -> bool:
        """A department's or a commune's part of its province's report (issue 20, item 2: they contribute their
        sections and figures before the province compiles): a report of a unit below the level the regime expects.
        Sent, it goes to the province, not to the receiving body's register."""
        return self.owner.level != self.reporting_period.regime.reporting_level

    @property
    def contribution_due(self) -> dt.date:
        """The day the departments' and communes' parts are due: some days before the province's deadline (the
        regime's outline says how many; ten by default)."""
        outline = self.reporting_period.regime.outline
        days = (outline.get("contributions") or {}).get("days_before_deadline", 10) if isinstance(outline, dict) else 10
        return self.reporting_period.deadline - dt.timedelta(days=days)


def figure_values(figures: dict) -> dict[str, list]:
    """``{code: [value, previous, currency]}`` of a revision's figures (reports.drafting.figures), as strings: what
    ReportRevision.figure_values keeps (the currency of a sum of money is the one its sources declared)."""
    return {
        code: [_stated(figure.get("value")), _stated(figure.get("previous")), figure.get("currency") or ""]
        for code, figure in figures.items()
        if isinstance(figure, dict)
    }


def _stated(value) -> str | None:
    return None if value in (None, "") else str(value)


def stated_decimal(value) -> Decimal | None:
    """A value of figure_values as a number (None where not stated or not a number)."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


class ReportRevision(models.Model):
    """What a report said when it was sent (issue 20, item 3): the sections with their figures filled in, every
    figure with its value, source and change, frozen. Later changes to the registries do not change it; a reopened
    report is sent again as the next revision, and the two are shown side by side with what changed."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    content = models.JSONField(_("content"))
    # Each figure's value, previous value and currency as sent, {code: [value, previous, currency]} (strings, None
    # where not stated):
    # written with the content (figure_values), what the national figures and the dashboard read of every province's
    # revision without decoding its whole content (issue 20, item 5).
    figure_values = models.JSONField(_("figure values"), default=dict, editable=False)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why the report was reopened after this revision was sent (empty for the last one).
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    objects = ScopedManager()
    policy = OwnedPolicy()
    scope_parent = "report"

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        ordering = ["report", "revision"]
        constraints = [models.UniqueConstraint(fields=["report", "revision"], name="report_revision_once")]

    def __str__(self) -> str:
        return f"{self.report} — {self.revision}"

    @classmethod
    def scope_prefix(cls) -> str:
        return "report__owner__"

    def scope_unit(self) -> Unit | None:
        return self.report.owner
