"""Every dashboard draws with the custom plotly.js bundle and loads only the scripts it uses."""
import pytest

from tests.harness.drawn import ALL_DRAWN
from tests.harness.env import dashboard_paths

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("dashboards-browser")]

BUNDLE_TRACES = {"scatter", "bar", "sankey", "choropleth"}
WITHOUT_GRID = {"/dashboards/overview", "/dashboards/production", "/dashboards/prices"}
# The live server holds one release, so the changes page says there is nothing to compare and draws no
# chart; tests/dashboards/test_changes_browser.py draws it on three releases.
NOTHING_TO_DRAW_ON_ONE_RELEASE = "/dashboards/changes"

# Trace types each drawn chart holds, and the trace types the loaded plotly.js knows.
DRAWN_TYPES = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(g => g._fullData.filter(t => t.visible !== false).map(t => t.type))"""
KNOWN_TYPES = "() => Object.keys(Plotly.PlotSchema.get().traces)"


def test_bundle_holds_exactly_the_product_traces_at_plotly_py_version(subscriber_page):
    from plotly.offline import get_plotlyjs_version

    page = subscriber_page
    page.goto("/dashboards/overview")
    page.wait_for_function(ALL_DRAWN, timeout=60000)
    assert set(page.evaluate(KNOWN_TYPES)) == BUNDLE_TRACES
    assert page.evaluate("() => Plotly.version") == get_plotlyjs_version()


def test_every_dashboard_draws_with_the_bundle(subscriber_page, live_server, subscriber_session):
    page = subscriber_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    drawn_types = set()
    for path in dashboard_paths(live_server, subscriber_session):
        if path.startswith(NOTHING_TO_DRAW_ON_ONE_RELEASE):
            continue
        requested.clear()
        page.goto(path)
        page.wait_for_function(ALL_DRAWN, timeout=60000)
        charts = page.evaluate(DRAWN_TYPES)
        assert charts and all(charts), path  # every chart drew at least one trace
        drawn_types.update(t for chart in charts for t in chart)
        assert [u for u in requested if "plotly-custom.min.js" in u], path
        assert not [u for u in requested if "package_data/plotly" in u or "dash_table" in u], path
        if path in WITHOUT_GRID:
            page.wait_for_load_state("networkidle")
            assert page.locator(".ag-root-wrapper").count() == 0, path
            assert not [u for u in requested if "dash_ag_grid.v" in u], path
        else:
            # The grid's bundle arrives after the charts have drawn; the grid renders once it has run.
            page.wait_for_selector(".ag-root-wrapper", timeout=30000)
            assert [u for u in requested if "dash_ag_grid.v" in u], path
    assert {"scatter", "bar", "sankey"} <= drawn_types <= BUNDLE_TRACES
    assert page.console_errors == []


def test_grid_renders_after_in_app_navigation_from_a_page_without_one(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/production")
    page.wait_for_function(ALL_DRAWN, timeout=60000)
    page.click("a[href='/dashboards/supply']")
    page.wait_for_selector("#supply-drawdown-grid .ag-row", timeout=60000)
    assert page.console_errors == []


def test_layout_callbacks_and_chart_code_are_fetched_while_the_scripts_run(subscriber_page):
    page = subscriber_page
    requested = []
    page.on("request", lambda request: requested.append(request.url.split("/", 3)[3].split("?")[0]))
    page.goto("/dashboards/production")
    page.wait_for_function(ALL_DRAWN, timeout=60000)
    page.wait_for_load_state("networkidle")
    early = page.evaluate("""() => {
      const ready = performance.getEntriesByType('navigation')[0].domContentLoadedEventStart;
      return performance.getEntriesByType('resource').filter(r => r.startTime < ready)
        .map(r => r.name.split('/').slice(3).join('/').split('?')[0]); }""")
    for name in ("_dash-layout", "_dash-dependencies"):
        assert name in early, name  # asked for before the scripts have run
        assert requested.count(name) == 1, name  # and the preloaded answer is the one used
    # dcc's graph, dropdown and slider chunks are plain scripts of the page (fingerprinted, fetched once).
    for chunk in ("async-graph", "async-dropdown", "async-slider"):
        fetched = [name for name in requested if name.startswith(f"_dash-component-suites/dash/dcc/{chunk}.")]
        assert len(fetched) == 1 and fetched[0] in early, (chunk, fetched)
    assert not any("polyfill" in name for name in requested)  # modern browsers need no @babel/polyfill
    assert page.console_errors == []
