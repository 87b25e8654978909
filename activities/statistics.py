"""The statistics of foreign-affairs activities and their calendar (issue 19, item 7).

Every provincial summary counts its delegations and person-trips each way and compares them with the year before
("164 đoàn với 730 lượt người, giảm 25 đoàn và 34 lượt người so với năm 2012"). The statistics page shows, for a
unit the user may see and a period, every indicator of the activities app (those the app computes, whatever
record types register theirs, and those its summaries state that no registry computes yet), with the previous
period's value and the change; the breakdowns by country and by level; the last five years and the countries as
charts; and the same table as an Excel workbook. The values come from core.indicators: computed from the
registries, or declared (the figures a document states, for the years before the registries were kept).

The calendar lists the unit's delegations, conferences, press visits and events of a month, through each model's
policy; a record dated only to its month or its year is listed apart, never at a day it does not state.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.styles import Font

from activities.models import Conference, Delegation, Event, PressVisit
from core.audit import audit
from core.choices import ORGANISATION_KINDS, AuditAction, DatePrecision, Qualifier, UnitLevel
from core.collation import sort_key
from core.filtersets import unit_label, unit_portfolio_q
from core.indicators import BREAKDOWN_LABELS, catalogue, indicator_series
from core.models import Unit
from core.periods import MIN_YEAR, Period, partial_date
from core.scope import scope_for
from core.tabular import safe_cell

# Figures the activities summaries state that no registry computes yet (core.indicators holds them as declared
# figures): shown with the app's own, from their declared values, until a record type registers a computation.
SUMMARY_FIGURES = (
    "outgoing_leadership_delegations",
    "international_conferences",
    "foreign_press_groups",
    "foreign_reporters",
    "promotion_events_abroad",
    "diplomatic_anniversaries",
    "awards_received",
    "awards_proposed",
)

# The sections of the page, in the order the summaries give them, each with its indicators in the summaries' order
# (within the delegations: out, how they were paid for and planned, then in). An indicator of the app that no section
# names (one a record type registers later) is shown under "Other figures" until it is placed here.
SECTIONS = (
    (
        "delegations",
        gettext_lazy("Delegations out and in"),
        (
            "outgoing_delegations",
            "outgoing_person_trips",
            "outgoing_leadership_delegations",
            "outgoing_state_funded_delegations",
            "outgoing_planned_delegations",
            "outgoing_arising_delegations",
            "incoming_delegations",
            "incoming_visitors",
        ),
    ),
    ("conferences", gettext_lazy("International conferences and workshops"), ("international_conferences",)),
    ("press", gettext_lazy("Foreign press"), ("foreign_press_groups", "foreign_reporters")),
    ("events", gettext_lazy("Events"), ("promotion_events_abroad", "diplomatic_anniversaries")),
    ("awards", gettext_lazy("Awards"), ("awards_received", "awards_proposed")),
)
OTHER_SECTION = ("other", gettext_lazy("Other figures"))
_PLACE = {code: (index, order) for index, (_k, _l, codes) in enumerate(SECTIONS) for order, code in enumerate(codes)}
# The chart of countries: the delegations each way (the breakdown of the period's computed values).
COUNTRY_CHART_CODES = ("outgoing_delegations", "incoming_delegations")
CHART_YEARS = 5
TOP_COUNTRIES = 12
MINUS = "\u2212"  # the typographic minus: "−25 (−13,2%)"


def statistics_codes() -> list[str]:
    """The indicators of the page: every one the activities app computes, and the summaries' declared ones."""
    codes = [code for code, item in catalogue().items() if item.app == "activities" or code in SUMMARY_FIGURES]
    return sorted(codes, key=lambda code: _PLACE.get(code, (len(SECTIONS), 0)))


def _section(code: str) -> tuple[str, str]:
    index = _PLACE.get(code, (len(SECTIONS), 0))[0]
    key, label = (SECTIONS[index][0], SECTIONS[index][1]) if index < len(SECTIONS) else OTHER_SECTION
    return key, str(label)


def signed_number(value) -> str:
    """A number as the reader's language writes it, grouped (1.234 in Vietnamese), with a typographic minus."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        value = int(value)
    return number_format(value, force_grouping=True).replace("-", MINUS)


def change_text(change, previous) -> str:
    """The change against the previous period, absolute and in percent: "−25 (−13,2%)", "+3", "—" unknown."""
    if change is None:
        return "—"
    text = ("+" if change > 0 else "") + signed_number(change)
    percent = change_percent(change, previous)
    if percent is not None:
        sign = "+" if percent > 0 else ""
        text += f" ({sign}{number_format(percent, decimal_pos=1, force_grouping=True).replace('-', MINUS)}%)"
    return text


def change_percent(change, previous) -> Decimal | None:
    """The change in percent of the previous value, to one decimal; None where the previous value is 0 or unknown."""
    if change is None or not previous:
        return None
    return (Decimal(change) * 100 / Decimal(previous)).quantize(Decimal("0.1"))


def _breakdowns(breakdown: dict) -> list[tuple[str, list[tuple[str, int]]]]:
    # An item counted 0 (an incoming delegation whose members were not recorded, weighed in person-trips) says nothing.
    shown = {key: [(name, count) for name, count in items.items() if count] for key, items in breakdown.items()}
    return [(str(BREAKDOWN_LABELS.get(key, key)), items) for key, items in shown.items() if items]


@dataclass
class StatisticsRow:
    """One indicator of the page, as shown and exported."""

    code: str
    section: str
    section_label: str
    label: str
    measure: str
    value: Decimal | None
    source: str | None
    qualifier: str
    previous: Decimal | None
    previous_source: str | None
    change: Decimal | None
    records_url: str
    declared_url: str
    computed: Decimal | None  # the records counted, when a declared figure above them answers
    breakdowns: list

    @property
    def value_text(self) -> str:
        return signed_number(self.value)

    @property
    def previous_text(self) -> str:
        return signed_number(self.previous)

    @property
    def change_text(self) -> str:
        return change_text(self.change, self.previous)

    @property
    def change_percent(self) -> Decimal | None:
        return change_percent(self.change, self.previous)

    @property
    def computed_text(self) -> str:
        return signed_number(self.computed)

    @property
    def qualifier_text(self) -> str:
        if not self.qualifier or self.qualifier == Qualifier.EXACT:
            return ""
        return str(Qualifier(self.qualifier).label) if self.qualifier in Qualifier.values else ""


def chart_years(period: Period) -> list[Period]:
    """The last CHART_YEARS years up to the period's last year."""
    last = period.end.year
    return [Period.parse(str(year)) for year in range(max(MIN_YEAR, last - CHART_YEARS + 1), last + 1)]


def statistics_values(unit: Unit, period: Period) -> dict[str, dict[str, dict]]:
    """Every value of the page, ``{code: {period label: value}}``: the period, the one before it and the chart's
    years, computed in one run (core.indicators.indicator_series), so that what the computations load is loaded
    once. The caller has checked that the user may see the unit."""
    periods = list(dict.fromkeys([*chart_years(period), period.previous(), period]))
    return indicator_series(unit=unit, periods=periods, codes=statistics_codes())


def statistics_rows(period: Period, values: dict[str, dict[str, dict]]) -> list[StatisticsRow]:
    """The page's indicators for ``period``, each with the previous period's value and the change, as
    core.indicators.indicator_values gives them."""
    previous_label = period.previous().label
    rows = []
    for code, by_period in values.items():
        value, previous = by_period[period.label], by_period[previous_label]
        indicator = catalogue()[code]
        section, section_label = _section(code)
        declared = value["declared"]
        change = None
        if value["value"] is not None and previous["value"] is not None:
            change = value["value"] - previous["value"]
        rows.append(
            StatisticsRow(
                code=code,
                section=section,
                section_label=section_label,
                label=str(indicator.label),
                measure=str(indicator.measure),
                value=value["value"],
                source=value["source"],
                qualifier=value["qualifier"] or "",
                previous=previous["value"],
                previous_source=previous["source"],
                change=change,
                records_url=value["records_url"] if value["source"] == "computed" or "computed" in value else "",
                declared_url=declared[0]["url"] if value["source"] == "declared" and declared else "",
                computed=value.get("computed"),
                breakdowns=_breakdowns(value["breakdown"]),
            )
        )
    return rows


def grouped(rows: list[StatisticsRow]) -> list[tuple[str, str, list[StatisticsRow]]]:
    """The rows by section, in the order of the rows (statistics_codes orders them by section)."""
    sections: dict[str, tuple[str, list]] = {}
    for row in rows:
        sections.setdefault(row.section, (row.section_label, []))[1].append(row)
    return [(key, label, items) for key, (label, items) in sections.items()]


def year_series(period: Period, values: dict[str, dict[str, dict]]) -> dict:
    """The chart's years and, for each indicator counted (not money) with a value in one of them, its values (None
    where unknown) and whether each is declared: the chart and the table by year."""
    years = chart_years(period)
    series = []
    for code in values:
        if catalogue()[code].money:
            continue
        by_year = [values[code][year.label] for year in years]
        if all(item["value"] is None for item in by_year):
            continue
        indicator = catalogue()[code]
        series.append(
            {
                "code": code,
                "name": str(indicator.label),
                "money": indicator.money,
                "values": [None if item["value"] is None else float(item["value"]) for item in by_year],
                "texts": [signed_number(item["value"]) for item in by_year],
                "declared": [item["source"] == "declared" for item in by_year],
            }
        )
    return {"years": [year.label for year in years], "series": series}


def country_series(rows: list[StatisticsRow]) -> dict:
    """The delegations each way by country (the period's recorded delegations), the countries with most first."""
    by_code = {row.code: row for row in rows}
    counts = {code: dict(_country_items(by_code[code])) for code in COUNTRY_CHART_CODES if code in by_code}
    totals: dict[str, int] = {}
    for items in counts.values():
        for country, count in items.items():
            totals[country] = totals.get(country, 0) + count
    countries = sorted(totals, key=lambda name: (-totals[name], sort_key(name)))[:TOP_COUNTRIES]
    return {
        "countries": countries,
        "series": [
            {"name": by_code[code].label, "values": [counts[code].get(country, 0) for country in countries]}
            for code in counts
        ],
    }


def _country_items(row: StatisticsRow) -> list[tuple[str, int]]:
    label = str(BREAKDOWN_LABELS["by_country"])
    return next((items for dimension, items in row.breakdowns if dimension == label), [])


def unit_options(user, chosen: Unit | None) -> list[tuple[str, list[tuple[Unit, str]]]]:
    """The units offered: the provinces (and central bodies) the user may see, with the organisations right under
    them, current before legacy; the unit chosen is always among them."""
    reach = scope_for(user, "view")
    if reach.everything:
        condition = Q(parent__isnull=True)
    else:
        tops = sorted(reach.roots | reach.units)
        condition = Q(pk__in=tops) | Q(parent_id__in=tops, kind__in=ORGANISATION_KINDS, is_legacy=False)
    if chosen is not None:
        condition |= Q(pk=chosen.pk)
    units = [unit for unit in Unit.objects.restrict(user).filter(condition) if reach.covers(unit)]
    units.sort(key=lambda unit: (unit.level != UnitLevel.PROVINCE, sort_key(unit.name), unit.key))
    current = [(unit, unit_label(unit)) for unit in units if not unit.is_legacy]
    legacy = [(unit, unit_label(unit)) for unit in units if unit.is_legacy]
    return [(group, items) for group, items in ((_("Current units"), current), (_("Legacy units"), legacy)) if items]


class UnitChoiceMixin:
    """The unit asked for (by key) and whether the user may see it: a unit out of reach reads as unknown."""

    def chosen_unit(self) -> tuple[Unit | None, list[str], bool]:
        """The unit, the errors, and whether the request named one."""
        user = self.request.user
        key = self.request.GET.get("unit", "")[:80].strip()
        if not key:
            home = user.home_unit
            # A central body owns no province's records: its statistics would all be zero.
            if home is not None and home.level != UnitLevel.CENTRAL:
                return home, [], False
            return None, [], False
        unit = Unit.objects.restrict(user).filter(key=key).select_related("root").first()
        if unit is None or not scope_for(user, "view").covers(unit):
            return None, [_("Unknown unit: choose one of the list.")], True
        return unit, [], True


class StatisticsView(LoginRequiredMixin, UnitChoiceMixin, TemplateView):
    """The statistics of a unit's activities for a period; ``?export=xlsx`` gives the same as a workbook."""

    template_name = "activities/statistics.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.GET.get("export") == "xlsx" and context.get("rows"):
            return self.export(context)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit, errors, _named = self.chosen_unit()
        period_text = self.request.GET.get("period", "")[:20].strip() or str(timezone.localdate().year)
        period = None
        try:
            period = Period.parse(period_text)
        except ValidationError as exc:
            errors.extend(exc.messages)
        if period is not None and period.start.year - (period.end.year - period.start.year + 1) < MIN_YEAR:
            # The change is against the period before, which the calendar of periods does not hold (before 1945).
            errors.append(
                _("%(period)s has no period before it to compare with: choose a later year.") % {"period": period}
            )
            period = None
        context.update(
            unit=unit,
            unit_options=unit_options(self.request.user, unit),
            period_text=period_text,
            period=period,
            errors=errors,
            rows=None,
        )
        if errors or unit is None or period is None:
            return context
        values = statistics_values(unit, period)
        rows = statistics_rows(period, values)
        query = f"unit={unit.key}&period={period.label}"
        context.update(
            rows=rows,
            sections=grouped(rows),
            previous_period=period.previous(),
            unit_name=unit_label(unit),
            by_year=year_series(period, values),
            by_country=country_series(rows),
            export_url=f"{reverse('activities:statistics')}?{query}&export=xlsx",
            calendar_url=f"{reverse('activities:calendar')}?unit={unit.key}&month={calendar_month(period):%Y-%m}",
            figures_url=f"{reverse('core:figures')}?key={unit.key}&unit={unit_label(unit)}&period={period.label}",
        )
        return context

    def export(self, context) -> HttpResponse:
        """The page's tables as a workbook: the indicators, the years, the breakdowns."""
        unit, period, rows = context["unit"], context["period"], context["rows"]
        previous = context["previous_period"]
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Statistics")[:31]
        sheet.append([f"{unit_label(unit)} — {period.label}"])
        sheet["A1"].font = Font(bold=True)
        sheet.append(
            [
                _("Section"),
                _("Indicator"),
                _("Measure"),
                period.label,
                _("Source"),
                previous.label,
                _("Change"),
                _("Change (%)"),
            ]
        )
        for row in rows:
            sheet.append(
                [
                    safe_cell(value)
                    for value in (
                        row.section_label,
                        row.label,
                        row.measure,
                        row.value,
                        _source_text(row.source),
                        row.previous,
                        row.change,
                        row.change_percent,
                    )
                ]
            )
        years = workbook.create_sheet(_("By year")[:31])
        years.append([_("Indicator"), *context["by_year"]["years"]])
        for series in context["by_year"]["series"]:
            years.append([series["name"], *series["values"]])
        breakdowns = workbook.create_sheet(_("Breakdowns")[:31])
        breakdowns.append([_("Indicator"), _("Breakdown"), _("Item"), period.label])
        for row in rows:
            for dimension, items in row.breakdowns:
                for name, count in items:
                    breakdowns.append([safe_cell(row.label), safe_cell(dimension), safe_cell(name), count])
        for each in (sheet, years, breakdowns):
            for cells in each.iter_rows(min_row=2):
                for cell in cells:
                    if isinstance(cell.value, int | float | Decimal):
                        cell.number_format = "#,##0.0" if each is sheet and cell.column == 8 else "#,##0"
        buffer = io.BytesIO()
        workbook.save(buffer)
        audit(
            AuditAction.EXPORT,
            request=self.request,
            detail={"page": "activities statistics", "unit": unit.key, "period": period.label, "format": "xlsx"},
        )
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="thong-ke-{unit.key}-{period.label}.xlsx"'
        return response


def calendar_month(period: Period) -> dt.date:
    """The month the calendar opens on from the statistics: this month when the period holds it, else its first."""
    today = timezone.localdate()
    return today.replace(day=1) if period.start <= today <= period.end else period.start


def _source_text(source: str | None) -> str:
    if source == "declared":
        return _("declared")
    if source == "computed":
        return _("computed")
    return ""


# ---------------------------------------------------------------------------------------------------------------
# The calendar

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass
class CalendarSource:
    """A record type of the calendar: its model, how a record is named, and its end date."""

    model: type
    kind: str
    start: str
    end: str

    def title(self, record) -> str:
        if isinstance(record, Delegation):
            return record.purpose
        if isinstance(record, PressVisit):
            return f"{record.agency} ({record.country})" if record.country_id else record.agency
        return str(record)

    def kind_label(self, record) -> str:
        if isinstance(record, Delegation):
            return record.get_direction_display()
        return capfirst(str(self.model._meta.verbose_name))


CALENDAR_SOURCES = (
    CalendarSource(Delegation, "delegation", "departs_on", "returns_on"),
    CalendarSource(Conference, "conference", "starts_on", "ends_on"),
    CalendarSource(PressVisit, "press", "starts_on", "ends_on"),
    CalendarSource(Event, "event", "starts_on", "ends_on"),
)


@dataclass
class CalendarEntry:
    kind: str
    kind_label: str
    title: str
    url: str
    starts_on: dt.date
    ends_on: dt.date | None
    precision: str
    continued: bool  # started in an earlier month
    status: str

    @property
    def dates(self) -> str:
        if self.precision != DatePrecision.DAY:
            return partial_date(self.starts_on, self.precision)
        if self.ends_on and self.ends_on != self.starts_on:
            return f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"
        return f"{self.starts_on:%d/%m/%Y}"


def parse_month(text: str) -> dt.date:
    """The first day of ``2013-04``; ValidationError with a clear message otherwise."""
    match = _MONTH.match(text or "")
    if not match or not (1945 <= int(match[1]) <= 2100) or not (1 <= int(match[2]) <= 12):
        raise ValidationError(_("“%(value)s” is not a month: write it as 2013-04.") % {"value": str(text)[:40]})
    return dt.date(int(match[1]), int(match[2]), 1)


def _url(record) -> str:
    try:
        return record.get_absolute_url()
    except NoReverseMatch:
        return ""  # a record type whose pages are not served (yet): listed without a link


def calendar_entries(user, unit: Unit, month: dt.date) -> list[CalendarEntry]:
    """The unit's records of ``month`` that ``user`` may see: one query for each record type."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    portfolio = unit_portfolio_q(unit)
    entries = []
    for source in CALENDAR_SOURCES:
        start, end = source.start, source.end
        # A span dated to the day is listed in every month it covers; a date known only to the month or the year is
        # listed in that month or year, apart from the days.
        by_day = Q(date_precision=DatePrecision.DAY, **{f"{start}__lte": last}) & (
            Q(**{f"{end}__gte": month}) | Q(**{f"{end}__isnull": True, f"{start}__gte": month})
        )
        by_month = Q(date_precision=DatePrecision.MONTH, **{f"{start}__gte": month, f"{start}__lte": last})
        by_year = Q(date_precision=DatePrecision.YEAR, **{f"{start}__year": month.year})
        rows = (
            source.model.objects.restrict(user)
            .filter(portfolio)
            .filter(by_day | by_month | by_year)
            .order_by(start, "pk")
        )
        if source.model is PressVisit:
            rows = rows.select_related("country")
        for record in rows:
            starts_on = getattr(record, start)
            entries.append(
                CalendarEntry(
                    kind=source.kind,
                    kind_label=source.kind_label(record),
                    title=source.title(record),
                    url=_url(record),
                    starts_on=starts_on,
                    ends_on=getattr(record, end),
                    precision=record.date_precision,
                    continued=record.date_precision == DatePrecision.DAY and starts_on < month,
                    status=record.get_status_display() if hasattr(record, "get_status_display") else "",
                )
            )
    return entries


class CalendarView(LoginRequiredMixin, UnitChoiceMixin, TemplateView):
    """A month of a unit's activities: the days with their records, then those dated only to the month or year."""

    template_name = "activities/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit, errors, _named = self.chosen_unit()
        month_text = self.request.GET.get("month", "")[:20].strip() or f"{timezone.localdate():%Y-%m}"
        month = None
        try:
            month = parse_month(month_text)
        except ValidationError as exc:
            errors.extend(exc.messages)
        context.update(
            unit=unit,
            unit_options=unit_options(self.request.user, unit),
            month_text=month_text,
            month=month,
            errors=errors,
            days=None,
        )
        if errors or unit is None or month is None:
            return context
        entries = calendar_entries(self.request.user, unit, month)
        days: dict[dt.date, list[CalendarEntry]] = {}
        for entry in entries:
            if entry.precision == DatePrecision.DAY:
                days.setdefault(max(entry.starts_on, month), []).append(entry)
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = (month + dt.timedelta(days=32)).replace(day=1)
        base = f"{reverse('activities:calendar')}?unit={unit.key}&month="
        context.update(
            unit_name=unit_label(unit),
            month_label=_("Month %(month)s") % {"month": f"{month.month}/{month.year}"},
            month_short=f"{month.month}/{month.year}",
            days=[(day, date_format(day, "l, d/m/Y"), days[day]) for day in sorted(days)],
            month_only=[entry for entry in entries if entry.precision == DatePrecision.MONTH],
            year_only=[entry for entry in entries if entry.precision == DatePrecision.YEAR],
            count=len(entries),
            previous_url=base + f"{previous:%Y-%m}",
            next_url=base + f"{following:%Y-%m}",
            statistics_url=f"{reverse('activities:statistics')}?unit={unit.key}&period={month.year}",
        )
        return context
