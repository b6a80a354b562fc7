"""The navbar entries of alerts and saved views: the unread badge and the views menu with its save form."""
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_wtf.csrf import generate_csrf

from alerts.routes import unread_count
from alerts.saved_views import saved_views
from alerts.sharing import team_id_of
from models.entitlement import is_subscriber

MENU_VIEWS = 15


def _views_menu(user):
    """Return the saved-views menu: open a view, or save the one on screen (assets/saved-views.js fills its URL)."""
    links = [html.A([item.view.name, *([] if item.mine else [html.Small(f" · {item.author}", className="text-muted")])],
                    href=f"/views/{item.view.id}", className="dropdown-item")
             for item in saved_views(user)[:MENU_VIEWS]]
    share = [html.Label([dcc.Input(type="checkbox", name="share", value="y", className="form-check-input me-1"),
                         "Share with my team"], className="form-check-label small d-block mb-1")] \
        if team_id_of(user.id) else []
    form = html.Form([
        dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
        dcc.Input(type="hidden", name="url", value=""),
        dcc.Input(type="text", name="name", placeholder="Name this view", maxLength=80, required=True,
                  className="form-control form-control-sm mb-1", id="saved-views-name"),
        html.Label([dcc.Input(type="checkbox", name="pin", value="y", className="form-check-input me-1"),
                    "Pin this release"], className="form-check-label small d-block mb-1"),
        *share,
        html.Button("Save view", type="submit", className="btn btn-primary btn-sm", id="saved-views-save"),
    ], action="/views", method="POST", className="px-2 pt-2 saved-views-form")
    return html.Details([
        html.Summary("Views", className="nav-link"),
        html.Div([*links, html.A("Manage views", href="/account#saved-views", className="dropdown-item small"),
                  form], className="saved-views-panel bg-white border rounded shadow-sm"),
    ], className="nav-item saved-views-menu", id="saved-views-menu")


def navbar_items(user):
    """Return the navbar entries for a subscriber: alerts with the unread count, and saved views."""
    if not is_subscriber(user):
        return []
    unread = unread_count(user.id)
    badge = [" ", dbc.Badge(str(unread), color="danger", pill=True, id="alerts-unread-badge")] if unread else []
    return [dbc.NavItem(dbc.NavLink(["Alerts", *badge], href="/alerts", external_link=True)),
            dbc.NavItem(_views_menu(user))]
