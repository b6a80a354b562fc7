"""Prices dashboard: World Bank monthly prices beside USDA's world stocks-to-use."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from callbacks import prices as cb
from data.reference.price_years import ATTRIBUTION
from ui import filters

dash.register_page(__name__, **cb.PAGE.page_args(name="Prices", nav=True, order=6))

LEAD = "World Bank monthly prices beside USDA's balance sheets: what the market paid, and what it implies."


def charts(commodity):
    """Return the filters and chart cards of a commodity with price series."""
    return [
        filters.filter_bar(
            filters.labelled("Price series", filters.choice(cb.PAGE.component("series"), []), width=4),
            filters.labelled("Market years", filters.years(cb.PAGE.component("years")), width=8),
        ),
        filters.chart_card(cb.HISTORY_CHART, "Price history",
                           note=f"Monthly prices in nominal US dollars, as the World Bank publishes them, converted "
                                f"to the unit the trade quotes. Source: {ATTRIBUTION}."),
        dbc.Row([
            dbc.Col(filters.chart_card(cb.FIT_CHART, "Price against world stocks-to-use",
                                       note=f"Each market year's average price against USDA's world ending stocks "
                                            f"as a share of use, with a fitted curve. Source: {ATTRIBUTION}; "
                                            "USDA FAS PSD."), lg=6),
            dbc.Col(filters.chart_card(cb.MARKET_CHART, "The market against USDA",
                                       note="The stocks-to-use each year's price implies on the fitted curve, "
                                            f"beside USDA's estimate. Source: {ATTRIBUTION}; USDA FAS PSD."), lg=6),
        ]),
    ]


def body(commodity):
    """Return the page's content: the charts, or why there are none for this commodity."""
    if not commodity.prices:
        return [dbc.Alert(cb.no_series(commodity), color="info", id=cb.PAGE.id("none"))]
    return charts(commodity)


def layout(**query):
    """Return the prices page; filters start from the URL query."""
    commodity = cb.PAGE.shown(query)
    return cb.PAGE.fill(html.Div(
        [
            filters.location(cb.PAGE.url),
            filters.header(f"{commodity.name} prices", LEAD),
            *body(commodity),
            filters.source_note(cb.PAGE.source, extra=f"Prices: {ATTRIBUTION}."),
        ]
    ), query)
