"""Waiting until a page of the accessibility tests has drawn what it shows."""
from tests.harness.drawn import ALL_DRAWN

TIMEOUT = 60000
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
