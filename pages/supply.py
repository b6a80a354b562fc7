"""Supply dashboard: stocks-to-use, ending stocks, consumption, and a stock drawdown table."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks.common import PAGES
from ui import filters, ids

dash.register_page(
    __name__, path="/dashboards/supply", name="Supply", title="Supply · beanflows",
    access="subscriber", nav=True, order=3,
)

DRAWDOWN_COLUMNS = [
    {"field": "link", "headerName": "Country", "cellRenderer": "markdown", "minWidth": 160},
    filters.number_column("previous_ending_stocks", "Ending stocks, year before", 0),
    filters.number_column("ending_stocks", "Ending stocks", 0),
    filters.number_column("change_pct", "Change %", 1),
    filters.number_column("stocks_to_use_pct", "Stocks-to-use %", 1),
]


def layout(**query):
    """Return the supply page; filters start from the URL query."""
    return PAGES["supply"].fill(html.Div(
        [
            filters.location(ids.SUPPLY_URL),
            filters.header("Supply", "Stocks against use, and where stocks are being drawn down."),
            filters.filter_bar(
                filters.labelled("Countries", filters.countries(ids.SUPPLY_COUNTRIES), width=5),
                filters.labelled("Market years", filters.years(ids.SUPPLY_RANGE), width=5),
                filters.labelled("Units", filters.units(ids.SUPPLY_UNITS), width=2),
            ),
            filters.chart_card(
                ids.SUPPLY_STOCKS_TO_USE, "Stocks-to-use",
                note="Ending stocks as a percentage of use: domestic consumption plus exports for a country, "
                     "domestic consumption for the world (world exports net out).",
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(ids.SUPPLY_ENDING_STOCKS, "Ending stocks"), lg=6),
                    dbc.Col(filters.chart_card(ids.SUPPLY_CONSUMPTION, "Domestic consumption"), lg=6),
                ]
            ),
            filters.filter_bar(
                filters.labelled("Drawdown market year", filters.year(ids.SUPPLY_YEAR), width=3),
                filters.labelled("Flag a fall in ending stocks of more than (%)",
                                 filters.number(ids.SUPPLY_THRESHOLD, 1, 100), width=4),
            ),
            filters.grid_card(ids.SUPPLY_DRAWDOWN, "Stock drawdowns", DRAWDOWN_COLUMNS, ids.SUPPLY_DRAWDOWN_EXPORT,
                              note="Countries whose ending stocks fell by more than the threshold on the year "
                                   "before (all countries, not only those chosen above)."),
            filters.source_note(ids.SUPPLY_SOURCE),
        ]
    ), query)
