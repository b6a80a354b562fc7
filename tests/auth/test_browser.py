"""In Chromium: sign up, log out, log in, reach a subscriber page once an admin grants access in /admin, lose it on disable."""
import pytest

from tests.conftest import PASSWORD, create_user

EMAIL = "browser-user@example.com"
ADMIN = "browser-admin@example.com"
SUBSCRIBER_PAGE = "/dashboards/trade"


def _log_in(page, email):
    """Log in through the HTML form."""
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit], main input[type=submit]")
    page.wait_for_url("**/dashboards/overview")
    page.locator("#overview-kpis").wait_for(state="attached")  # Dash has drawn the page


@pytest.mark.browser
def test_signup_logout_login_and_access_granted_in_the_admin_grid(browser, live_server):
    create_user(live_server, ADMIN, "--admin")
    user_context = browser.new_context(base_url=live_server.url)
    admin_context = browser.new_context(base_url=live_server.url)
    try:
        user = user_context.new_page()
        user.goto("/signup")
        user.fill("input[name=email]", EMAIL)
        user.fill("input[name=password]", PASSWORD)
        user.click("input[type=submit]")
        user.wait_for_url("**/dashboards/overview")
        user.locator("#shell-nav").get_by_text(EMAIL).wait_for()

        user.locator("#shell-nav").get_by_role("button", name="Log out").click()
        user.wait_for_url(live_server.url + "/")
        user.locator("#shell-nav").get_by_role("link", name="Log in", exact=True).wait_for()
        assert user.goto("/account").url.startswith(live_server.url + "/login?next=")

        _log_in(user, EMAIL)
        # In-app navigation (as dcc.Link does it) to a subscriber page ends on the server's 403 page.
        user.evaluate(f"window.history.pushState({{}}, '', '{SUBSCRIBER_PAGE}');"
                      "window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'))")
        user.get_by_role("heading", name="Subscriber feature").wait_for()
        refused = user.goto(SUBSCRIBER_PAGE)
        assert refused.status == 403
        assert user.get_by_role("heading", name="Subscriber feature").is_visible()

        admin = admin_context.new_page()
        _log_in(admin, ADMIN)
        admin.goto("/admin")
        search = admin.locator("#admin-search")
        search.fill(EMAIL)
        search.press("Enter")
        row = admin.locator(".ag-center-cols-container .ag-row", has_text=EMAIL)
        row.wait_for()
        # A function, not an expression: Playwright polls an expression with eval, which the CSP refuses.
        admin.wait_for_function("() => document.querySelectorAll('.ag-center-cols-container .ag-row').length === 1")
        row.locator('[col-id="access_granted"] input[type=checkbox]').click()
        dialog = admin.locator(".modal-dialog")
        dialog.get_by_text(f"Grant subscriber access to {EMAIL}?").wait_for()
        dialog.get_by_role("button", name="Confirm").click()
        admin.locator("#admin-status").get_by_text(f"{EMAIL} now has subscriber access.").wait_for()
        admin.locator("#admin-audit").get_by_text("grant_access").wait_for()
        assert row.locator('[col-id="access_granted"] input[type=checkbox]').is_checked()

        opened = user.goto(SUBSCRIBER_PAGE)
        assert opened.status == 200
        user.locator("#_pages_content").get_by_role("heading").first.wait_for()
        assert "Subscriber feature" not in user.content()

        # The admin disables the user; the user's next in-app navigation lands on the login page.
        row.locator('[col-id="active"] input[type=checkbox]').click()
        dialog.get_by_text(f"Disable {EMAIL}?").wait_for()
        dialog.get_by_role("button", name="Confirm").click()
        admin.locator("#admin-status").get_by_text(f"{EMAIL} is disabled").wait_for()
        user.locator("#shell-nav").get_by_role("link", name="Supply", exact=True).click()
        user.wait_for_url("**/login?next=%2Fdashboards%2Fsupply")
    finally:
        user_context.close()
        admin_context.close()
