"""Every page at 1440 px and 390 px in headless Chromium; on a phone the navbar opens, navigates and closes."""
import pytest

from tests.auth.admin_ops import change
from tests.conftest import create_user, login_session, open_page
from tests.harness.env import dashboard_paths

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("dashboards-browser")]

TIMEOUT = 60000
PUBLIC = ["/", "/login", "/signup", "/reset", "/account", "/alerts", "/admin", "/docs/api", "/methodology"]
# The pages the phone navbar lists, in its order, and where each lands.
NAV_PAGES = [("Overview", "/dashboards/overview"), ("Production", "/dashboards/production"),
             ("Trade", "/dashboards/trade"), ("Supply", "/dashboards/supply"), ("Country", "/dashboards/country"),
             ("What changed", "/dashboards/changes"), ("Admin", "/admin"), ("Alerts", "/alerts")]


@pytest.fixture(scope="module")
def admin_session(live_server):
    """Return a requests.Session of an admin with granted access (sees every page), its audit log not empty."""
    session = login_session(live_server, create_user(live_server, "phone-admin@example.com", "--admin", "--comp"))
    # A long address in the audit log must not widen the admin page on a phone.
    create_user(live_server, "a-subscriber-with-a-rather-long-address-for-the-log@example.com")
    change(session, live_server.url, "a-subscriber-with-a-rather-long-address-for-the-log@example.com",
           "access_granted", True)
    return session


@pytest.fixture(scope="module")
def paths(live_server, subscriber_session):
    """Return every dashboard the subscriber's navbar offers, plus one country page."""
    return dashboard_paths(live_server, subscriber_session)


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_every_page_opens(browser, live_server, admin_session, paths, width, height):
    with open_page(browser, live_server, admin_session) as page:
        page.set_viewport_size({"width": width, "height": height})
        for path in paths + PUBLIC:
            response = page.goto(path)
            assert response.status == 200, path
            page.locator("h1").first.wait_for(state="attached", timeout=TIMEOUT)
            assert page.locator("h1").count() == 1, path
            if path.startswith("/dashboards"):
                page.wait_for_selector(".js-plotly-plot, .ag-root, .kpi", timeout=TIMEOUT)
            # Nothing is wider than the screen.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, width, overflow)
        assert page.console_errors == []
        # Last, as the browser logs its 404 status as a console error.
        assert page.goto("/no/such/page").status == 404
        page.get_by_role("heading", name="Not found").wait_for(timeout=TIMEOUT)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


def _phone_menu(page):
    """Open the overview at phone width and return its (closed) navbar menu."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/dashboards/overview")
    page.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT)
    return page.locator("#shell-nav-collapse")


def test_phone_navbar_opens_navigates_and_closes(browser, live_server, subscriber_session):
    with open_page(browser, live_server, subscriber_session) as page:
        menu = _phone_menu(page)
        supply = menu.get_by_role("link", name="Supply")
        assert not supply.is_visible()
        page.click("#shell-nav-toggler")
        supply.wait_for(state="visible", timeout=TIMEOUT)
        assert menu.get_by_role("button", name="Log out").is_visible()
        supply.click()
        page.wait_for_url("**/dashboards/supply**", timeout=TIMEOUT)
        supply.wait_for(state="hidden", timeout=TIMEOUT)
        page.click("#shell-nav-toggler")
        account = menu.get_by_role("link", name="@")
        account.wait_for(state="visible", timeout=TIMEOUT)
        page.click("#shell-nav-toggler")
        account.wait_for(state="hidden", timeout=TIMEOUT)
        assert page.console_errors == []


def test_phone_navbar_reaches_every_page(browser, live_server, admin_session):
    with open_page(browser, live_server, admin_session) as page:
        menu = _phone_menu(page)
        for name, path in NAV_PAGES:
            link = menu.get_by_role("link", name=name, exact=True)
            assert not link.is_visible(), name
            page.click("#shell-nav-toggler")
            link.wait_for(state="visible", timeout=TIMEOUT)
            link.click()
            page.wait_for_url(f"**{path}**", timeout=TIMEOUT)
            page.locator("h1").wait_for(timeout=TIMEOUT)
            if path == "/alerts":
                break
            page.goto("/dashboards/overview")  # back to a Dash page, whose navbar folds on a phone
        # The server-rendered pages' navbar folds on a phone too: open it, on to the account.
        account = page.get_by_role("link", name="phone-admin@example.com")
        assert not account.is_visible()
        page.get_by_role("button", name="Menu").click()
        account.click()
        page.wait_for_url("**/account", timeout=TIMEOUT)
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Log out").wait_for(state="visible", timeout=TIMEOUT)
        assert page.console_errors == []


@pytest.mark.parametrize("path", ["/dashboards/country/XXX", "/dashboards/nope", "/no/such/page"])
def test_unknown_pages_and_countries_answer_404_with_help(browser, live_server, subscriber_session, path):
    assert subscriber_session.get(live_server.url + path, timeout=30).status_code == 404
    with open_page(browser, live_server, subscriber_session) as page:
        assert page.goto(path).status == 404
        page.get_by_role("heading", name="Not found").wait_for(timeout=TIMEOUT)
        assert page.get_by_role("link", name="World overview").is_visible()
        assert "Brazil" not in page.inner_text("body")


def test_tab_title_follows_the_country(browser, live_server, subscriber_session):
    assert subscriber_session.get(live_server.url + "/dashboards/country/COL", timeout=30).status_code == 200
    with open_page(browser, live_server, subscriber_session) as page:
        page.goto("/dashboards/country/COL")
        page.wait_for_function("() => document.title.startsWith('Colombia')", timeout=TIMEOUT)
        page.click("#country-select")
        page.fill(".dash-dropdown-content input.dash-dropdown-search", "Ethiopia")
        page.click(".dash-dropdown-content .dash-dropdown-option:has-text('Ethiopia')")
        page.wait_for_function("() => document.title.startsWith('Ethiopia')", timeout=TIMEOUT)


def test_landmarks_png_and_mode_bar_out_of_tab_order(browser, live_server, subscriber_session):
    with open_page(browser, live_server, subscriber_session) as page:
        page.goto("/dashboards/supply")
        page.wait_for_selector("#supply-stocks-to-use-graph .modebar-btn", state="attached", timeout=TIMEOUT)
        assert page.get_attribute("html", "lang") == "en"
        assert page.locator("main").count() == 1 and page.locator("h1").count() == 1
        page.wait_for_function("() => [...document.querySelectorAll('.modebar-btn')]"
                               ".every(b => b.getAttribute('tabindex') === '-1')", timeout=TIMEOUT)
        label = page.locator("label[for='supply-threshold']")
        assert label.count() == 1
        with page.expect_download(timeout=TIMEOUT) as info:
            page.click("#supply-stocks-to-use-png-button")
        assert info.value.suggested_filename == "beanflows-supply-stocks-to-use-graph.png"
        assert page.console_errors == []


def test_template_pages_navbar_opens_on_a_phone(browser, live_server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(live_server.url + "/login")
        signup = page.locator("#template-nav").get_by_role("link", name="Sign up")
        assert not signup.is_visible()
        toggler = page.get_by_role("button", name="Menu")
        toggler.click()
        signup.wait_for(state="visible", timeout=TIMEOUT)
        assert toggler.get_attribute("aria-expanded") == "true"
        signup.click()
        page.wait_for_url("**/signup", timeout=TIMEOUT)
        assert not page.locator("#template-nav").get_by_role("link", name="Log in").is_visible()
    finally:
        page.close()
