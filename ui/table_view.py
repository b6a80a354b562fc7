"""The "Table" toggle of a chart card: the numbers the chart draws as an HTML table (assets/table_view.js)."""
from dash import html


def panel_id(chart):
    """Return the id of the element the chart's table is drawn into."""
    return f"{chart.base}-table"


def toggle(chart):
    """Return the button that shows or hides the chart's numbers as a table."""
    return html.Button([html.I(className="bi bi-table me-1", **{"aria-hidden": "true"}), "Table"], type="button",
                       id=f"{chart.base}-table-button", className="btn btn-sm btn-outline-secondary ms-1",
                       title="Show this chart's numbers as a table",
                       **{"data-table": chart.view, "aria-controls": panel_id(chart), "aria-expanded": "false"})


def panel(chart):
    """Return the (empty until asked) place of the chart's table, announced when it fills."""
    return html.Div(id=panel_id(chart), className="chart-table", **{"aria-live": "polite"})
