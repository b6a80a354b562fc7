"""World overview dashboard: KPI cards, world balance over time, top producers."""
import dash
import dash_bootstrap_components as dbc
from dash import html
from flask_login import current_user

from auth.access import SUBSCRIBER, allows
from callbacks import overview as cb
from callbacks import release_strip
from ui import filters

dash.register_page(__name__, **cb.PAGE.page_args(name="Overview", title="Overview · beanflows", nav=True, order=0))


def layout(**query):
    """Return the overview page; filters start from the URL query; CSVs for subscribers only."""
    downloads = allows(current_user, SUBSCRIBER)
    return cb.PAGE.fill(html.Div(
        [
            filters.location(cb.PAGE.url),
            filters.header("World coffee overview", "World supply and demand for the chosen market year and over time."),
            release_strip.strip(),
            filters.filter_bar(
                filters.labelled("Market year", filters.year(cb.PAGE.component("year")), width=2),
                filters.labelled("Years shown in the balance", filters.years(cb.PAGE.component("years")), width=5),
                filters.labelled("Units", filters.units(cb.PAGE.component("units")), width=2),
                filters.labelled("World totals over", filters.coverage_toggle(cb.PAGE.component("coverage")), width=3),
            ),
            filters.cards_card(cb.KPI_CARDS_CHART, "World balance for the market year", downloads),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(cb.BALANCE_CHART, "World supply and demand balance",
                                               downloads=downloads), lg=7),
                    dbc.Col(filters.chart_card(cb.TOP_CHART, "Top producers", downloads=downloads), lg=5),
                ]
            ),
            filters.source_note(cb.PAGE.source),
        ]
    ), query)
