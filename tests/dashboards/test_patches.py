"""Each browser patch in assets/ still meets what it patches: when Dash, dcc or Plotly change it, these fail."""
import pytest

from tests.harness.drawn import ALL_DRAWN

pytestmark = pytest.mark.browser

TIMEOUT = 60000
GRAPHS = "document.querySelectorAll('.js-plotly-plot').length"


def test_dcc_graph_still_asks_for_the_resizes_plotly_resize_answers(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/production")
    page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
    graphs = page.evaluate(GRAPHS)
    # dcc.Graph asks once per graph after its first draw (and again from its resize observer).
    page.wait_for_function(f"window.beanflowsResizes.answered >= {graphs}", timeout=TIMEOUT)
    assert page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].every(g => g._fullLayout.width > 0)")
    assert page.console_errors == []


def test_dcc_components_still_suspend_on_first_render_as_warm_lazy_expects(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/production")
    page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
    assert page.evaluate("window.beanflowsWarm") == {"suspended": True, "failed": None}
    assert page.console_errors == []


def test_a_grid_loads_its_library_through_the_lazy_bundle_stand_in(subscriber_page):
    page = subscriber_page
    page.goto("/dashboards/overview")
    page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
    assert page.evaluate("typeof window.dash_ag_grid.AgGrid") == "function"
    assert page.evaluate("!!document.querySelector('script[src*=\"dash_ag_grid\"]')") is False  # not loaded yet
    page.goto("/dashboards/country/BRA")
    page.locator("#country-sheet-grid .ag-center-cols-container .ag-row").first.wait_for(state="attached", timeout=TIMEOUT)
    assert page.evaluate("!!document.querySelector('script[src*=\"dash_ag_grid\"]')") is True
    assert page.console_errors == []
