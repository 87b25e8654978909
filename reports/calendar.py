"""A province's reporting calendar, and what is due (issue 20, item 7): every period of every regime the province
reports, this year and the year before, with its dates and where the province's report stands in the register.

The periods are worked out from their regimes (Decree 09/2019/NĐ-CP, Art. 12) where they are not stored yet: a
calendar never creates a period, it reads the stored ones (where the receiving body may have moved a deadline) and
works the others out in memory. A period whose data end before the province existed was reported by its
predecessors (legacy Quảng Nam for Đà Nẵng before 1 July 2025): their rows are shown, not chased.

Everything is read in a fixed number of queries whatever the number of regimes, periods and provinces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import Unit
from core.periods import Period
from reports.choices import SubmissionStatus
from reports.models import Reminder, ReportingPeriod, ReportingRegime, Submission
from reports.register import existed_in, expected_among, predecessors_of, units_of_level

# How far ahead a report counts as due on the home page.
DUE_DAYS = 30
# How far back the central body's list of units that have not reported looks.
LOOK_BACK_DAYS = 365
# The statuses in which a unit still owes its report: never sent, or sent back to it.
OUTSTANDING = (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFTING, SubmissionStatus.RETURNED)


def calendar_years(today: dt.date) -> tuple[int, int]:
    """The years a calendar shows: the current one and the one before."""
    return today.year - 1, today.year


def regime_periods(regimes: list[ReportingRegime], years) -> list[ReportingPeriod]:
    """The periods of ``regimes`` in ``years``: the stored ones (one query), the others worked out from their regime
    and not saved (their ``pk`` is None)."""
    labels = {label for regime in regimes for year in years for label in regime.periods_of(year)}
    stored = {
        (period.regime_id, period.period): period
        for period in ReportingPeriod.objects.filter(regime__in=regimes, period__in=sorted(labels))
    }
    found = []
    for regime in regimes:
        for year in years:
            for label in regime.periods_of(year):
                period = stored.get((regime.pk, label))
                if period is None:
                    period = ReportingPeriod(regime=regime, period=label, **regime.dates_for(Period.parse(label)))
                else:
                    period.regime = regime
                found.append(period)
    return found


def _predecessors(units: list[Unit]) -> dict[int, list[Unit]]:
    """Each unit's predecessors, transitively (reports.register.predecessors_of), by name."""
    found = predecessors_of({unit.pk for unit in units})
    ids = {pk for pks in found.values() for pk in pks}
    by_pk = Unit.objects.in_bulk(ids) if ids else {}
    return {origin: sorted((by_pk[pk] for pk in pks), key=lambda unit: unit.name) for origin, pks in found.items()}


@dataclass
class CalendarEntry:
    """One period of a regime in a province's calendar, with the unit expected to report it (the province, or a
    predecessor before the province existed; None when no unit of the province's line was expected)."""

    province: Unit
    period: ReportingPeriod
    unit: Unit | None
    submission: Submission | None
    reminded_on: dt.date | None
    today: dt.date
    # The unit's report of the period in the product, if one is begun (reports.models.Report).
    report: object = None

    def __str__(self) -> str:
        return f"{self.period.regime.name_vi} — {self.period.period_display}"

    @property
    def regime(self) -> ReportingRegime:
        return self.period.regime

    @property
    def anchor(self) -> str:
        return f"period-{self.regime.key}-{self.period.period}"

    @property
    def deadline(self) -> dt.date:
        return self.period.deadline

    @property
    def expected(self) -> bool:
        return self.unit is not None

    @property
    def own(self) -> bool:
        """Whether the province itself is expected to report (not a predecessor)."""
        return self.unit is not None and self.unit.pk == self.province.pk

    @property
    def status(self) -> str:
        if self.submission is not None:
            return self.submission.status
        return SubmissionStatus.DRAFTING if self.report is not None else SubmissionStatus.NOT_STARTED

    # The user's own part of the province's report, where a department's or a commune's officer reads the calendar
    # (reports.views.CalendarView sets it).
    contribution: object = None

    @property
    def contribution_url(self) -> str:
        """The form that begins a department's or a commune's part for this regime and period."""
        return f"{reverse('reports:report_add')}?{urlencode({'regime': self.regime.pk, 'period': self.period.period})}"

    def report_url(self) -> str:
        """The unit's report of the period, or the form that begins it for this regime and period."""
        if self.report is not None:
            return self.report.get_absolute_url()
        query = urlencode({"regime": self.regime.pk, "period": self.period.period})
        return f"{reverse('reports:report_add')}?{query}"

    @property
    def status_label(self) -> str:
        return str(SubmissionStatus(self.status).label)

    @property
    def outstanding(self) -> bool:
        """Whether the report is still owed: expected, and never sent or returned."""
        return self.expected and self.status in OUTSTANDING

    @property
    def overdue(self) -> bool:
        """Whether the province's own report is past its deadline and not sent: a predecessor's period before the
        merger is history, shown with its status and not chased."""
        return self.own and self.outstanding and self.today > self.period.deadline

    @property
    def days_overdue(self) -> int:
        return (self.today - self.period.deadline).days if self.overdue else 0

    @property
    def days_late(self) -> int | None:
        return self.submission.days_late if self.submission is not None else None

    @property
    def due_soon(self) -> bool:
        return self.own and self.outstanding and self.today <= self.deadline <= self.today + dt.timedelta(days=DUE_DAYS)

    def calendar_url(self) -> str:
        return f"{reverse('reports:calendar')}?unit={self.province.key}#{self.anchor}"

    def note(self) -> str:
        parts = [self.status_label]
        if self.reminded_on is not None:
            parts.append(_("Last reminded on %(date)s") % {"date": f"{self.reminded_on:%d/%m/%Y}"})
        return " · ".join(parts)


def calendar_entries(provinces: list[Unit], user, today: dt.date, years=None) -> list[CalendarEntry]:
    """The calendars of ``provinces`` as ``user`` may see them, in order of deadline, in a fixed number of queries:
    the regimes, the stored periods, the predecessors, the register's rows and the reminders."""
    if not provinces:
        return []
    years = years or calendar_years(today)
    levels = {unit.level for unit in provinces}
    regimes = list(
        ReportingRegime.objects.filter(reporting_level__in=levels).select_related("recipient").order_by("key")
    )
    if not regimes:
        return []
    periods = regime_periods(regimes, years)
    stored = [period for period in periods if period.pk]
    predecessors = _predecessors(provinces)
    units = {unit.pk: unit for unit in provinces}
    units.update((unit.pk, unit) for found in predecessors.values() for unit in found)
    rows: dict[tuple[int, int], Submission] = {}
    reminded: dict[tuple[int, int], dt.date] = {}
    if stored:
        submissions = Submission.objects.filter(reporting_period__in=stored, owner__in=list(units)).restrict(user)
        # A unit with several rows counts by its earliest row sent (as the register counts it).
        for submission in sorted(submissions, key=lambda row: (row.sent_on is None, row.sent_on or today, row.pk)):
            rows.setdefault((submission.reporting_period_id, submission.owner_id), submission)
        reminders = (
            Reminder.objects.filter(reporting_period__in=stored, unit__in=list(units))
            .restrict(user)
            .values("reporting_period_id", "unit_id")
            .annotate(last=Max("sent_on"))
            .order_by()
        )
        reminded = {(row["reporting_period_id"], row["unit_id"]): row["last"] for row in reminders}
    reports = {}
    if stored:
        from reports.models import Report

        found = Report.objects.filter(reporting_period__in=stored, owner__in=list(units)).restrict(user)
        reports = {(report.reporting_period_id, report.owner_id): report for report in found}
    entries = []
    for province in provinces:
        line = [province, *predecessors[province.pk]]
        for period in periods:
            if period.regime.reporting_level != province.level:
                continue
            expected = [unit for unit in line if unit.level == province.level and existed_in(unit, period)]
            for unit in expected or [None]:
                key = (period.pk, unit.pk if unit else None)
                submission = rows.get(key)
                if submission is not None:
                    submission.reporting_period = period
                    submission.owner = unit
                entries.append(
                    CalendarEntry(province, period, unit, submission, reminded.get(key), today, reports.get(key))
                )
    entries.sort(key=lambda entry: (entry.deadline, entry.regime.key, entry.unit.name if entry.unit else ""))
    return entries


def provinces_of(user, action: str, today: dt.date) -> list[Unit]:
    """The provinces (today's, not legacy ones) whose reports ``user`` writes: those within the user's reach for
    ``action``. A user whose reach is every unit (a central body) has none of its own."""
    from core.choices import PROVINCE_KINDS, UnitLevel

    reach = Submission.policy.reach(user, action)
    if reach.everything or reach.empty:
        return []
    units = Unit.objects.filter(reach.q(""), level=UnitLevel.PROVINCE, kind__in=PROVINCE_KINDS, is_legacy=False)
    return [unit for unit in units.order_by("name") if unit.valid_to is None or unit.valid_to >= today]


def reports_due(user, action: str, today: dt.date) -> list[CalendarEntry]:
    """The reports the user's provinces owe: not sent (or returned), due within ``DUE_DAYS`` days or overdue, the
    longest overdue first. A predecessor's period (before the province existed) is history, not chased."""
    entries = calendar_entries(provinces_of(user, action, today), user, today)
    horizon = today + dt.timedelta(days=DUE_DAYS)
    return [entry for entry in entries if entry.own and entry.outstanding and entry.deadline <= horizon]


@dataclass
class PeriodMissing:
    """A period past its deadline with the units expected that have not sent their report."""

    period: ReportingPeriod
    missing: list[Unit]
    reminded_on: dt.date | None

    def __str__(self) -> str:
        return f"{self.period.regime.name_vi} — {self.period.period_display}"

    def register_url(self) -> str:
        return f"{reverse('reports:register')}?regime={self.period.regime.key}&period={self.period.period}"

    def note(self) -> str:
        names = ", ".join(unit.name for unit in self.missing)
        text = _("%(count)s not reported: %(names)s") % {"count": len(self.missing), "names": names}
        if self.reminded_on is not None:
            text = f"{_('Last reminded on %(date)s') % {'date': f'{self.reminded_on:%d/%m/%Y}'}} · {text}"
        return text


def units_not_reported(user, action: str, today: dt.date) -> list[PeriodMissing]:
    """The periods whose deadline passed in the last ``LOOK_BACK_DAYS`` days with units that have not sent their
    report, the longest overdue first: for the receiving body, who reminds them (the register page)."""
    regimes = list(ReportingRegime.objects.order_by("key"))
    if not regimes:
        return []
    since = today - dt.timedelta(days=LOOK_BACK_DAYS)
    periods = [
        period
        for period in regime_periods(regimes, range(today.year - 2, today.year + 1))
        if since <= period.deadline < today
    ]
    units = units_of_level({period.regime.reporting_level for period in periods}) if periods else []
    stored = [period for period in periods if period.pk]
    sent: set[tuple[int, int]] = set()
    reminded: dict[int, dt.date] = {}
    if stored:
        rows = Submission.objects.filter(reporting_period__in=stored, sent_on__isnull=False).restrict(user)
        sent = set(rows.values_list("reporting_period_id", "owner_id"))
        reminders = (
            Reminder.objects.filter(reporting_period__in=stored)
            .restrict(user)
            .values("reporting_period_id")
            .annotate(last=Max("sent_on"))
            .order_by()
        )
        reminded = {row["reporting_period_id"]: row["last"] for row in reminders}
    found = []
    for period in periods:
        missing = [unit for unit in expected_among(units, period) if (period.pk, unit.pk) not in sent]
        if missing:
            found.append(PeriodMissing(period, missing, reminded.get(period.pk)))
    found.sort(key=lambda row: (row.period.deadline, row.period.regime.key))
    return found
