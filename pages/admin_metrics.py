"""Admin business page: signups, activation, conversion, subscribers, MRR, churn, usage and speed."""
import dash
from dash import html

from callbacks import admin_metrics as cb

dash.register_page(__name__, **cb.PAGE.page_args(name="Business metrics", nav=False))


def layout(**_):
    """Return the business page."""
    return html.Div([
        html.H1("Business metrics", className="h2"),
        html.P("From the users database: accounts, the subscription state Stripe's webhooks recorded, and usage "
               "events (kept for USAGE_RETENTION_DAYS). Weeks start on Monday; times are UTC.",
               className="text-muted"),
        *cb.content(),
    ])
