"""The pages the accessibility tests open, and waiting until one has drawn what it shows."""
from tests.harness.drawn import ALL_DRAWN

TIMEOUT = 60000
# The pages test_axe.py checks, by who opens them (test_pages_listed.py fails on a page missing here).
ANONYMOUS = ["/", "/login", "/signup", "/reset", "/methodology", "/docs/api", "/login/sso",
             "/auth/oidc/link"]  # nothing waiting to be linked: back to /login
# What the admin (who also subscribes) opens; /account holds the saved views (the admin has one), /alerts the
# rules (one, whose edit page is added by the test). Expected status beside each path.
SIGNED_IN = {"/account": 200, "/alerts": 200, "/admin": 200, "/admin/metrics": 200,
             "/dashboards/overview": 200,
             "/dashboards/production": 200, "/dashboards/trade": 200, "/dashboards/supply": 200,
             "/dashboards/country/BRA": 200, "/dashboards/changes": 200, "/dashboards/prices": 200, "/logout": 200, "/billing/success": 200,
             "/billing/cancel": 200, "/team": 200, "/billing/team": 200, "/no/such/page": 404,
             # The two-factor settings; the second step, which sends a user holding no factor on to the dashboards.
             "/account/mfa": 200, "/login/mfa": 200,
             # The admin is in no team: the team tokens page refuses them with its reason.
             "/team/tokens": 403}
# A subscriber who is no admin sees the same pages, and a refusal where the admin sees /admin.
SUBSCRIBER = {"/admin": 403, "/admin/metrics": 403, "/account": 200}
# The pages holding dash-ag-grid tables (whose script loads on demand, after the page's first draw).
GRID_PAGES = ["/dashboards/trade", "/dashboards/supply", "/dashboards/country/BRA", "/dashboards/changes", "/admin"]
GRIDS_FILLED = """expected => {
  const grids = [...document.querySelectorAll('.ag-root-wrapper')];
  return grids.length >= expected && grids.every(grid => grid.querySelector('.ag-row, [class*="ag-overlay-no-rows"]'));
}"""
FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def settled(page, path, status=200):
    """Wait until the page (answered with status) has drawn its charts, grids and their rows, Dash's components."""
    if path.startswith("/dashboards/") and path != "/dashboards/changes":
        page.wait_for_function(ALL_DRAWN, timeout=TIMEOUT)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT)
    page.wait_for_function(GRIDS_FILLED, arg=int(path in GRID_PAGES and status == 200), timeout=TIMEOUT)
    # assets/a11y.js names Dash's components on the next animation frame after they appear.
    page.evaluate(FRAMES)
