"""The menu bar on a laptop screen (1366 x 768), walked in a real browser: the search box's example and the user's
whole name are read, not cut ("Tìm kiếm toàn", "Chuyên v…"), by an officer and by an administrator, who has one menu
more; narrower screens fold the menu behind its button rather than overflow."""

import pytest

from accounts.models import User
from core.tests.test_browser import _sign_in
from reports.tests.test_browser import _sign_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = {
    "province_editor": "Chuyên viên Sở Ngoại vụ Đà Nẵng",
    "province_admin": "Chuyên viên Ban Đối ngoại Trung ương",
}

# What the menu bar shows: whether the search box's example fits its box (measured with the box's font), whether the
# user's name is cut, whether the page overflows sideways, and the bar's height (one line, or wrapped).
MEASURE = """() => {
  const input = document.querySelector('.navbar input[name=q]');
  const button = document.getElementById('nav-user');
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {
    placeholder: input.placeholder,
    placeholderFits: context.measureText(input.placeholder).width <= room,
    visible: input.offsetParent !== null && button.offsetParent !== null,
    nameCut: button.scrollWidth > button.clientWidth,
    name: button.innerText.trim(),
    overflow: document.documentElement.scrollWidth > window.innerWidth,
    barHeight: document.querySelector('nav.navbar').getBoundingClientRect().height,
  };
}"""


def test_the_menu_bar_shows_the_search_example_and_the_whole_name_on_a_laptop_screen(browser, live_server, world):
    for username, name in NAMES.items():
        User.objects.filter(username=username).update(full_name=name)
    for username, name in NAMES.items():
        context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
        page = context.new_page()
        if username == "province_admin":
            _sign_in_with_second_factor(page, live_server, username)
            assert page.locator("#nav a[href='/accounts/users/']").count() == 1, "the administrator's extra menu"
        else:
            _sign_in(page, live_server, username)
        shown = page.evaluate(MEASURE)
        assert shown["visible"] and shown["placeholder"] == "Tìm kiếm…" and shown["placeholderFits"], shown
        assert shown["name"] == name and not shown["nameCut"], shown
        assert not shown["overflow"] and shown["barHeight"] < 70, shown
        # Narrower screens: the menu folds behind its button, and nothing overflows sideways.
        for width in (1280, 1200, 1024, 800):
            page.set_viewport_size({"width": width, "height": 768})
            shown = page.evaluate(MEASURE)
            assert not shown["overflow"] and shown["barHeight"] < 70, (width, shown)
        page.locator(".navbar-toggler").click()
        page.wait_for_selector("#nav.show")
        shown = page.evaluate(MEASURE)
        assert shown["visible"] and shown["placeholderFits"] and not shown["overflow"], shown
        context.close()
