"""Trade dashboard: exports and imports, net position, import dependency, the world pool."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks import trade as cb
from ui import filters

dash.register_page(__name__, **cb.PAGE.page_args(name="Trade", nav=True, order=2))

TABLE_COLUMNS = [
    {"field": "link", "headerName": "Country", "cellRenderer": "markdown", "minWidth": 160},
    filters.number_column("exports", "Exports", 0),
    filters.number_column("imports", "Imports", 0),
    filters.number_column("net_exports", "Net exports", 0),
    filters.number_column("domestic_consumption", "Consumption", 0),
    filters.number_column("dependency_pct", "Import dependency %", 1),
]


def layout(**query):
    """Return the trade page; filters start from the URL query."""
    return cb.PAGE.fill(html.Div(
        [
            filters.location(cb.PAGE.url),
            filters.header("Trade", "Exports, imports and who depends on the world market."),
            filters.filter_bar(
                filters.labelled("Countries and regions", filters.countries(cb.PAGE.component("countries")), width=4),
                filters.labelled("Market years", filters.years(cb.PAGE.component("years")), width=4),
                filters.labelled("Form", filters.choice(cb.PAGE.component("flow"), []), width=2),
                filters.labelled("Units", filters.units(cb.PAGE.component("units")), width=2),
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(cb.FLOWS_CHART, "Exports and imports by country",
                                               note="A region's exports and imports are the sums of its "
                                                    "countries', trade between them included."), lg=7),
                    dbc.Col(filters.chart_card(cb.NET_CHART, "Net trade position"), lg=5),
                ]
            ),
            filters.chart_card(cb.DEPENDENCY_CHART, "Import dependency",
                               note="Imports as a percentage of domestic consumption; above 100% a country "
                                    "imports more than it uses (re-exports, stock building)."),
            filters.filter_bar(
                filters.labelled("Market year for the pool and table", filters.year(cb.PAGE.component("year")), width=3),
                filters.labelled("Largest exporters and importers shown",
                                 filters.slider(cb.PAGE.component("top"), 3, 12, (3, 6, 9, 12)), width=5),
            ),
            filters.chart_card(
                cb.POOL_CHART, "Exporters into the world pool, importers out of it",
                note="PSD has no bilateral flows: links show each country's share of world exports or world "
                     "imports, not shipping routes. World exports and imports differ (timing, re-exports).",
            ),
            filters.grid_card(cb.TABLE_CHART, "Trade position by country", TABLE_COLUMNS),
            filters.source_note(cb.PAGE.source),
        ]
    ), query)
