"""Dark mode: follows prefers-color-scheme, a navbar toggle overrides and is kept; charts follow the theme."""
import pytest

from tests.conftest import open_page
from tests.harness.drawn import ALL_DRAWN, DARK_PAPER, PAPERS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("a11y-browser")]

TIMEOUT = 60000
THEME = "document.documentElement.getAttribute('data-bs-theme')"


def _drawn(page, path):
    """Open a dashboard and wait for its charts."""
    page.goto(path)
    page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)


def test_system_dark_gives_dark_page_and_charts(browser, live_server, subscriber_session):
    with open_page(browser, live_server, subscriber_session) as page:
        page.emulate_media(color_scheme="dark")
        _drawn(page, "/dashboards/country/BRA")
        assert page.evaluate(THEME) == "dark"
        assert page.get_attribute("[data-theme-toggle]", "aria-pressed") == "true"
        assert set(page.evaluate(PAPERS)) == {DARK_PAPER}
        # A chart drawn after the page loaded (new filters) is dark too.
        before = page.evaluate("document.querySelector('#country-balance-graph .js-plotly-plot').data[0].y[0]")
        page.locator("#country-units").get_by_text("1000 tonnes").click()
        page.wait_for_function("v => document.querySelector('#country-balance-graph .js-plotly-plot')"
                               ".data[0].y[0] !== v", arg=before, timeout=TIMEOUT)
        page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
        assert set(page.evaluate(PAPERS)) == {DARK_PAPER}
        assert page.console_errors == []


def test_toggle_overrides_the_system_and_is_kept(browser, live_server, subscriber_session):
    with open_page(browser, live_server, subscriber_session) as page:
        page.emulate_media(color_scheme="dark")
        _drawn(page, "/dashboards/supply")
        page.click("[data-theme-toggle]")
        assert page.evaluate(THEME) == "light"
        assert page.get_attribute("[data-theme-toggle]", "aria-pressed") == "false"
        page.wait_for_function(f"() => ({PAPERS})().every(p => p !== '{DARK_PAPER}')", timeout=TIMEOUT)
        # Kept across a reload and on the server-rendered pages, whatever the system says.
        _drawn(page, "/dashboards/supply")
        assert page.evaluate(THEME) == "light"
        assert all(p != DARK_PAPER for p in page.evaluate(PAPERS))
        page.goto("/account")
        assert page.evaluate(THEME) == "light"
        page.click("[data-theme-toggle]")
        assert page.evaluate(THEME) == "dark"
        _drawn(page, "/dashboards/supply")
        assert page.evaluate(THEME) == "dark" and set(page.evaluate(PAPERS)) == {DARK_PAPER}
        assert page.console_errors == []


def test_system_light_gives_light_pages(browser, live_server):
    context = browser.new_context(base_url=live_server.url, color_scheme="light")
    try:
        page = context.new_page()
        for path in ("/", "/login"):
            page.goto(path)
            assert page.evaluate(THEME) == "light", path
            assert page.get_attribute("[data-theme-toggle]", "aria-pressed") == "false", path
    finally:
        context.close()
