"""World overview dashboard: KPI cards, world balance over time, top producers."""
import dash
import dash_bootstrap_components as dbc
from dash import html
from flask_login import current_user

from auth.access import SUBSCRIBER, allows
from callbacks.common import PAGES
from ui import filters, ids

dash.register_page(
    __name__, path="/dashboards/overview", name="Overview", title="Overview · beanflows", access="user", nav=True, order=0
)


def layout(**query):
    """Return the overview page; filters start from the URL query; CSVs for subscribers only."""
    downloads = allows(current_user, SUBSCRIBER)
    return PAGES["overview"].fill(html.Div(
        [
            filters.location(ids.OVERVIEW_URL),
            filters.header("World coffee overview", "World supply and demand for the chosen market year and over time."),
            filters.filter_bar(
                filters.labelled("Market year", filters.year(ids.OVERVIEW_YEAR), width=2),
                filters.labelled("Years shown in the balance", filters.years(ids.OVERVIEW_RANGE), width=6),
                filters.labelled("Units", filters.units(ids.OVERVIEW_UNITS), width=4),
            ),
            filters.cards_card(ids.OVERVIEW_KPI_CARDS, "World balance for the market year", downloads),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(ids.OVERVIEW_BALANCE, "World supply and demand balance",
                                               downloads=downloads), lg=7),
                    dbc.Col(filters.chart_card(ids.OVERVIEW_TOP, "Top producers", downloads=downloads), lg=5),
                ]
            ),
            filters.source_note(ids.OVERVIEW_SOURCE),
        ]
    ), query)
