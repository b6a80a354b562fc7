"""The Overview's world map and regional totals, and regions in the Supply picker, in headless Chromium."""
import pytest

from data.reference import regions
from tests.dashboards.test_browser import TIMEOUT, pick_country, query, wait_traces

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("dashboards-browser")]
PRODUCTION = 28


def plot(page, graph_id, expression):
    """Return a JS expression evaluated on a graph's Plotly div (as `g`)."""
    return page.evaluate(
        "([id, expr]) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
        " return ({data: g.data, layout: g.layout})[expr] ; }", [graph_id, expression])


def test_map_draws_from_local_shapes_without_other_origins(subscriber_page, live_server, raw_by_code):
    page = subscriber_page
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto("/dashboards/overview?year=2023&metric=production")
    page.wait_for_function(
        "() => document.querySelectorAll('#overview-map-graph path.choroplethlocation').length > 50", timeout=TIMEOUT)
    data = plot(page, "overview-map-graph", "data")[0]
    by_code = dict(zip(data["locations"], data["customdata"]))
    produced = raw_by_code.xs(2023, level=1)[PRODUCTION].dropna()
    assert by_code["BRA"] == produced["BRA"] and by_code["VNM"] == produced["VNM"]
    assert "EU" not in by_code and set(by_code) <= set(produced.index)
    assert f"{live_server.url}/assets/topojson/world_110m.json" in requests
    assert not failed
    outside = [u for u in requests if not u.startswith((live_server.url, "data:", "blob:"))]
    assert outside == []
    assert "EU is reported as one entity" in page.inner_text("#overview-map-graph >> xpath=ancestor::div[contains(@class,'card-body')]")
    assert page.console_errors == []


def test_metric_and_grouping_change_the_map_and_the_regional_totals(subscriber_page, raw_by_code):
    page = subscriber_page
    page.goto("/dashboards/overview?start=2000&end=2023")
    names = wait_traces(page, "overview-regions-graph", "names.length == 7")
    assert [n for n, _ in names] == list(regions.CONTINENTS)

    page.click("#overview-grouping")
    page.click(".dash-dropdown-content .dash-dropdown-option:has-text('ICO producer groups')")
    wait_traces(page, "overview-regions-graph", "names.length == 4")
    data = plot(page, "overview-regions-graph", "data")
    south = next(t for t in data if t["name"] == regions.ICO_SOUTH_AMERICA)
    members = raw_by_code[raw_by_code.index.get_level_values(0).isin(regions.members(regions.ICO_SOUTH_AMERICA))]
    assert south["y"][-1] == pytest.approx(members.xs(2023, level=1)[PRODUCTION].sum())
    assert query(page)["grouping"] == "ico"

    page.click("#overview-metric")
    page.click(".dash-dropdown-content .dash-dropdown-option:has-text('Stocks-to-use')")
    page.wait_for_function(
        "() => (document.querySelector('#overview-map-graph .js-plotly-plot')?.layout?.title?.text || '')"
        ".startsWith('Stocks-to-use')", timeout=TIMEOUT)
    page.wait_for_function(
        "() => (document.querySelector('#overview-regions-graph .js-plotly-plot')?.layout?.title?.text || '')"
        ".startsWith('Stocks-to-use')", timeout=TIMEOUT)
    assert query(page)["metric"] == "stocks_to_use_pct"
    page.reload()
    wait_traces(page, "overview-regions-graph", "names.length == 4")
    assert page.console_errors == []


def test_supply_draws_a_region_picked_beside_countries(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/supply?countries=BRA&start=2010&end=2023")
    wait_traces(page, "supply-ending-stocks-graph", "names.length == 1")
    pick_country(page, "supply-countries", "South America (region)")
    traces = wait_traces(page, "supply-ending-stocks-graph", "names.length == 2")
    assert [n for n, _ in traces] == ["Brazil", "South America"]
    page.wait_for_function("() => decodeURIComponent(location.search).includes('REGION:South')", timeout=TIMEOUT)
    page.reload()
    traces = wait_traces(page, "supply-stocks-to-use-graph", "names.length == 3")
    assert sorted(n for n, _ in traces) == ["Brazil", "South America", "World"]
    assert page.console_errors == []
