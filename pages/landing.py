"""Landing page with the pricing section."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import current_app
from flask_wtf.csrf import generate_csrf

from billing import offer

dash.register_page(__name__, path="/", name="Home", title="beanflows: coffee market analytics", access="public", nav=False)

PRICING_ACTION, CHECKOUT, PORTAL = "landing-pricing-action", "landing-checkout", "landing-portal"


def _post_button(label, action, button_id, color):
    """Return a plain HTML form that POSTs to action with the CSRF token."""
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
            dbc.Button(label, type="submit", color=color, className="w-100", id=button_id),
        ],
        action=action,
        method="POST",
    )


def _pricing_action():
    """Return what the pricing card offers the current visitor (billing/offer.py decides which)."""
    current = offer.current_offer()
    if current == offer.SIGN_UP:
        return html.A("Sign up", href="/signup", className="btn btn-primary w-100")
    if current == offer.GRANTED:
        return html.P("You have full access, granted by an administrator.", className="mb-0")
    if current == offer.UNCONFIGURED:
        return html.Div(
            [
                dbc.Button("Subscribe", color="primary", className="w-100", disabled=True),
                html.P("Billing is not configured on this server; an administrator can grant access.",
                       className="small text-muted mt-2 mb-0"),
            ]
        )
    if current == offer.MANAGE:
        return html.Div(
            [
                html.P("You are subscribed.", className="mb-2"),
                _post_button("Manage billing", "/billing/portal", PORTAL, "outline-secondary"),
            ]
        )
    return _post_button("Subscribe", "/billing/checkout", CHECKOUT, "primary")


def _pricing():
    """Return the pricing card built from the configured plan."""
    plan = current_app.config["PLAN"]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(plan["name"], className="card-title"),
                html.P([html.Span(plan["price"], className="display-5"), f" / {plan['interval']}"]),
                html.Ul([html.Li(f) for f in plan["features"]]),
                html.Div(_pricing_action(), id=PRICING_ACTION),
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
