"""dash-ag-grid tables that keyboard and screen-reader users can read at any width."""
import dash_ag_grid as dag

# AG Grid's own accessibility settings (ag-grid.com, Accessibility): cells in the DOM in the order shown, and every
# column rendered, so a screen reader finds each header and cell even where the table scrolls sideways (a phone).
# Animations are off because they do not work with a forced DOM order.
GRID_OPTIONS = {"ensureDomOrder": True, "suppressColumnVirtualisation": True, "animateRows": False}

# Columns are sized to the grid by dash-ag-grid (sizeColumnsToFit on every resize), never with `flex`: AG Grid 35
# hides all headers and cells (`ag-delay-render`) until it has flexed them, and at 390 px, or on a grid whose width
# did not change after its rows arrived, that never happened, so the table stayed blank and axe found header rows
# without column headers. A column's own minWidth still holds; a table wider than the screen scrolls sideways, and
# arrow keys move the focused cell, which AG Grid scrolls into view.
FIT_WIDTH = "responsiveSizeToFit"


def grid(component_id, columns, grid_options=None, fit_width=True, **props):
    """Return an AgGrid with the accessibility options, sized to fit its width unless fit_width is False."""
    sizing = {"columnSize": FIT_WIDTH} if fit_width else {}
    return dag.AgGrid(id=component_id, columnDefs=columns, dashGridOptions={**GRID_OPTIONS, **(grid_options or {})},
                      **sizing, **props)
