"""Render the page the browser is on into the first layout, saving the page router's round trip."""
from urllib.parse import urlsplit

import dash
from dash import dcc, html
from flask import request
from flask_login import current_user

import registry
from auth.access import allows, policy
from ui import dash_internals

# Dash's page container ids, filled here as the router would fill them.
LOCATION, CONTENT, STORE, DUMMY = (dash_internals.LOCATION, dash_internals.CONTENT, dash_internals.STORE,
                                   dash_internals.DUMMY)


def requested():
    """Return (pathname, search) of the same-site page that asked for the layout, or None."""
    referrer = urlsplit(request.referrer or "")
    if referrer.scheme not in ("http", "https") or referrer.netloc != request.host:
        return None
    return referrer.path or "/", f"?{referrer.query}" if referrer.query else ""


def _not_found():
    """Return the not-found page's registry entry, or None."""
    missing = [p for p in registry.current().dash_pages.values() if p["module"].split(".")[-1] == "not_found_404"]
    return missing[0] if missing else None


def render():
    """Return the page container holding the requested page, or Dash's empty one for the router to fill."""
    found = requested()
    if found is None:
        return dash.page_container
    pathname, search = found
    page, variables = dash_internals.page_at(registry.current().dash, pathname)
    if not allows(current_user, policy().page_level(page)):
        return dash.page_container  # the router asks, and the gate answers as it does for any page
    page, variables = (page, variables or {}) if page else (_not_found(), {})
    if page is None:
        return dash.page_container
    layout, title = page["layout"], page["title"]
    if callable(layout):
        layout = layout(**{**variables, **dash_internals.query_parameters(search)})
    if callable(title):
        title = title(**variables)
    # With pathname and search already equal to the browser's, dcc.Location does not report
    # them on mount, so the router callback does not run again.
    return html.Div([
        dcc.Location(id=LOCATION, refresh="callback-nav", pathname=pathname, search=search),
        html.Div(layout, id=CONTENT, disable_n_clicks=True),
        dcc.Store(id=STORE, data={"title": title}),
        html.Div(id=DUMMY, disable_n_clicks=True),
    ])
