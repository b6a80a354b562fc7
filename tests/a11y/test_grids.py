"""The data grids on a phone: every column header and cell rendered and shown, the table reached by keyboard."""
import pytest

from tests.a11y.pages import FRAMES, GRID_PAGES, TIMEOUT, settled
from tests.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("a11y-browser")]

PHONE = {"width": 390, "height": 844}
# Per grid: the columns AG Grid displays, whether it says it has no rows, and the shown column headers (cells) of
# each header row (body row).
SHOWN = """() => [...document.querySelectorAll('.ag-root-wrapper')].map(wrapper => {
  const id = wrapper.closest('[id]').id;
  const shown = (row, role) => [...row.querySelectorAll(`[role=${role}]`)]
    .filter(cell => cell.checkVisibility({visibilityProperty: true})).length;
  return {id, columns: dash_ag_grid.getApi(id).getAllDisplayedColumns().length,
          empty: wrapper.querySelector('[class*="ag-overlay-no-rows"]') !== null,
          headers: [...wrapper.querySelectorAll('.ag-header [role=row]')].map(row => shown(row, 'columnheader')),
          cells: [...wrapper.querySelectorAll('.ag-body [role=row]')].map(row => shown(row, 'gridcell'))};
})"""
# The focused element's column and whether it lies inside the grid's box, and how far the table is scrolled.
FOCUS = """grid => {
  const active = document.activeElement, box = document.getElementById(grid).getBoundingClientRect();
  const rect = active.getBoundingClientRect();
  return {role: active.getAttribute('role'), column: Number(active.getAttribute('aria-colindex')),
          inside: active.closest('#' + grid) !== null && rect.left >= box.left && rect.right <= box.right,
          scrolled: document.querySelector(`#${grid} .ag-center-cols-viewport`).scrollLeft};
}"""


def focus_after(page, grid, key):
    """Press key, then return where focus sits once AG Grid has moved it and scrolled (it does so on a frame)."""
    page.keyboard.press(key)
    page.wait_for_function("grid => document.activeElement.closest('#' + grid)", arg=grid, timeout=TIMEOUT)
    page.evaluate(FRAMES)
    return page.evaluate(FOCUS, grid)


def test_every_header_and_cell_is_shown_at_phone_width(browser, live_server, admin_session):
    with open_page(browser, live_server, admin_session) as page:
        page.set_viewport_size(PHONE)
        for path in GRID_PAGES:
            page.goto(path)
            settled(page, path)
            grids = page.evaluate(SHOWN)
            assert grids, path
            for grid in grids:
                # One header row, and each drawn body row, holds every displayed column, none hidden. (The
                # changes page's grids are empty where the data holds one release, and say so.)
                assert grid["headers"] == [grid["columns"]], (path, grid)
                assert set(grid["cells"]) == {grid["columns"]} or grid["cells"] == [] and grid["empty"], (path, grid)
            assert any(grid["cells"] for grid in grids) or path == "/dashboards/changes", path
        assert page.console_errors == []


def test_a_table_wider_than_a_phone_is_read_from_the_keyboard(browser, live_server, subscriber_session):
    grid = "trade-table-grid"
    with open_page(browser, live_server, subscriber_session) as page:
        page.set_viewport_size(PHONE)
        page.goto("/dashboards/trade")
        settled(page, "/dashboards/trade")
        columns = page.evaluate(f"() => dash_ag_grid.getApi('{grid}').getAllDisplayedColumns().length")
        assert page.evaluate(f"() => {{ const v = document.querySelector('#{grid} .ag-center-cols-viewport');"
                             " return v.scrollWidth > v.clientWidth; }")  # it does scroll sideways
        # Tab from the card's last download button lands on the first column header.
        page.focus("#trade-table-xlsx-button")
        assert focus_after(page, grid, "Tab") == {"role": "columnheader", "column": 1, "inside": True, "scrolled": 0}
        # Arrow keys walk the headers to the last column, scrolling it into view, then down into its cells.
        for _ in range(columns - 1):
            last = focus_after(page, grid, "ArrowRight")
        assert (last["role"], last["column"], last["inside"]) == ("columnheader", columns, True)
        assert last["scrolled"] > 0
        cell = focus_after(page, grid, "ArrowDown")
        assert (cell["role"], cell["column"], cell["inside"]) == ("gridcell", columns, True)
        assert page.console_errors == []
