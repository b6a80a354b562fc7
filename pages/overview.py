"""World overview dashboard: KPI cards and world production over time."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from ui import ids

dash.register_page(
    __name__, path="/dashboards/overview", name="Overview", title="Overview · beanflows", access="user", nav=True, order=0
)


def layout(**_):
    """Return the overview page."""
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(html.H2("World coffee overview"), md=8),
                    dbc.Col(dcc.Dropdown(id=ids.OVERVIEW_YEAR, clearable=False, placeholder="Market year"), md=4),
                ],
                className="mb-3",
            ),
            dcc.Loading(html.Div(id=ids.OVERVIEW_KPIS)),
            dcc.Loading(dcc.Graph(id=ids.OVERVIEW_PRODUCTION)),
        ]
    )
