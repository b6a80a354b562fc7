"""Wheat and corn dashboards in headless Chromium at 1440 and 390 px; the navbar's commodity switcher."""
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("commodities-browser")]

TIMEOUT = 60000
PATHS = ("/dashboards/overview", "/dashboards/production", "/dashboards/trade", "/dashboards/supply",
         "/dashboards/country/USA", "/dashboards/changes")


def query(page):
    """Return the page URL's query as {key: value}."""
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def trace_names(page, graph_id):
    """Return the names of the Plotly traces drawn in a dcc.Graph."""
    return page.evaluate("""id => { const g = document.querySelector('#' + id + ' .js-plotly-plot');
                                    return g && g.data ? g.data.map(t => t.name || '') : []; }""", graph_id)


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_every_dashboard_of_wheat_and_corn_opens_without_console_errors(browser, commodities_server,
                                                                       commodities_session, width, height):
    with open_page(browser, commodities_server, commodities_session) as page:
        page.set_viewport_size({"width": width, "height": height})
        for slug in ("wheat", "corn"):
            for path in PATHS:
                response = page.goto(f"{path}?commodity={slug}")
                assert response.status == 200, (slug, path)
                page.wait_for_selector(".js-plotly-plot, .ag-root, .kpi", timeout=TIMEOUT)
                switcher = page.get_by_label("Commodity")
                assert switcher.is_visible() and switcher.input_value() == slug, (slug, path, width)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (slug, path, width, overflow)
        assert page.console_errors == []


@pytest.mark.parametrize("width", [1440, 390])
def test_the_switcher_keeps_the_page_and_the_filters_that_apply(browser, commodities_server, commodities_session,
                                                                width):
    with open_page(browser, commodities_server, commodities_session) as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/dashboards/production?countries=BRA,IND&start=2000&end=2020&units=tonnes&metric=arabica_production")
        page.wait_for_selector("#production-by-country-graph .js-plotly-plot", timeout=TIMEOUT)
        assert set(trace_names(page, "production-by-country-graph")) == {"Brazil", "India"}
        page.get_by_label("Commodity").select_option("wheat")
        page.wait_for_url("**/dashboards/production?*commodity=wheat*", timeout=TIMEOUT)
        page.wait_for_selector("#production-by-country-graph .js-plotly-plot", timeout=TIMEOUT)
        kept = query(page)
        # Countries and years apply to wheat too; bags and arabica do not, so wheat's defaults replace them.
        assert (kept["countries"], kept["start"], kept["end"]) == ("BRA,IND", "2000", "2020")
        assert kept["units"] == "kt" and kept["metric"] == "production"
        page.wait_for_function("() => document.querySelector('#production-by-country-graph .js-plotly-plot')"
                               ".data.length === 2", timeout=TIMEOUT)
        assert set(trace_names(page, "production-by-country-graph")) == {"Brazil", "India"}
        assert page.locator("#production-split-card").is_hidden()  # wheat declares no production by type
        # Back to the site's first commodity: the URL says no commodity, as URLs made before commodities did.
        page.get_by_label("Commodity").select_option("coffee")
        page.wait_for_function("() => !location.search.includes('commodity=') && "
                               "document.querySelector('#production-split-card') && "
                               "getComputedStyle(document.querySelector('#production-split-card')).display !== 'none'",
                               timeout=TIMEOUT)
        assert query(page)["start"] == "2000"
        assert page.console_errors == []


def test_the_switcher_on_a_page_of_no_commodity_opens_the_overview(browser, commodities_server, commodities_session):
    with open_page(browser, commodities_server, commodities_session) as page:
        page.goto("/account")
        page.get_by_label("Commodity").select_option("corn")
        page.wait_for_url("**/dashboards/overview?commodity=corn", timeout=TIMEOUT)
        page.get_by_role("heading", name="World corn overview").wait_for(timeout=TIMEOUT)
        # The navbar's dashboard links keep the commodity shown.
        assert page.get_by_role("link", name="Trade").get_attribute("href") == "/dashboards/trade?commodity=corn"
        assert page.console_errors == []
