"""The business page for admins, declared once: signups, activation, conversion, MRR, churn, usage, API calls,
speed; CSV of each."""
from datetime import datetime, timezone

import dash_bootstrap_components as dbc
from dash import Input, Output, ctx, dcc, html, no_update
from flask_login import current_user

from auth import business
from auth.access import ADMIN
from callbacks.page import Page
from ui.figures import base_layout

PAGE = Page("admin-metrics", "/admin/metrics", ADMIN)
DOWNLOAD = PAGE.id("download")
# Each table of the page: its heading, and what its columns mean when it is not obvious.
TABLES = {
    "cohorts": "Signups per week, activation (a dashboard opened within 7 days) and free-to-paid conversion",
    "plans": "Active subscribers and MRR by plan (unit price x quantity, as Stripe's webhooks recorded them)",
    "churn": "Churn per month (subscriptions ended in the month / active at its start)",
    "api_calls": "API calls per day",
    "requests": "Requests per day: p95 time in the app and 5xx rate",
    "top_dashboard_opened": "Most opened dashboards (last 30 days)",
    "top_filter_changed": "Most changed filters (last 30 days)",
    "top_download": "Most downloaded charts (last 30 days)",
}


def button(name):
    """Return the id of a table's CSV button."""
    return PAGE.id(f"{name}-csv")


def _figure(traces, title, y_title, **extra):
    """Return a figure dict in the dashboards' style."""
    return {"data": traces, "layout": base_layout(title, y_title, **extra)}


def _dates(series):
    """Return datetimes as ISO dates for the x axis."""
    return [d.strftime("%Y-%m-%d") for d in series]


def charts(figures):
    """Return the page's charts for the figures."""
    cohorts, plans, churn = figures["cohorts"], figures["plans"], figures["churn"]
    api, answered = figures["api_calls"], figures["requests"]
    weeks = _dates(cohorts["week"])
    return {
        "signups": _figure([{"type": "bar", "x": weeks, "y": list(cohorts["signups"]), "name": "Signups"}],
                           "Signups per week", "Signups"),
        "rates": _figure([{"type": "scatter", "x": weeks, "y": list(cohorts[c]), "name": n}
                          for c, n in (("activation_pct", "Activated in 7 days"), ("conversion_pct", "Paid"))],
                         "Activation and conversion by signup week", "% of signups"),
        "mrr": _figure([{"type": "bar", "x": [f"{p} ({c})" if c else p for p, c in zip(plans["plan"], plans["currency"])],
                         "y": list(plans["mrr"]), "name": "MRR"}], "MRR by plan", "per month"),
        "churn": _figure([{"type": "bar", "x": [m.strftime("%Y-%m") for m in churn["month"]],
                           "y": list(churn["churn_pct"]), "name": "Churn"}], "Churn per month", "%"),
        "api": _figure([{"type": "bar", "x": _dates(api["day"]), "y": list(api["calls"]), "name": "API calls"}],
                       "API calls per day", "Calls"),
        "speed": _figure([{"type": "scatter", "x": _dates(answered["day"]), "y": list(answered["p95_ms"]),
                           "name": "p95 (ms)"},
                          {"type": "scatter", "x": _dates(answered["day"]), "y": list(answered["error_pct"]),
                           "name": "5xx (%)", "yaxis": "y2"}],
                         "p95 time in the app and 5xx rate per day", "ms",
                         yaxis2={"title": {"text": "5xx %"}, "overlaying": "y", "side": "right", "rangemode": "tozero"}),
    }


def headline(figures):
    """Return the headline numbers: active and paying subscribers, MRR per currency, last week's signups."""
    plans = figures["plans"]
    mrr = plans.groupby("currency")["mrr"].sum()
    return {
        "Active subscribers": f"{int(plans['subscribers'].sum()):,}",
        "Paying subscribers": f"{int(plans['paying'].sum()):,}",
        "MRR": ", ".join(f"{value:,.2f} {currency}".strip() for currency, value in mrr.items()) or "0",
        "Signups this week": f"{int(figures['cohorts']['signups'].iloc[-1]):,}",
    }


def table(frame):
    """Return a frame as a small striped table (dates as dates)."""
    shown = frame.copy()
    for column in shown.columns:
        if str(shown[column].dtype).startswith("datetime"):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d")
    return dbc.Table.from_dataframe(shown, size="sm", striped=True, className="mb-1")


@PAGE.callback(Output(DOWNLOAD, "data"), *[Input(button(name), "n_clicks") for name in TABLES],
               prevent_initial_call=True)
def download(*clicks):
    """Send the clicked table as CSV, computed now."""
    names = {button(name): name for name in TABLES}
    name = names.get(ctx.triggered_id)
    if name is None or not any(clicks) or not current_user.is_authenticated or not current_user.is_admin:
        return no_update
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    return dcc.send_string(business.figures()[name].to_csv(index=False), f"beanflows-{name}-{today}.csv")


def section(name, frame, graph=None):
    """Return a table's heading, chart (if any), table and CSV button."""
    return html.Section([
        html.H2(TABLES[name], className="h5 mt-4"),
        graph if graph is not None else html.Div(),
        html.Div(table(frame), className="table-responsive", tabIndex=0, role="region",
                 **{"aria-label": TABLES[name]}),
        dbc.Button("CSV", id=button(name), size="sm", color="secondary", outline=True),
    ])


def content():
    """Return the page's content, computed from the users database now."""
    figures = business.figures()
    drawn = {name: dcc.Graph(figure=figure, config={"displaylogo": False}) for name, figure in charts(figures).items()}
    cards = dbc.Row([dbc.Col(dbc.Card(dbc.CardBody([html.Div(label, className="small text-muted"),
                                                    html.Div(value, className="h4 mb-0")])), md=3)
                     for label, value in headline(figures).items()], className="g-2")
    graphs = {"cohorts": html.Div([drawn["signups"], drawn["rates"]]), "plans": drawn["mrr"],
              "churn": drawn["churn"], "api_calls": drawn["api"], "requests": drawn["speed"]}
    return [cards, *[section(name, figures[name], graphs.get(name)) for name in TABLES], dcc.Download(id=DOWNLOAD)]

def layout(**_):
    """Return the business page."""
    return html.Div([
        html.H1("Business metrics", className="h2"),
        html.P("From the users database: accounts, the subscription state Stripe's webhooks recorded, and usage "
               "events (kept for USAGE_RETENTION_DAYS). Weeks start on Monday; times are UTC.",
               className="text-muted"),
        *content(),
    ])
