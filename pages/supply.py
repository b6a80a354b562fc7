"""Supply dashboard: stocks-to-use, ending stocks, consumption, and a stock drawdown table."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks import supply as cb
from ui import filters

dash.register_page(__name__, **cb.PAGE.page_args(name="Supply", nav=True, order=3))

DRAWDOWN_COLUMNS = [
    {"field": "link", "headerName": "Country", "cellRenderer": "markdown", "minWidth": 160},
    filters.number_column("previous_ending_stocks", "Ending stocks, year before", 0),
    filters.number_column("ending_stocks", "Ending stocks", 0),
    filters.number_column("change_pct", "Change %", 1),
    filters.number_column("stocks_to_use_pct", "Stocks-to-use %", 1),
]


def layout(**query):
    """Return the supply page; filters start from the URL query."""
    return cb.PAGE.fill(html.Div(
        [
            filters.location(cb.PAGE.url),
            filters.header("Supply", "Stocks against use, and where stocks are being drawn down."),
            filters.filter_bar(
                filters.labelled("Countries and regions", filters.countries(cb.PAGE.component("countries")), width=5),
                filters.labelled("Market years", filters.years(cb.PAGE.component("years")), width=5),
                filters.labelled("Units", filters.units(cb.PAGE.component("units")), width=2),
            ),
            filters.chart_card(
                cb.STOCKS_TO_USE_CHART, "Stocks-to-use",
                note="Ending stocks as a percentage of use: domestic consumption plus exports for a country or a "
                     "region (exports leave the region), domestic consumption for the world (world exports net "
                     "out). A region sums its countries that reported that year.",
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(cb.ENDING_STOCKS_CHART, "Ending stocks"), lg=6),
                    dbc.Col(filters.chart_card(
                        cb.CONSUMPTION_CHART, "Domestic use",
                        controls=dbc.Row(filters.labelled("Use", filters.choice(cb.PAGE.component("use"), []), width=6),
                                         className="mb-2")), lg=6),
                ]
            ),
            filters.filter_bar(
                filters.labelled("Drawdown market year", filters.year(cb.PAGE.component("year")), width=3),
                filters.labelled("Flag a fall in ending stocks of more than (%)",
                                 filters.number(cb.PAGE.component("threshold"), 1, 100), width=4),
            ),
            filters.grid_card(cb.DRAWDOWN_CHART, "Stock drawdowns", DRAWDOWN_COLUMNS,
                              note="Countries whose ending stocks fell by more than the threshold on the year "
                                   "before (all countries, not only those chosen above)."),
            filters.source_note(cb.PAGE.source),
        ]
    ), query)
