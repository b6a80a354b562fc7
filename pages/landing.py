"""Landing page with the pricing section."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import current_app
from flask_wtf.csrf import generate_csrf

from billing import offer
from data.commodities.site import brand, phrase, site


def title(**_):
    """Return the landing page's title: the brand and the site's commodities."""
    return f"{brand()}: {phrase().lower()} market analytics"


dash.register_page(__name__, path="/", name="Home", title=title, access="public", nav=False)

PRICING_ACTION, CHECKOUT, PORTAL = "landing-pricing-action", "landing-checkout", "landing-portal"
TEAM_ACTION, TEAM_CHECKOUT, TEAM_SEATS = "landing-team-action", "landing-team-checkout", "landing-team-seats"
TEAM_FEATURES = ["Everything in the individual plan, for each member", "Invite colleagues by email; owner and admins",
                 "At least 2 seats; change seats at any time, prorated"]


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
    if current == offer.TEAM:
        return html.P(["You have full access through your team's plan. ", html.A("Your team", href="/team")],
                      className="mb-0")
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


def _team_action():
    """Return what the Team card offers: sign up, a seats form posting plan=team to checkout, or nothing to buy."""
    current = offer.team_offer()
    if current == offer.SIGN_UP:
        return html.A("Sign up to buy for a team", href="/signup?next=/billing/team",
                      className="btn btn-outline-primary w-100")
    if current == offer.UNCONFIGURED:
        return html.P("Billing is not configured on this server.", className="small text-muted mb-0")
    if current == offer.TEAM:
        return html.P(["You are in a team. ", html.A("Open your team", href="/team")], className="mb-0")
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
            dcc.Input(type="hidden", name="plan", value="team"),
            html.Label("Seats", htmlFor=TEAM_SEATS, className="form-label"),
            dcc.Input(type="number", name="seats", id=TEAM_SEATS, min=2, max=500, step=1, value=3,
                      className="form-control mb-2"),
            dbc.Button("Buy for my team", type="submit", color="primary", className="w-100", id=TEAM_CHECKOUT),
        ],
        action="/billing/checkout",
        method="POST",
    )


def _team_pricing():
    """Return the Team plan's card: per-seat price, features and the seats form."""
    config = current_app.config
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Team", className="card-title"),
                html.P([html.Span(config["TEAM_PLAN_PRICE"], className="display-5"),
                        f" per seat / {config['PLAN']['interval']}"]),
                html.Ul([html.Li(f) for f in TEAM_FEATURES]),
                html.Div(_team_action(), id=TEAM_ACTION),
            ]
        ),
        className="shadow-sm mt-3",
        id="team-plan",
    )


def layout(**_):
    """Return the landing page."""
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.H1(f"{phrase()} market analytics"),
                    html.P(
                        f"{brand()} turns USDA's Production, Supply and Distribution data into "
                        "interactive charts of production, trade and stocks-to-use.",
                        className="lead",
                    ),
                    html.Ul([html.Li([html.A(c.name, href=f"/dashboards/overview?commodity={c.slug}"),
                                      f": USDA PSD balance sheets, revised {c.release.cadence}"], id=f"landing-{c.slug}")
                             for c in site()], id="landing-commodities"),
                    html.A("Open the overview", href="/dashboards/overview", className="btn btn-outline-primary"),
                ],
                md=7,
            ),
            dbc.Col([html.H2("Pricing", id="pricing"), _pricing(), _team_pricing()], md=5),
        ],
        className="py-4",
    )
