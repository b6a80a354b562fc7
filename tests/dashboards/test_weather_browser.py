"""The ENSO shading toggle and the Weather section in headless Chromium, on the real USDA and ONI data."""
import pytest

from tests.conftest import create_user, login_session, open_page
from tests.dashboards.test_browser import TIMEOUT, query, wait_traces
from tests.dashboards.test_weather import _rule_years

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("dashboards-browser")]

SHAPES = "() => (document.querySelector('#country-balance-graph .js-plotly-plot')?.layout?.shapes || []).length"


@pytest.fixture
def page(browser, enso_server):
    """Return a subscriber's page on the server with NOAA's file; fails on console errors."""
    session = login_session(enso_server, create_user(enso_server, "weather-browser@example.com", "--comp"))
    with open_page(browser, enso_server, session) as found:
        yield found
        assert found.console_errors == []


def test_shading_toggle_follows_the_url_and_shades_the_rule_years(page):
    expected = len(_rule_years("BRA", 1990, 2023))
    page.goto("/dashboards/country/BRA?start=1990&end=2023")
    wait_traces(page, "country-balance-graph", "names.length == 5")
    assert page.evaluate(SHAPES) == 0
    wait_traces(page, "country-weather-graph", "names.length == 3")
    assert "not a forecast" in page.inner_text("#country-weather-message")

    page.click("#country-enso label:has-text('Shade El Niño / La Niña years')")
    page.wait_for_function(f"() => ({SHAPES})() == {expected}", timeout=TIMEOUT)
    page.wait_for_function("() => location.search.includes('enso=shade')", timeout=TIMEOUT)
    assert query(page)["enso"] == "shade"

    page.reload()
    wait_traces(page, "country-balance-graph", "names.length == 5")
    assert page.is_checked("#country-enso input[value='shade']")
    assert page.evaluate(SHAPES) == expected
