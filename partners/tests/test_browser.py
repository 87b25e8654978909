"""The partners pages in a real browser (Playwright on Debian's Chromium): a unit's portfolio draws its
world map and charts from the vendored ECharts and world-atlas, a partner's page draws its map, and no
request leaves the server."""

import datetime as dt
import tempfile
from pathlib import Path

import pytest

from core.models import Country, Field
from core.tests.test_browser import _page, _sign_in
from partners.testing.factories import InteractionFactory, PartnerFactory, RelationshipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pictures to look at after a run (the portfolio at 1366×900, the whole portfolio, a partner's page).
SCREENSHOTS = Path(tempfile.gettempdir())
COUNTRIES = {
    "KR": ("410", "Hàn Quốc", "South Korea"),
    "LA": ("418", "Lào", "Laos"),
    "JP": ("392", "Nhật Bản", "Japan"),
    "VN": ("704", "Việt Nam", "Viet Nam"),
}


def _countries() -> dict[str, Country]:
    return {
        iso2: Country.objects.update_or_create(
            iso2=iso2, defaults={"numeric": numeric, "name_vi": name_vi, "name_en": name_en}
        )[0]
        for iso2, (numeric, name_vi, name_en) in COUNTRIES.items()
    }


def _portfolio(world) -> dict:
    countries = _countries()
    culture, _ = Field.objects.get_or_create(code="culture", defaults={"name_vi": "Văn hóa", "name_en": "Culture"})
    education, _ = Field.objects.get_or_create(
        code="education", defaults={"name_vi": "Giáo dục và đào tạo", "name_en": "Education and training"}
    )
    yongin = PartnerFactory(
        owner=world.quangnam,
        name_vi="Thành phố Yongin",
        name_en="Yongin",
        country=countries["KR"],
        latitude="37.241100",
        longitude="127.177600",
    )
    champasak = PartnerFactory(
        owner=world.danang, name_vi="Tỉnh Chăm-pa-sắc", name_en="Champasak", level="province", country=countries["LA"]
    )
    sekong = PartnerFactory(owner=world.quangnam, name_vi="Tỉnh Sê Kông", name_en="Sekong", country=countries["LA"])
    sakai = PartnerFactory(owner=world.danang, name_vi="Thành phố Sakai", name_en="Sakai", country=countries["JP"])
    inherited = RelationshipFactory(owner=world.quangnam, partner=yongin, status_since=dt.date(2013, 4, 1))
    inherited.fields.add(culture, education)
    RelationshipFactory(owner=world.quangnam, partner=sekong, status="active").fields.add(education)
    RelationshipFactory(owner=world.danang, partner=champasak, kind="twinning", status="active").fields.add(education)
    RelationshipFactory(owner=world.danang_dept, partner=sakai, status="negotiating").fields.add(culture)
    InteractionFactory(owner=world.quangnam, relationship=inherited, on=dt.date(2014, 5, 2))
    return {"yongin": yongin}


def _console_error(message) -> str:
    return f"{message.text} ({(message.location or {}).get('url', '')})"


def _canvas(page, selector: str) -> None:
    page.wait_for_selector(f"{selector} canvas", state="attached", timeout=15000)


def test_portfolio_and_partner_maps_render_with_no_request_leaving_the_server(browser, live_server, world):
    partners = _portfolio(world)
    outside: list[str] = []
    requests: list[str] = []
    errors: list[str] = []
    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(_console_error(message)) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, "viewer")

    page.goto(f"{live_server.url}/partners/portfolio/{world.danang.key}/")
    _canvas(page, "#portfolio-map")
    _canvas(page, "#status-chart")
    _canvas(page, "#field-chart")
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('portfolio-map'));"
        " return c && c.getOption().series[0].data.length > 0; }",
        timeout=15000,
    )
    data = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('portfolio-map')).getOption().series[0].data"
    )
    # ECharts adds every other country of the map without a value.
    assert {item["name"]: item["value"] for item in data if "value" in item} == {"410": 1, "418": 2, "392": 1}
    statuses = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('status-chart')).getOption().series[0].data"
    )
    assert sum(item["value"] for item in statuses) == 4
    fields = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('field-chart')).getOption().yAxis[0].data"
    )
    assert set(fields) == {"Văn hóa", "Giáo dục và đào tạo"}
    badge = page.locator(".inherited-badge").first
    assert badge.is_visible()
    assert "Quảng Nam" in badge.inner_text()
    assert page.locator(".inherited-badge").count() == 2
    # Let the map finish its first frame before the picture is taken.
    page.wait_for_timeout(500)
    page.screenshot(path=SCREENSHOTS / "portfolio.png")
    page.screenshot(path=SCREENSHOTS / "portfolio-full.png", full_page=True)

    page.goto(f"{live_server.url}{partners['yongin'].get_absolute_url()}")
    _canvas(page, "#partner-map")
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('partner-map'));"
        " return c && c.getOption().geo[0].regions.some((region) => region.name === '410'); }",
        timeout=15000,
    )
    option = page.evaluate(
        "() => { const o = echarts.getInstanceByDom(document.getElementById('partner-map')).getOption();"
        " return {regions: o.geo[0].regions.filter((r) => r.itemStyle && r.itemStyle.areaColor).map((r) => r.name),"
        " point: o.series[0].data[0].value}; }"
    )
    assert option == {"regions": ["410"], "point": [127.1776, 37.2411]}
    page.screenshot(path=SCREENSHOTS / "partner.png", full_page=True)

    assert any(url.endswith("countries-110m.json") for url in requests), "the world map comes from this server"
    assert outside == [], outside
    assert all(url.startswith(live_server.url) for url in requests)
    assert [error for error in errors if error] == [], "no script error and no refusal by the CSP"
