"""The prices dashboard in headless Chromium on the shared server (real coffee data, both Pink Sheet editions)."""
import csv
import io

import pytest

from tests.dashboards.test_browser import TIMEOUT, query, wait_traces
from tests.data.prices_raw import CENTS_PER_LB_FROM_USD_PER_KG, market_year_means

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("dashboards-browser")]

ATTRIBUTION = "World Bank Commodity Price Data (The Pink Sheet), CC BY 4.0"
GRAPHS = ("prices-history-graph", "prices-fit-graph", "prices-market-graph")
CREDITS = """id => (document.querySelector('#' + id + ' .js-plotly-plot').layout.annotations || [])
                     .map(a => a.text).join(' ')"""


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_the_three_charts_draw_credited_with_the_fit_under_them(subscriber_page, width, height):
    page = subscriber_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/dashboards/prices?start=1999&end=2023")
    wait_traces(page, "prices-history-graph", "names.length == 4 && counts[0] > 300")
    fit = wait_traces(page, "prices-fit-graph", "names.length == 3")
    wait_traces(page, "prices-market-graph", "names.length == 3")
    assert fit[0] == ("Market years", 24) and fit[1] == ("Latest, 2023/24", 1)
    for graph in GRAPHS:
        assert ATTRIBUTION in page.evaluate(CREDITS, graph), graph
    message = page.inner_text("#prices-fit-message")
    assert "n = 25" in message and "cannot say" in message and "Years 1999-2023" in message
    assert "implies a world stocks-to-use of" in page.inner_text("#prices-market-message")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert page.console_errors == []


def test_series_choice_follows_the_url_and_the_download_is_credited(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/prices?start=1999&end=2023")
    wait_traces(page, "prices-fit-graph", "names.length == 3")
    page.click("#prices-series")
    page.click(".dash-dropdown-content .dash-dropdown-option:has-text('Robusta')")
    page.wait_for_function("() => location.search.includes('series=robusta')", timeout=TIMEOUT)
    page.wait_for_function("""() => (document.querySelector('#prices-fit-graph .js-plotly-plot')?.layout?.title?.text
                                     || '').startsWith('Robusta')""", timeout=TIMEOUT)
    assert query(page)["series"] == "robusta"
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click("#prices-fit-csv-button")
    heading, text = open(info.value.path(), encoding="utf-8").read().split("\n", 1)
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = market_year_means("2025-05", "robusta", 10, CENTS_PER_LB_FROM_USD_PER_KG)
    assert [int(r["market_year"]) for r in rows] == list(range(1999, 2024))
    assert [float(r["price"]) for r in rows] == pytest.approx([expected[y] for y in range(1999, 2024)], rel=1e-9)
    assert {r["source"] for r in rows} == {ATTRIBUTION}
    assert page.console_errors == []

