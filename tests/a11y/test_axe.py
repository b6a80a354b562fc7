"""axe-core in Chromium at 1440 px and 390 px: no serious or critical violation on any page, light and dark."""
import pytest

from tests.conftest import open_page
from tests.harness.drawn import ALL_DRAWN

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("a11y-browser")]

TIMEOUT = 60000
ANONYMOUS = ["/", "/login", "/signup", "/reset", "/methodology", "/docs/api"]
# /account holds the saved views (the admin has one): the saved-views page is that section.
SIGNED_IN = ["/account", "/alerts", "/admin", "/dashboards/overview", "/dashboards/production",
             "/dashboards/trade", "/dashboards/supply", "/dashboards/country/BRA", "/dashboards/changes",
             "/no/such/page"]
# Every rule axe runs by default (WCAG 2.x A/AA and best practices); these impacts fail the test.
FAILING = ("serious", "critical")
# A desktop and a phone (an iPhone 12 to 15 is 390 x 844 CSS px).
VIEWPORTS = {1440: {"width": 1440, "height": 900}, 390: {"width": 390, "height": 844}}
RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""


GRIDS_FILLED = """() => Array.from(document.querySelectorAll('.ag-root-wrapper'))
  .every(grid => grid.querySelector('.ag-row, [class*="ag-overlay-no-rows"]'))"""


def _settled(page, path):
    """Wait until the page has drawn what it shows (charts, grids, Dash's own components)."""
    if path.startswith("/dashboards/") and path != "/dashboards/changes":
        page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT)
    # AG Grid draws its header first and its rows a few frames later: a grid caught in between has a header
    # row with no cells and an empty scrolling viewport, which axe rightly flags (seen once on a loaded CI run).
    page.wait_for_function(GRIDS_FILLED, timeout=TIMEOUT)
    # assets/a11y.js names Dash's components on the next animation frame after they appear.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _violations(page, axe_source, path, scheme):
    """Return axe's serious and critical violations of path in the colour scheme."""
    response = page.goto(path)
    assert response.status == (404 if path == "/no/such/page" else 200), path
    _settled(page, path)
    assert page.get_attribute("html", "data-bs-theme") == scheme, path
    # CDP evaluation, not a <script> tag: the CSP forbids inline scripts, rightly.
    page.evaluate(axe_source)
    return [v for v in page.evaluate(RUN) if v["impact"] in FAILING]


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations_signed_in(browser, live_server, admin_session, axe_source, scheme, width):
    with open_page(browser, live_server, admin_session) as page:
        page.emulate_media(color_scheme=scheme)
        page.set_viewport_size(VIEWPORTS[width])
        found = {path: _violations(page, axe_source, path, scheme) for path in SIGNED_IN}
        assert {p: v for p, v in found.items() if v} == {}


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations_anonymous(browser, live_server, axe_source, scheme, width):
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme, viewport=VIEWPORTS[width])
    try:
        page = context.new_page()
        found = {path: _violations(page, axe_source, path, scheme) for path in ANONYMOUS}
        assert {p: v for p, v in found.items() if v} == {}
    finally:
        context.close()


def test_each_page_has_one_h1_and_a_main_landmark(browser, live_server, admin_session):
    with open_page(browser, live_server, admin_session) as page:
        for path in SIGNED_IN:
            page.goto(path)
            _settled(page, path)
            assert page.locator("h1").count() == 1, path
            assert page.locator("main").count() == 1, path
            assert page.get_attribute("html", "lang") == "en", path
        # The saved-views section was checked with a view in it.
        page.goto("/account")
        assert page.locator("#saved-views table tbody tr").count() == 1


def test_dropdowns_are_reached_and_opened_by_keyboard(browser, live_server, admin_session):
    with open_page(browser, live_server, admin_session) as page:
        page.goto("/dashboards/production")
        _settled(page, "/dashboards/production")
        button = page.locator("#production-countries")
        page.focus("#production-range .dash-range-slider-max-input")
        for _ in range(10):
            page.keyboard.press("Shift+Tab")
            if page.evaluate("document.activeElement.id") == "production-countries":
                break
        assert page.evaluate("document.activeElement.id") == "production-countries"
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('#production-countries')"
                               ".getAttribute('aria-expanded') === 'true'", timeout=TIMEOUT)
        assert button.get_attribute("aria-describedby")
