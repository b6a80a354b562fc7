"""Landing page with the pricing section."""
import dash
import dash_bootstrap_components as dbc
from dash import html
from flask import current_app
from flask_login import current_user

dash.register_page(__name__, path="/", name="Home", title="beanflows: coffee market analytics", access="public", nav=False)


def _pricing():
    """Return the pricing card built from the configured plan."""
    plan = current_app.config["PLAN"]
    if current_user.is_authenticated:
        action = html.A("Go to your account to subscribe", href="/account", className="btn btn-primary w-100")
    else:
        action = html.A("Sign up", href="/signup", className="btn btn-primary w-100")
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(plan["name"], className="card-title"),
                html.P([html.Span(plan["price"], className="display-5"), f" / {plan['interval']}"]),
                html.Ul([html.Li(f) for f in plan["features"]]),
                action,
            ]
        ),
        className="shadow-sm",
    )


def layout(**_):
    """Return the landing page."""
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.H1("Coffee market analytics, to the last bag"),
                    html.P(
                        "beanflows turns USDA's Production, Supply and Distribution data into "
                        "interactive charts of production, trade and stocks-to-use.",
                        className="lead",
                    ),
                    html.A("Open the overview", href="/dashboards/overview", className="btn btn-outline-primary"),
                ],
                md=7,
            ),
            dbc.Col([html.H2("Pricing", id="pricing"), _pricing()], md=5),
        ],
        className="py-4",
    )
