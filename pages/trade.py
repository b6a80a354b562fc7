"""Trade dashboard: exports and imports, net position, import dependency, the world pool."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks.common import PAGES
from ui import choices, filters, ids

dash.register_page(
    __name__, path="/dashboards/trade", name="Trade", title="Trade · beanflows",
    access="subscriber", nav=True, order=2,
)

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
    return PAGES["trade"].fill(html.Div(
        [
            filters.location(ids.TRADE_URL),
            filters.header("Trade", "Exports, imports and who depends on the world market."),
            filters.filter_bar(
                filters.labelled("Countries", filters.countries(ids.TRADE_COUNTRIES), width=4),
                filters.labelled("Market years", filters.years(ids.TRADE_RANGE), width=4),
                filters.labelled("Form", filters.choice(ids.TRADE_FLOW, choices.TRADE_FLOWS), width=2),
                filters.labelled("Units", filters.units(ids.TRADE_UNITS), width=2),
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(ids.TRADE_FLOWS, "Exports and imports by country"), lg=7),
                    dbc.Col(filters.chart_card(ids.TRADE_NET, "Net trade position"), lg=5),
                ]
            ),
            filters.chart_card(ids.TRADE_DEPENDENCY, "Import dependency",
                               note="Imports as a percentage of domestic consumption; above 100% a country "
                                    "imports more than it drinks (re-exports, stock building)."),
            filters.filter_bar(
                filters.labelled("Market year for the pool and table", filters.year(ids.TRADE_YEAR), width=3),
                filters.labelled("Largest exporters and importers shown",
                                 filters.slider(ids.TRADE_TOP, 3, 12, (3, 6, 9, 12)), width=5),
            ),
            filters.chart_card(
                ids.TRADE_POOL, "Exporters into the world pool, importers out of it",
                note="PSD has no bilateral flows: links show each country's share of world exports or world "
                     "imports, not shipping routes. World exports and imports differ (timing, re-exports).",
            ),
            filters.grid_card(ids.TRADE_TABLE, "Trade position by country", TABLE_COLUMNS, ids.TRADE_TABLE_EXPORT),
            filters.source_note(ids.TRADE_SOURCE),
        ]
    ), query)
