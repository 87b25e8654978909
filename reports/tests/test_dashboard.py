"""The central dashboard on the register page (issue 20, item 7): the expected provinces as tiles by status, the same
tiles by an indicator's value in each province's report as sent, and the reporting and on-time rates over the past
periods; a province's own users see none of it; the page reads a fixed number of queries whatever the number of
provinces."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Unit
from core.testing.world import login, make_unit
from reports.choices import ReportStatus
from reports.dashboard import indicator_choices, recent_periods, shade_bins
from reports.drafting import grouped
from reports.models import Report, ReportingPeriod, ReportRevision, figure_values
from reports.national import aggregate
from reports.register import build_register, summary
from reports.synthetic import register  # noqa: F401
from reports.testing.factories import ReportingPeriodFactory, ReportingRegimeFactory, SubmissionFactory

REGISTER = "/reports/register/"
HALF_YEAR = "2025-H1"  # 63 legacy provinces (the world's and those ensure_units made)


def _period(label: str = HALF_YEAR) -> ReportingPeriod:
    return ReportingPeriod.objects.get(regime__key="local_foreign_affairs", period=label)


def _section(html: str, element_id: str) -> str:
    """The markup of the list ``element_id`` (the tiles are lists: ``<ul id=...>...</ul>``)."""
    match = re.search(rf'<ul[^>]*id="{element_id}"[^>]*>(.*?)</ul>', html, re.S)
    assert match, element_id
    return match.group(1)


def _text(html: str) -> str:
    """The visible text of some markup, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rate(value) -> str:
    """A rate as the page writes it in Vietnamese: ``95,2%``."""
    return "—" if value is None else f"{str(value).replace('.', ',')}%"


def _tiles(html: str, element_id: str) -> list[dict]:
    """Each tile of the list: its unit, its data attributes and its visible text."""
    found = []
    for attributes, body in re.findall(r'<a class="register-tile ([^>]*)>(.*?)</a>', _section(html, element_id), re.S):
        data = dict(re.findall(r'data-([a-z]+)="([^"]*)"', attributes))
        data["text"] = _text(body)
        data["href"] = re.search(r'href="([^"]*)"', attributes).group(1)
        found.append(data)
    return found


def test_the_tiles_list_every_expected_unit_once_with_its_status(national, client, world):
    period = _period()
    login(client, world.national_viewer)
    response = client.get(REGISTER, {"regime": "local_foreign_affairs", "period": HALF_YEAR})
    html = response.content.decode()
    rows = build_register(period).rows
    tiles = _tiles(html, "dashboard-status-tiles")
    assert [tile["unit"] for tile in tiles] == [row.unit.key for row in rows]
    assert len(tiles) == len({tile["unit"] for tile in tiles}) == len(rows) > 30
    assert [tile["status"] for tile in tiles] == [row.status for row in rows]
    # The status is written on the tile, not only said by its colour; each tile leads to the unit's row.
    for tile, row in zip(tiles, rows, strict=True):
        assert tile["text"].startswith(row.unit.name) and row.status_label in tile["text"]
        assert tile["href"] == f"#register-{row.unit.key}" and f'id="register-{row.unit.key}"' in html
    # The legend counts each status; no internal code is visible.
    legend = _text(_section(html, "dashboard-status-legend"))
    received = sum(row.status == "received" for row in rows)
    assert f"Đã nhận ({received})" in legend
    assert "not_started" not in _text(html) and "outgoing_delegations" not in _text(html)


def test_the_indicator_tiles_show_the_value_of_the_report_sent_and_a_dash_for_the_others(national, client, world):
    period = _period()
    # A province whose report was returned: not counted (reports.national.COUNTED), so "—" on its tile.
    returned = Report.objects.filter(reporting_period=period).unrestricted("test").order_by("owner__key").first().owner
    Report.objects.filter(reporting_period=period, owner=returned).unrestricted("test").update(
        status=ReportStatus.RETURNED
    )
    reported = aggregate(period).reported
    assert returned.pk not in reported and len(reported) > 20
    login(client, world.national_viewer)
    query = {"regime": "local_foreign_affairs", "period": HALF_YEAR, "indicator": "incoming_delegations"}
    html = client.get(REGISTER, query).content.decode()
    assert '<option value="incoming_delegations" selected>' in html
    label = dict(indicator_choices(period.regime))["incoming_delegations"]
    assert f"Các địa phương theo chỉ tiêu: {label}" in html and "incoming_delegations" not in _text(html)
    tiles = _tiles(html, "dashboard-indicator-tiles")
    rows = build_register(period).rows
    assert [tile["unit"] for tile in tiles] == [row.unit.key for row in rows]
    by_key = {item.unit.key: item for item in reported.values()}
    dashes = 0
    for tile, row in zip(tiles, rows, strict=True):
        item = by_key.get(row.unit.key)
        if item is None:
            assert tile["text"] == f"{row.unit.name} —" and tile["shade"] == "0"
            dashes += 1
        else:
            value = item.numbers["incoming_delegations"]
            assert tile["text"] == f"{row.unit.name} {grouped(value)}" and tile["shade"] in "12345"
    assert dashes == len(rows) - len(reported) >= 1
    # The darker, the higher: a higher value never has a lighter shade.
    shaded = sorted(
        (by_key[tile["unit"]].numbers["incoming_delegations"], int(tile["shade"]))
        for tile in tiles
        if tile["unit"] in by_key
    )
    assert [shade for _value, shade in shaded] == sorted(shade for _value, shade in shaded)
    assert len({shade for _value, shade in shaded}) == 5
    # The default is the regime's first indicator; an unknown one falls back to it.
    first = indicator_choices(period.regime)[0][0]
    for params in ({}, {"indicator": "no_such_indicator"}):
        response = client.get(REGISTER, {"regime": "local_foreign_affairs", "period": HALF_YEAR, **params})
        assert response.context["indicator"] == first == "outgoing_delegations"


def test_the_rates_table_matches_the_register_of_each_period(national, client, world):
    login(client, world.national_viewer)
    response = client.get(REGISTER, {"regime": "local_foreign_affairs", "period": HALF_YEAR})
    html = response.content.decode()
    periods = recent_periods(_period().regime)
    assert 2 <= len(periods) <= 6 and _period() in periods
    table = re.search(r'<table[^>]*id="dashboard-rates".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    lines = re.findall(r'<tr data-period="([^"]+)"[^>]*>(.*?)</tr>', table, re.S)
    assert [label for label, _cells in lines] == [period.period for period in periods]
    for (_label, cells), period in zip(lines, periods, strict=True):
        figures = summary(build_register(period))
        texts = [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", cells)]
        assert texts[1:] == [
            str(figures["expected_count"]),
            str(figures["submitted_count"]),
            _rate(figures["reporting_rate"]),
            _rate(figures["on_time_rate"]),
        ]
        assert texts[0].lower() == period.period_display.lower()
    # The chart: two bars a period, their heights in proportion to the rates.
    chart = response.context["rates_chart"]
    assert len(chart["groups"]) == len(periods)
    assert '<svg class="register-rates-chart"' in html and html.count('<rect class="register-bar-') == 2 * len(periods)


def test_the_rates_chart_names_each_period_as_a_reader_writes_it(national, client, world):
    """Under its bars each period reads "6 tháng đầu / năm 2025" (on two lines, so that six periods do not run into
    each other), never 2025-H1."""
    login(client, world.national_viewer)
    html = client.get(REGISTER, {"regime": "local_foreign_affairs", "period": HALF_YEAR}).content.decode()
    chart = re.search(r'<svg class="register-rates-chart".*?</svg>', html, re.S).group(0)
    axis = re.findall(r'<text class="register-chart-axis"[^>]*data-period="([^"]+)"[^>]*>(.*?)</text>', chart, re.S)
    periods = recent_periods(_period().regime)
    assert [label for label, _body in axis] == [period.period for period in periods]
    for (_label, body), period in zip(axis, periods, strict=True):
        lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body)
        assert 1 <= len(lines) <= 2 and " ".join(lines).lower() == period.period_display.lower()
        assert "-H" not in _text(body)
    assert ["6 tháng đầu", "năm 2025"] in [re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body) for _label, body in axis]


def test_a_province_editor_sees_no_dashboard(national, client, world):
    login(client, world.province_editor)
    response = client.get(REGISTER, {"regime": "local_foreign_affairs", "period": HALF_YEAR, "indicator": "x"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="register-table"' in html
    for element in ("register-dashboard", "dashboard-status-tiles", "dashboard-indicator-tiles", "dashboard-rates"):
        assert f'id="{element}"' not in html
    assert "indicator_tiles" not in response.context


def test_shade_bins_cut_by_quantile_and_keep_equal_values_together():
    values = [Decimal(n) for n in range(1, 11)]
    assert [shade_bins(values)[value] for value in values] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    same = [Decimal(3)] * 4 + [Decimal(9)]
    assert shade_bins(same) == {Decimal(3): 0, Decimal(9): 4}


# ---------------------------------------------------------------------------------------------------------------
# The query count: a few provinces or many, with their reports sent


def _page_queries(client, url: str) -> int:
    client.get(url)  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert 'id="dashboard-indicator-tiles"' in response.content.decode()
    return len(queries)


def _provinces(count: int) -> list[Unit]:
    start = Unit.objects.filter(key__startswith="tinh-bang-").count()
    return [
        make_unit(f"tinh-bang-{n}", f"Tỉnh bảng {n}", "province", valid_from=dt.date(2025, 7, 1))
        for n in range(start, start + count)
    ]


def _sent(unit: Unit, period: ReportingPeriod, value: int) -> None:
    """The unit's row in the register and its report as sent, stating ``outgoing_delegations``."""
    sent_on = period.deadline - dt.timedelta(days=1)
    SubmissionFactory(owner=unit, reporting_period=period, sent_on=sent_on, received_on=sent_on)
    report = Report(owner=unit, reporting_period=period, status=ReportStatus.SUBMITTED)
    Report.objects.bulk_create([report])
    report = Report.objects.unrestricted("test").get(owner=unit, reporting_period=period)
    figure = {"code": "outgoing_delegations", "label": "Đoàn ra", "value": str(value), "money": False}
    figures = {"outgoing_delegations": figure}
    ReportRevision.objects.create(
        report=report,
        revision=1,
        content={"figures": figures},
        figure_values=figure_values(figures),
        sent_at=timezone.now(),
    )


@pytest.mark.parametrize("user", ["national_viewer", "national_admin"])
def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_number_of_provinces(client, world, user):
    regime = ReportingRegimeFactory(key="local_dashboard", recipient=world.mofa, indicators=["outgoing_delegations"])
    periods = [ReportingPeriodFactory(regime=regime, period=label) for label in ("2024", "2025-H1", "2025")]
    login(client, world.users[user])
    url = f"{REGISTER}?regime=local_dashboard&period=2025&indicator=outgoing_delegations"

    def add(count: int):
        for index, unit in enumerate(_provinces(count)):
            _sent(unit, periods[-1], index)
            SubmissionFactory(owner=unit, reporting_period=periods[0], sent_on=periods[0].deadline)

    add(2)
    few = _page_queries(client, url)
    add(12)
    many = _page_queries(client, url)
    assert few == many, (few, many)
    # The register's (16 for a viewer, 19 for the administrator who receives and reminds), the past periods (1),
    # the figures of the reports as sent (1).
    assert many <= 22, many
