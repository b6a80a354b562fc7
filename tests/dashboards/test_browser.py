"""Dashboards in headless Chromium: filters change charts, URLs restore state, downloads work."""
import csv
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("dashboards-browser")]

TIMEOUT = 60000


def traces(page, graph_id):
    """Return [(name, point count)] of the Plotly traces drawn in a dcc.Graph."""
    return [tuple(t) for t in page.evaluate(
        """id => { const g = document.querySelector('#' + id + ' .js-plotly-plot');
                   return g && g.data ? g.data.map(t => [t.name || '', (t.x || []).length]) : []; }""",
        graph_id,
    )]


def wait_traces(page, graph_id, condition):
    """Wait until the graph's traces satisfy a JS condition on `names` and `counts`; return them."""
    page.wait_for_function(
        # The condition is written into the source: the CSP forbids new Function / eval.
        """id => { const g = document.querySelector('#' + id + ' .js-plotly-plot');
             if (!g || !g.data || !g.data.length) return false;
             const names = g.data.map(t => t.name || ''); const counts = g.data.map(t => (t.x || []).length);
             return (%s); }""" % condition,
        arg=graph_id,
        timeout=TIMEOUT,
    )
    return traces(page, graph_id)


def query(page):
    """Return the page URL's query as {key: value}."""
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def download_csv(page, button_id):
    """Click a CSV button and return (file name, rows as dicts)."""
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click(f"#{button_id}")
    download = info.value
    heading, text = open(download.path(), encoding="utf-8").read().split("\n", 1)
    assert heading.startswith(("# Source: USDA", "# DEMO DATA")) and "release" in heading, heading
    return download.suggested_filename, list(csv.DictReader(io.StringIO(text)))


def pick_country(page, dropdown_id, name):
    """Open a Dash dropdown, search for a country and click it."""
    page.click(f"#{dropdown_id}")
    page.fill(".dash-dropdown-content input.dash-dropdown-search", name)
    page.click(f".dash-dropdown-content .dash-dropdown-option:has-text('{name}')")
    page.keyboard.press("Escape")


def test_overview_units_toggle_url_and_download(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/overview")
    before = wait_traces(page, "overview-production-graph", "names.length == 5 && counts[0] > 50")
    assert [n for n, _ in before] == ["Production", "Consumption", "Exports", "Imports", "Ending stocks"]
    production_bags = page.evaluate(
        "() => document.querySelector('#overview-production-graph .js-plotly-plot').data[0].y.slice(-1)[0]")
    page.wait_for_selector("#overview-kpis .kpi")

    page.click("#overview-units label:has-text('1000 tonnes')")
    page.wait_for_function(
        "() => (document.querySelector('#overview-production-graph .js-plotly-plot')?.layout?.yaxis?.title?.text || '')"
        ".includes('tonnes')", timeout=TIMEOUT)
    production_tonnes = page.evaluate(
        "() => document.querySelector('#overview-production-graph .js-plotly-plot').data[0].y.slice(-1)[0]")
    assert production_tonnes == pytest.approx(production_bags * 0.06)
    page.wait_for_function("() => location.search.includes('units=tonnes')", timeout=TIMEOUT)

    page.reload()
    wait_traces(page, "overview-production-graph", "names.length == 5")
    assert page.is_checked("#overview-units input[value='tonnes']")
    assert page.evaluate(
        "() => document.querySelector('#overview-production-graph .js-plotly-plot')?.layout?.yaxis?.title?.text"
    ) == "1000 tonnes"

    name, rows = download_csv(page, "overview-production-csv-button")
    assert name.endswith(".csv")
    assert len(rows) == 5 * 64 and {r["unit"] for r in rows} == {"1000 tonnes"}
    last = [r for r in rows if r["metric"] == "production" and r["market_year"] == "2023"][0]
    assert float(last["value"]) == pytest.approx(production_tonnes)
    assert page.console_errors == []


def test_production_add_country_slider_reload_and_download(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/production")
    start = wait_traces(page, "production-by-country-graph", "names.length == 5")
    assert "Kenya" not in [n for n, _ in start]

    pick_country(page, "production-countries", "Kenya")
    after = wait_traces(page, "production-by-country-graph", "names.includes('Kenya')")
    assert len(after) == 6 and all(count == 25 for _, count in after)
    page.wait_for_function("() => location.search.includes('KEN')", timeout=TIMEOUT)
    assert "KEN" in query(page)["countries"].split(",")

    # Narrow the year range with the slider's own start box (it commits on blur).
    box = page.locator("#production-range input.dash-range-slider-min-input")
    box.fill("2010")
    box.press("Tab")
    narrowed = wait_traces(page, "production-by-country-graph", "counts.every(c => c == 14)")
    assert len(narrowed) == 6
    page.wait_for_function("() => location.search.includes('start=2010')", timeout=TIMEOUT)

    page.reload()
    again = wait_traces(page, "production-by-country-graph", "names.length == 6")
    assert sorted(again) == sorted(narrowed)

    name, rows = download_csv(page, "production-by-country-csv-button")
    assert name == "beanflows-production-by-country-2010-2023.csv"
    assert len(rows) == 6 * 14
    assert {r["country"] for r in rows} == {n for n, _ in again}
    assert page.console_errors == []


def test_trade_form_choice_reload_and_pool_download(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/trade")
    wait_traces(page, "trade-flows-graph", "names.length == 12")
    page.click("#trade-flow")
    page.click(".dash-dropdown-content .dash-dropdown-option:has-text('Soluble')")
    page.wait_for_function(
        "() => (document.querySelector('#trade-flows-graph .js-plotly-plot')?.layout?.title?.text || '')"
        ".includes('soluble')", timeout=TIMEOUT)
    page.wait_for_function("() => location.search.includes('flow=soluble')", timeout=TIMEOUT)

    page.reload()
    page.wait_for_function(
        "() => { const g = document.querySelector('#trade-flows-graph .js-plotly-plot');"
        " return g && g.layout && (g.layout?.title?.text || '').includes('soluble'); }", timeout=TIMEOUT)

    page.wait_for_function(
        "() => { const g = document.querySelector('#trade-pool-graph .js-plotly-plot');"
        " return g && g.data && g.data.length && g.data[0].type == 'sankey'; }", timeout=TIMEOUT)
    name, rows = download_csv(page, "trade-pool-csv-button")
    assert name == "beanflows-trade-world-pool-2023-2023.csv"
    assert {r["side"] for r in rows} == {"exports", "imports"}
    assert len(rows) == 2 * (6 + 1)
    page.wait_for_selector("#trade-table-grid .ag-row")
    assert page.console_errors == []


def test_supply_threshold_changes_table_and_url(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/supply?threshold=10")
    wait_traces(page, "supply-stocks-to-use-graph", "names.includes('World')")
    page.wait_for_selector("#supply-drawdown-grid .ag-row")
    loose = page.locator("#supply-drawdown-grid .ag-center-cols-container .ag-row").count()

    page.fill("#supply-threshold", "50")
    page.press("#supply-threshold", "Enter")
    page.wait_for_function("() => location.search.includes('threshold=50')", timeout=TIMEOUT)
    page.wait_for_function(
        f"() => document.querySelectorAll('#supply-drawdown-grid .ag-center-cols-container .ag-row').length < {loose}",
        timeout=TIMEOUT)
    strict = page.locator("#supply-drawdown-grid .ag-center-cols-container .ag-row").count()

    page.reload()
    page.wait_for_selector("#supply-drawdown-grid .ag-row")
    assert page.input_value("#supply-threshold") == "50"
    assert page.locator("#supply-drawdown-grid .ag-center-cols-container .ag-row").count() == strict

    name, rows = download_csv(page, "supply-drawdown-csv-button")
    assert len(rows) == strict and all(float(r["change_pct"]) < -50 for r in rows)
    assert page.console_errors == []


def test_country_page_switch_country_and_download(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/country/VNM")
    page.wait_for_function("() => document.querySelector('#country-heading')?.innerText == 'Vietnam'",
                           timeout=TIMEOUT)
    wait_traces(page, "country-vs-world-graph", "names[0] == 'Vietnam'")

    page.click("#country-select")
    page.fill(".dash-dropdown-content input.dash-dropdown-search", "Colombia")
    page.click(".dash-dropdown-content .dash-dropdown-option:has-text('Colombia')")
    wait_traces(page, "country-vs-world-graph", "names[0] == 'Colombia'")
    page.wait_for_function("() => location.pathname == '/dashboards/country/COL'", timeout=TIMEOUT)

    page.reload()
    page.wait_for_function("() => document.querySelector('#country-heading')?.innerText == 'Colombia'",
                           timeout=TIMEOUT)
    ranks = wait_traces(page, "country-ranks-graph", "names.length == 3")
    assert all(count == 64 for _, count in ranks)
    # Any drawn row: AG Grid keeps rows of its pinned and centre containers, not all of them shown at once.
    page.wait_for_function("() => [...document.querySelectorAll('#country-sheet-grid .ag-row')]"
                           ".some(r => r.getBoundingClientRect().height > 0)", timeout=TIMEOUT)
    name, rows = download_csv(page, "country-sheet-csv-button")
    assert name == "beanflows-country-COL-balance-sheet-1960-2023.csv"
    assert len(rows) == 64 and {r["country"] for r in rows} == {"Colombia"}
    assert page.console_errors == []


def test_malformed_url_falls_back_to_defaults(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/production?countries=XXX,%27--&start=abc&end=1800&units=furlongs&window=999&metric=x")
    names = wait_traces(page, "production-by-country-graph", "names.length == 5")
    assert all(count == 25 for _, count in names)
    page.wait_for_function("() => location.search.includes('units=bags')", timeout=TIMEOUT)
    state = query(page)
    assert state["units"] == "bags" and state["window"] == "5" and state["metric"] == "production"
    assert len(state["countries"].split(",")) == 5

    assert page.console_errors == []
    # An unknown country is not silently another one: a 404 with a helpful page.
    assert page.goto("/dashboards/country/NOPE?units=tonnes").status == 404
    page.get_by_role("heading", name="Not found").wait_for(timeout=TIMEOUT)


def test_navbar_lists_every_dashboard(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/overview")
    page.wait_for_selector("#shell-nav")
    hrefs = page.eval_on_selector_all("#shell-nav a.nav-link", "els => els.map(e => e.getAttribute('href'))")
    for path in ("/dashboards/overview", "/dashboards/production", "/dashboards/trade", "/dashboards/supply",
                 "/dashboards/country"):
        assert path in hrefs
    page.click("#shell-nav a.nav-link[href='/dashboards/country']")
    page.wait_for_function("() => location.pathname == '/dashboards/country/BRA'", timeout=TIMEOUT)
    assert page.console_errors == []


def test_free_user_gets_the_overview_without_downloads(free_page):
    page = free_page
    page.goto("/dashboards/overview")
    wait_traces(page, "overview-production-graph", "names.length == 5")
    wait_traces(page, "overview-top-producers-graph", "counts[0] == 10")
    assert page.is_disabled("#overview-production-csv-button")
    assert page.is_disabled("#overview-top-producers-csv-button")
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/dashboards/production?countries=BRA,VNM&start=2001&units=tonnes",
                                  "/dashboards/country/COL"])
def test_first_load_asks_for_nothing(subscriber_page, path):
    page = subscriber_page
    posted = []
    page.on("request", lambda r: r.method == "POST" and "_dash-update-component" in r.url
            and posted.append(r.post_data_json["output"]))
    page.goto(path)
    wait_drawn(page, urlparse(path).path.split("/")[2])
    page.wait_for_load_state("networkidle")
    # The first layout holds the page with its filters set and its charts drawn: no router, no charts.
    assert posted == []
    assert page.console_errors == []


def test_navigation_asks_only_for_the_page(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/production")
    wait_drawn(page, "production")
    posted = []
    page.on("request", lambda r: r.method == "POST" and "_dash-update-component" in r.url
            and posted.append(r.post_data_json["output"]))
    page.click("a[href='/dashboards/trade']")
    wait_drawn(page, "trade")
    page.wait_for_load_state("networkidle")
    # The page router's answer holds the trade page drawn, so no chart asks for its data.
    assert len(posted) == 1 and "_pages_content.children" in posted[0], posted
    assert page.console_errors == []


def wait_drawn(page, name):
    """Wait until every chart the named page declares shows something other than its placeholder."""
    import importlib
    import pkgutil

    import callbacks
    from callbacks import page as common

    for module in pkgutil.iter_modules(callbacks.__path__):  # every chart declared, whatever ran before
        importlib.import_module(f"callbacks.{module.name}")
    charts = {spec.ids.view for spec in common.CHARTS if spec.page == name}
    page.wait_for_function("ids => ids.every(id => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
                           " if (g) return g.data && g.data.length > 0;"
                           " return document.querySelector('#' + id + ' .ag-row') !== null; })",
                           arg=sorted(charts), timeout=TIMEOUT)
