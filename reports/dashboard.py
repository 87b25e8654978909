"""The central dashboard on the register page (issue 20, item 7): the expected provinces as a grid of tiles by their
status in the period, the same grid shaded by an indicator's value in each province's report as sent, and the
reporting and on-time rates over the regime's past periods (a table and a small bar chart drawn here as SVG, so that
it prints as on screen without a script).

Only for those who read every province (``Submission.policy.reach(user, "view").everything``): a province's own
users see their own rows in the register, never another province's figures. Everything here is computed from what
the register page has already read (the past periods' registers are read with the period's), plus the figures of
the reports as sent (one query, :func:`sent_figures`: those :func:`reports.national.aggregate` counts) and the past
periods (one query, :func:`recent_periods`): a fixed number of queries whatever the number of provinces.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.indicators import catalogue
from reports.choices import SubmissionStatus
from reports.drafting import grouped, money_text
from reports.models import ReportingPeriod, stated_decimal
from reports.register import Register, RegisterRow, summary

# The statuses in the order the legend lists them, each with the Bootstrap icon that says it without its colour.
STATUS_ICONS = {
    SubmissionStatus.RECEIVED: "bi-check-circle-fill",
    SubmissionStatus.SUBMITTED: "bi-send-fill",
    SubmissionStatus.RETURNED: "bi-arrow-counterclockwise",
    SubmissionStatus.DRAFTING: "bi-pencil",
    SubmissionStatus.NOT_STARTED: "bi-dash-circle",
}
SHADES = 5
# As many past periods as the register's table of timeliness (reports.register.timeliness).
PERIODS = 6


def recent_periods(regime, *, periods: int = PERIODS) -> list[ReportingPeriod]:
    """The regime's last ``periods`` periods with rows in the register, oldest first (those of the timeliness
    table), in one query."""
    recent = list(
        ReportingPeriod.objects.filter(regime=regime, submissions__isnull=False)
        .distinct()
        .order_by("-data_to")[:periods]
    )
    for period in recent:
        period.regime = regime
    return list(reversed(recent))


# ---------------------------------------------------------------------------------------------------------------
# The tiles by status


@dataclass
class Tile:
    row: RegisterRow
    url: str
    # By indicator: the value as the tile writes it ("—" where the province has not reported) and its shade (1 the
    # lightest; 0 none).
    value_text: str = ""
    shade: int = 0

    @property
    def unit(self):
        return self.row.unit

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def icon(self) -> str:
        return STATUS_ICONS[SubmissionStatus(self.row.status)]

    @property
    def late(self) -> bool:
        """Sent after the period's on-time date (as the register's on-time rate counts it)."""
        submission = self.row.submission
        return submission is not None and submission.sent_on is not None and not submission.on_time

    @property
    def days_late(self) -> int:
        submission = self.row.submission
        return submission.days_late if submission is not None and submission.sent_on and submission.days_late else 0


def status_tiles(rows: list[RegisterRow]) -> list[Tile]:
    """One tile per expected unit, in the register's order (Vietnamese alphabetical), each leading to its row."""
    return [Tile(row=row, url=f"#register-{row.unit.key}") for row in rows]


def status_legend(rows: list[RegisterRow]) -> list[dict]:
    """Each status with its icon, its label and how many units are in it."""
    counts = dict.fromkeys(STATUS_ICONS, 0)
    for row in rows:
        counts[SubmissionStatus(row.status)] += 1
    return [
        {"status": status.value, "label": status.label, "icon": icon, "count": counts[status]}
        for status, icon in STATUS_ICONS.items()
    ]


# ---------------------------------------------------------------------------------------------------------------
# The tiles by indicator


def indicator_choices(regime) -> list[tuple[str, str]]:
    """The regime's indicators by their labels (those of the catalogue: an unknown code is not offered)."""
    known = catalogue()
    return [(code, str(known[code].label)) for code in regime.indicators if code in known]


def _text(value: Decimal, figure: dict) -> str:
    if figure.get("money"):
        return money_text(value, figure.get("currency", ""))
    return grouped(value)


def shade_bins(values: list[Decimal], shades: int = SHADES) -> dict[Decimal, int]:
    """Each value's bin by quantile, 0 to ``shades`` - 1: the values sorted and cut into ``shades`` groups of about
    as many each; equal values share a bin (the first one's), so a bin may be left empty and fewer used."""
    ordered = sorted(values)
    found: dict[Decimal, int] = {}
    for rank, value in enumerate(ordered):
        if value not in found:
            found[value] = min(shades - 1, rank * shades // len(ordered))
    return found


def sent_figures(reporting_period: ReportingPeriod) -> dict[int, dict]:
    """Each unit's figures' values (ReportRevision.figure_values) in its report of the period as sent: the last
    revision of the reports sent and not returned, read by the query the national figures read them with
    (reports.national.revisions_sent). One query whatever the number of provinces or their lineage (the aggregation
    reads the predecessors of a merged province for its comparison, which the tiles do not need)."""
    from reports.national import revisions_sent

    label = reporting_period.period
    revisions = revisions_sent(reporting_period.regime, [label])
    return {owner: values or {} for _pk, owner, period, _number, values in revisions if period == label}


def indicator_tiles(rows: list[RegisterRow], figures: dict[int, dict], code: str) -> tuple[list[Tile], list[dict]]:
    """Each expected unit's tile with its value of ``code`` in its report as sent (``figures``: unit pk -> values
    by code, :func:`sent_figures`), shaded by quantile; and the legend: each shade with the range of the values in
    it. A unit that has not reported (or whose report does not state the figure) is written "—", unshaded."""
    indicator = catalogue().get(code)
    values: dict[int, tuple[Decimal, dict]] = {}
    for row in rows:
        stated = figures.get(row.unit.pk, {}).get(code) or []
        value = stated_decimal(stated[0] if stated else None)
        if value is not None:
            currency = (indicator.currency if indicator else "") or (stated[2] if len(stated) > 2 else "")
            values[row.unit.pk] = (value, {"money": bool(indicator and indicator.money), "currency": currency})
    bins = shade_bins([value for value, _figure in values.values()]) if values else {}
    used = sorted(set(bins.values()))
    # The bins used, spread over the palette: two bins are the lightest and the darkest shade.
    shade_of = {
        index: (1 + round(position * (SHADES - 1) / (len(used) - 1)) if len(used) > 1 else (SHADES + 1) // 2)
        for position, index in enumerate(used)
    }
    tiles = []
    for row in rows:
        url = row.report_url or f"#register-{row.unit.key}"
        if row.unit.pk in values:
            value, figure = values[row.unit.pk]
            tiles.append(Tile(row=row, url=url, value_text=_text(value, figure), shade=shade_of[bins[value]]))
        else:
            tiles.append(Tile(row=row, url=url, value_text="—"))
    legend = []
    for index in used:
        inside = [(value, figure) for value, figure in values.values() if bins[value] == index]
        low, high = min(inside, key=lambda pair: pair[0]), max(inside, key=lambda pair: pair[0])
        text = _text(low[0], low[1]) if low[0] == high[0] else f"{_text(low[0], low[1])}–{_text(high[0], high[1])}"
        legend.append({"shade": shade_of[index], "range": text, "count": len(inside)})
    return tiles, legend


# ---------------------------------------------------------------------------------------------------------------
# The rates over time


def rates_over_time(registers: list[Register]) -> list[dict]:
    """Each period's expected, reported and on-time counts and rates, as the register's figures give them."""
    found = []
    for register in registers:
        figures = summary(register)
        found.append(
            {
                "period": register.reporting_period,
                "label": register.reporting_period.period,
                "expected": figures["expected_count"],
                "submitted": figures["submitted_count"],
                "on_time": figures["on_time_count"],
                "reporting_rate": figures["reporting_rate"],
                "on_time_rate": figures["on_time_rate"],
            }
        )
    return found


# The chart's box in SVG units: the bars of each period side by side, the rates from 0 to 100%; below them each
# period as a reader writes it ("6 tháng đầu năm 2017"), on two lines of at most AXIS_CHARACTERS characters so that
# six periods side by side do not run into each other.
CHART_WIDTH, CHART_HEIGHT = 560, 212
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 40, 8, 12, 40
BAR = 18
AXIS_CHARACTERS, AXIS_LINE = 12, 13


def axis_lines(text: str) -> list[str]:
    """``text`` cut into at most two lines at spaces ("6 tháng đầu", "năm 2017"); a longer rest stays on the
    second line rather than running below the chart."""
    lines = textwrap.wrap(text, AXIS_CHARACTERS, break_long_words=False, break_on_hyphens=False) or [text]
    return lines if len(lines) <= 2 else [lines[0], " ".join(lines[1:])]


def rates_chart(rates: list[dict]) -> dict | None:
    """The bars of a grouped bar chart of the reporting and on-time rates (None without a period), computed here so
    that the template only writes them out."""
    if not rates:
        return None
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    baseline = CHART_TOP + plot_height
    step = plot_width / len(rates)
    groups = []
    for index, entry in enumerate(rates):
        middle = CHART_LEFT + step * index + step / 2
        bars = []
        for offset, key, css in ((-BAR, "reporting_rate", "reporting"), (0, "on_time_rate", "on-time")):
            rate = entry[key] if entry[key] is not None else Decimal(0)
            height = float(rate) * plot_height / 100
            bars.append(
                {
                    "x": round(middle + offset, 1),
                    "middle": round(middle + offset + BAR / 2, 1),
                    "y": round(baseline - height, 1),
                    "height": round(height, 1),
                    "css": css,
                    "rate": entry[key],
                    "label_y": round(baseline - height - 3, 1),
                }
            )
        words = entry["period"].period_display
        groups.append(
            {"label": entry["label"], "words": words, "lines": axis_lines(words), "x": round(middle, 1), "bars": bars}
        )
    gridlines = [
        {"y": round(baseline - value * plot_height / 100, 1), "label": f"{value}%"} for value in (0, 25, 50, 75, 100)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "baseline": baseline,
        "label_y": baseline + 16,
        "line_height": AXIS_LINE,
        "bar": BAR,
        "groups": groups,
        "gridlines": gridlines,
        "title": _("Reporting rate and on-time rate by period"),
    }
