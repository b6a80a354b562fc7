"""axe-core in Chromium at 1440 px and 390 px, light and dark: no serious or critical violation on any page."""
from pprint import pformat

import pytest

from tests.a11y.pages import ANONYMOUS, FRAMES, SIGNED_IN, SUBSCRIBER, TIMEOUT, settled
from tests.conftest import open_page
from tests.harness.drawn import DARK_PAPER

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("a11y-browser")]

# Every rule axe runs by default (WCAG 2.x A/AA and best practices); these impacts fail the test.
FAILING = ("serious", "critical")
# A desktop and a phone (an iPhone 12 to 15 is 390 x 844 CSS px).
VIEWPORTS = {1440: {"width": 1440, "height": 900}, 390: {"width": 390, "height": 844}}
# Each page is loaded once per width in one scheme, checked, switched to the other (assets/theme.js follows the
# system's change and re-themes the charts) and checked again; the scheme loaded fresh alternates with the width.
SCHEMES = {1440: ("light", "dark"), 390: ("dark", "light")}
RUN = """async options => (await axe.run(document, {resultTypes: ['violations'], ...options})).violations
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""
# The switch changes colours only, never the DOM: in the second scheme axe runs the rules that read colours.
COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
# Bootstrap's buttons fade to the new scheme's colours (CSS transitions): axe reads them once faded.
TRANSITIONS_DONE = """() => Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition)
  .map(a => a.finished.catch(() => null)))"""
THEMED = f"""scheme => document.documentElement.getAttribute('data-bs-theme') === scheme
  && [...document.querySelectorAll('.js-plotly-plot')].every(g => (g._fullLayout.paper_bgcolor === '{DARK_PAPER}')
                                                              === (scheme === 'dark'))"""


def _structure(page):
    """Return what is wrong with the page's outline: one h1, one main landmark, lang="en"."""
    found = {"h1": page.locator("h1").count(), "main": page.locator("main").count(),
             "lang": page.get_attribute("html", "lang")}
    return [] if found == {"h1": 1, "main": 1, "lang": "en"} else [found]


def _axe(page, axe_source, scheme, options):
    """Return axe's serious and critical violations of the page (options: which rules) in the colour scheme."""
    page.emulate_media(color_scheme=scheme)
    page.wait_for_function(THEMED, arg=scheme, timeout=TIMEOUT)
    page.evaluate(FRAMES)
    page.evaluate(TRANSITIONS_DONE)
    # CDP evaluation, not a <script> tag: the CSP forbids inline scripts, rightly.
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(axe_source)
    return [v for v in page.evaluate(RUN, options) if v["impact"] in FAILING]


def _check(page, axe_source, pages, width):
    """Open each page at the width; fail naming every (path, scheme or 'outline') with a problem."""
    page.set_viewport_size(VIEWPORTS[width])
    first, second = SCHEMES[width]
    found = {}
    for path, status in pages.items():
        page.emulate_media(color_scheme=first)
        assert page.goto(path).status == status, path
        settled(page, path, status)
        found[(path, "outline")] = _structure(page)
        found[(path, first)] = _axe(page, axe_source, first, {})
        found[(path, second)] = _axe(page, axe_source, second, COLOUR_RULES)
    problems = {key: problems for key, problems in found.items() if problems}
    assert problems == {}, pformat(problems)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_no_serious_violations_signed_in(browser, live_server, admin_session, rule_path, axe_source, width):
    with open_page(browser, live_server, admin_session) as page:
        _check(page, axe_source, {**SIGNED_IN, rule_path: 200}, width)
        # The saved-views section was checked with a view in it.
        page.goto("/account")
        assert page.locator("#saved-views table tbody tr").count() == 1


@pytest.mark.parametrize("width", VIEWPORTS)
def test_no_serious_violations_subscriber(browser, live_server, subscriber_session, axe_source, width):
    with open_page(browser, live_server, subscriber_session) as page:
        _check(page, axe_source, SUBSCRIBER, width)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_no_serious_violations_anonymous(browser, live_server, axe_source, width):
    context = browser.new_context(base_url=live_server.url)
    try:
        _check(context.new_page(), axe_source, dict.fromkeys(ANONYMOUS, 200), width)
    finally:
        context.close()


def test_dropdowns_are_reached_and_opened_by_keyboard(browser, live_server, admin_session):
    with open_page(browser, live_server, admin_session) as page:
        page.goto("/dashboards/production")
        settled(page, "/dashboards/production")
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
