"""Chart callback bodies for a served app, each page with its default filters."""
import importlib
import pkgutil

import callbacks
from tests.harness import dash_client as dc


def declared_pages():
    """Import every callbacks module (each declares its page) and return the declared pages by name."""
    for module in pkgutil.iter_modules(callbacks.__path__):
        importlib.import_module(f"callbacks.{module.name}")
    from callbacks.page import PAGES

    return PAGES


def page_defaults(client, page, search=""):
    """Return {(id, prop): value} of a page's filters as the served page sets them for a URL query."""
    props = client.page_props(page.route, search)
    return {(f.component, p): props[f.component].get(p) for f in page.fields.values() for p in (f.prop, *f.extras)}


def dashboard_pages():
    """Return the declared pages that have filters (the dashboards)."""
    return [page for page in declared_pages().values() if page.fields]


def chart_bodies(server, session):
    """Return [(chart base id, callback body)] for every chart, with each page's default filters."""
    from callbacks.page import CHARTS

    session.get(f"{server.url}/dashboards/overview", timeout=30)
    client = dc.DashClient(session, server.url)
    defaults = {}
    for page in dashboard_pages():
        defaults.update(page_defaults(client, page))
    return [(spec.ids.base, dc.body(client.find(spec.ids.view, spec.view_prop), defaults)) for spec in CHARTS]
