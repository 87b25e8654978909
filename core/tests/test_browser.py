"""The foundation's journey in a real browser (Playwright on Debian's Chromium): sign in, search,
open a record, edit it, meet a version conflict from a second session, delete it and restore it
from the trash. Every request must stay on the server."""

from decimal import Decimal

import pytest

from core.models import DeclaredFigure
from core.testing.factories import DeclaredFigureFactory
from core.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, outside: list):
    page = browser.new_context(locale="vi-VN").new_page()
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))
    return page


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], form button.btn-primary")
    page.wait_for_url(f"{live_server.url}/")


def test_search_edit_conflict_and_restore(browser, live_server, world):
    figure = DeclaredFigureFactory(
        owner=world.quangnam,
        period="2013",
        value=Decimal(164),
        source_document="Báo cáo tổng kết công tác đối ngoại 2013",
    )
    outside: list[str] = []
    first = _page(browser, live_server, outside)
    _sign_in(first, live_server, "province_editor")

    first.fill("input[name=q]", "quang nam")
    first.press("input[name=q]", "Enter")
    first.wait_for_selector("text=Đà Nẵng")
    assert first.locator("a", has_text="Quảng Nam").count() >= 1

    first.goto(f"{live_server.url}/declared-figures/?q=tong ket")
    first.click(f"a[href='/declared-figures/{figure.pk}/']")
    first.click(f"a[href='/declared-figures/{figure.pk}/edit/']")

    second = _page(browser, live_server, outside)
    _sign_in(second, live_server, "province_editor")
    second.goto(f"{live_server.url}/declared-figures/{figure.pk}/edit/")
    second.fill("input[name=value]", "165")
    second.click("form button.btn-primary")
    second.wait_for_url(f"{live_server.url}/declared-figures/{figure.pk}/")

    first.fill("input[name=value]", "170")
    first.click("form button.btn-primary")
    first.wait_for_selector("#version-conflict")
    figure.refresh_from_db()
    assert figure.value == Decimal(165), "the second session's save must not be overwritten"

    first.goto(f"{live_server.url}/declared-figures/{figure.pk}/delete/")
    first.click("form button.btn-danger")
    first.goto(f"{live_server.url}/declared-figures/trash/")
    first.click("form[action$='/restore/'] button")
    first.wait_for_selector(".alert-success")
    assert DeclaredFigure.objects.filter(pk=figure.pk).exists()
    assert outside == []


def test_api_docs_load_with_no_request_leaving_the_server(browser, live_server, world):
    outside: list[str] = []
    page = _page(browser, live_server, outside)
    _sign_in(page, live_server, "viewer")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .information-container", timeout=15000)
    assert page.locator("text=/api/v1/declared-figures/").count() >= 1
    assert outside == []
