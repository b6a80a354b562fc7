"""Render the page the browser is on into the first layout, saving the page router's round trip."""
from urllib.parse import urlsplit

import dash
from dash import dcc, html
from flask import request
from flask_login import current_user

from auth.access import allows
from ui import dash_internals
from ui.callback_access import dash_app, page_access

# Dash's page container ids, filled here as the router would fill them.
LOCATION, CONTENT, STORE, DUMMY = (dash_internals.LOCATION, dash_internals.CONTENT, dash_internals.STORE,
                                   dash_internals.DUMMY)


def _requested():
    """Return (pathname, search) of the same-site page that asked for the layout, or None."""
    referrer = urlsplit(request.referrer or "")
    if referrer.scheme not in ("http", "https") or referrer.netloc != request.host:
        return None
    return referrer.path or "/", f"?{referrer.query}" if referrer.query else ""


def _page(pathname):
    """Return (page entry, path variables) for pathname, the 404 page when none matches."""
    page, variables = dash_internals.page_at(dash_app(), pathname)
    if page:
        return page, variables or {}
    missing = [p for p in dash.page_registry.values() if p["module"].split(".")[-1] == "not_found_404"]
    return (missing[0], {}) if missing else (None, {})


def render():
    """Return the page container holding the requested page, or Dash's empty one for the router to fill."""
    requested = _requested()
    if requested is None:
        return dash.page_container
    pathname, search = requested
    page, variables = _page(pathname)
    if page is None or not allows(current_user, page_access(pathname)):
        return dash.page_container  # the router asks, and the gate answers as it does for any page
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
