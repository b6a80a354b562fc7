"""Layout builders shared by the dashboards: filters, chart cards, grids, notes."""
import dash_bootstrap_components as dbc
from dash import dcc, html

from ui import figures, freshness, grids, provenance, table_view

# Keep the previous view visible, dimmed, while a callback runs (no layout jump).
LOADING = {"type": "default", "delay_show": 150, "overlay_style": {"visibility": "visible", "opacity": 0.5}}
GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}


def canonical_id(url_id):
    """Return the id of the store holding the URL a page was drawn from."""
    return f"{url_id}-canonical"


def location(url_id):
    """Return the page's own URL location, which the filters write into, and its canonical-URL store."""
    return html.Div([dcc.Location(id=url_id, refresh=False), dcc.Store(id=canonical_id(url_id))])


def header(title, lead):
    """Return the page heading with a one-line lead."""
    return html.Div([html.H1(title, className="h2 mb-1"), html.P(lead, className="text-muted mb-3")])


def labelled(label, component, width=None, **col):
    """Return a filter column with a label above the component."""
    return dbc.Col([dbc.Label(label, html_for=getattr(component, "id", None), className="small text-muted mb-1"),
                    component], md=width, **col)


def filter_bar(*cols):
    """Return the row of filters in a light card."""
    return dbc.Card(dbc.CardBody(dbc.Row(list(cols), className="g-3 align-items-end")),
                    className="mb-3 filter-bar shadow-sm")


def countries(component_id, multi=True):
    """Return a searchable country dropdown, filled on page load."""
    return dcc.Dropdown(id=component_id, multi=multi, searchable=True, clearable=multi, options=[],
                        placeholder="Choose countries" if multi else "Choose a country")


def years(component_id):
    """Return the market-year range slider, bounded on page load."""
    return dcc.RangeSlider(id=component_id, min=1960, max=2030, step=1, marks=None, allowCross=False,
                           tooltip={"placement": "bottom", "always_visible": False}, updatemode="mouseup")


def year(component_id):
    """Return a dropdown of one market year, filled on page load."""
    return dcc.Dropdown(id=component_id, options=[], clearable=False, searchable=True, placeholder="Market year")


def toggle(component_id, options):
    """Return radio buttons of fixed options in a row (world coverage, ENSO shading)."""
    return dcc.RadioItems(id=component_id, options=options, inline=True,
                          className="units-toggle", inputClassName="me-1", labelClassName="me-3")


def units(component_id):
    """Return the units toggle (its choices are the commodity's, set on page load)."""
    return dcc.RadioItems(id=component_id, options=[], inline=True,
                          className="units-toggle", inputClassName="me-1", labelClassName="me-3")


def choice(component_id, options):
    """Return a dropdown of fixed options."""
    return dcc.Dropdown(id=component_id, options=options, clearable=False, searchable=False)


def number(component_id, low, high, step=1):
    """Return a bounded number input."""
    return dbc.Input(id=component_id, type="number", min=low, max=high, step=step, debounce=True, size="sm")


def _download_button(button_id, label, downloads):
    """Return one download button, disabled with a reason for users without downloads."""
    if downloads:
        return dbc.Button([html.I(className="bi bi-download me-1"), label], id=button_id, size="sm",
                          color="outline-secondary", className="ms-1", title=f"Download this chart's data as {label}")
    return html.Span(
        dbc.Button([html.I(className="bi bi-lock-fill me-1"), label], id=button_id, size="sm",
                   color="outline-secondary", className="ms-1", disabled=True),
        title="Downloads come with a subscription",
    )


def _csv_button(chart, downloads):
    """Return the CSV and XLSX buttons."""
    return html.Span([_download_button(chart.button, "CSV", downloads),
                      _download_button(chart.xlsx, "XLSX", downloads)])


def _png_button(chart):
    """Return the PNG button: assets/charts.js has Plotly draw the chart's image in the browser."""
    return html.Button([html.I(className="bi bi-image me-1"), "PNG"], type="button", id=f"{chart.base}-png-button",
                       className="btn btn-sm btn-outline-secondary ms-1", title="Download this chart as a PNG image",
                       **{"data-png": chart.view})


def _card_header(chart, title, downloads=True, png=False):
    """Return a card header with the title and the download buttons."""
    return dbc.CardHeader(
        dbc.Row(
            [
                dbc.Col(html.Span(title, className="fw-semibold"), className="align-self-center"),
                dbc.Col([_csv_button(chart, downloads)] + ([_png_button(chart), table_view.toggle(chart)] if png else []),
                        width="auto"),
            ],
            className="g-2",
        ),
        className="bg-white",
    )


def chart_card(chart, title, note=None, controls=None, downloads=True):
    """Return a card holding a chart, its message slot, CSV button and download (controls above it)."""
    body = ([controls] if controls is not None else []) + [html.Div(id=chart.message)]
    body.append(dcc.Loading(dcc.Graph(id=chart.view, config=GRAPH_CONFIG, figure=figures.empty("Loading...")),
                            **LOADING))
    if note:
        body.append(html.Small(note, className="text-muted"))
    body.append(table_view.panel(chart))
    return dbc.Card([_card_header(chart, title, downloads, png=True), dbc.CardBody(body),
                     dcc.Download(id=chart.download)], id=chart.card, className="mb-3 shadow-sm chart-card")


def cards_card(chart, title, downloads=True):
    """Return a card holding generated content (KPI cards) with a CSV button."""
    body = [html.Div(id=chart.message), dcc.Loading(html.Div(id=chart.view), **LOADING)]
    return dbc.Card([_card_header(chart, title, downloads), dbc.CardBody(body), dcc.Download(id=chart.download)],
                    id=chart.card, className="mb-3 shadow-sm chart-card")


def _export_columns(columns):
    """Return (column defs with hidden plain ones added, the keys "Export view" writes).

    The export holds plain names and ISO3 codes instead of the markdown link, and raw numbers.
    """
    fields = [c["field"] for c in columns]
    plain = (["country", "country_code"] if "link" in fields else []) + ["unit"]
    hidden = [{"field": f, "headerName": f, "hide": True} for f in plain if f not in fields]
    keys = plain[:-1] + [f for f in fields if f != "link"] + ["unit"]
    return columns + hidden, keys


def grid_card(chart, title, columns, note=None, height=420, min_width=90, commodity=None):
    """Return a card holding a sortable, filterable dash-ag-grid table with CSV download and export."""
    columns, keys = _export_columns(columns)
    grid = grids.grid(
        chart.view,
        columns,
        grid_options={"localeText": {"noRowsToShow": "No rows for these filters."}},
        rowData=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": min_width,
                       "wrapHeaderText": True, "autoHeaderHeight": True, "useValueFormatterForExport": False},
        csvExportParams={"fileName": f"beanflows-{chart.base}-view.csv", "columnKeys": keys,
                         "prependContent": "# " + provenance.note(commodity=commodity and commodity.code) + "\n"},
        style={"height": f"{height}px"},
    )
    export = dbc.Button("Export view", id=chart.export, size="sm", color="link", className="p-0 ms-2",
                        title="Export the table as sorted and filtered")
    body = [html.Div(id=chart.message), dcc.Loading(grid, **LOADING)]
    footer = [export] + ([html.Small(note, className="text-muted ms-2")] if note else [])
    body.append(html.Div(footer, className="mt-1"))
    return dbc.Card([_card_header(chart, title), dbc.CardBody(body), dcc.Download(id=chart.download)],
                    id=chart.card, className="mb-3 shadow-sm chart-card")


def number_column(field, header, decimals=1, unit_suffix=""):
    """Return an ag-grid column definition for a formatted number."""
    return {
        "field": field,
        "headerName": header,
        "type": "numericColumn",
        "filter": "agNumberColumnFilter",
        "valueFormatter": {"function": f"params.value == null ? '' : d3.format(',.{decimals}f')(params.value)"
                                       + (f" + '{unit_suffix}'" if unit_suffix else "")},
    }


def source_text(commodity):
    """Return the data-source note of a commodity, from its declaration: file, years, revisions, units."""
    units = " ".join(u.text for u in commodity.units if u.text)
    return (f"Source: USDA Foreign Agricultural Service, Production, Supply and Distribution (PSD) database, "
            f"{commodity.description} ({commodity.code}). {commodity.marketing_year.text} Market year 2023 is "
            f"shown as 2023/24. The latest years are USDA estimates and forecasts, revised with each release: "
            f"{commodity.release.text} Volumes are in {commodity.units[0].label}. {units}").strip()


def source_note(source_id, commodity, extra=None):
    """Return the data-source note of the commodity shown, with the load line filled on page load."""
    parts = [freshness.source_text(source_text(commodity))]
    if extra:
        parts.append(" " + extra)
    return html.Footer(
        [html.P(parts, className="mb-1"), html.P(id=source_id, className="mb-0")],
        className="source-note small text-muted border-top pt-2 mt-2",
    )


def slider(component_id, low, high, marks):
    """Return a whole-number slider with the given marks."""
    return dcc.Slider(id=component_id, min=low, max=high, step=1, marks={str(m): str(m) for m in marks},
                      updatemode="mouseup", tooltip={"placement": "bottom", "always_visible": False})


def country_link(code, name):
    """Return a markdown link to a country's page, for grid cells."""
    return f"[{name}](/dashboards/country/{code})"
