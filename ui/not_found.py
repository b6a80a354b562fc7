"""HTTP 404 for paths no page serves, and for country pages of codes the data does not hold."""
from dash import html
from flask import request

import registry

from data.commodities.site import site
from data.queries import metrics as queries
from data.serving.reader import NoData
from ui import dash_internals

CATCH_ALL = "/<path:path>"


def known_country(code, commodity=None):
    """Return True when code (any case) is a country of a commodity's served data (or no data is loaded yet)."""
    try:
        return str(code).upper() in set(queries.countries(commodity)["country_code"])
    except NoData:
        return True


def country_name(code):
    """Return the served name of a country code, or None (also outside a request or without data)."""
    try:
        names = queries.countries()
    except (NoData, RuntimeError):
        return None
    match = names.loc[names["country_code"] == str(code).upper(), "country"]
    return match.iloc[0] if len(match) else None


def asked_commodity():
    """Return the PSD code of the served commodity the request's URL names, or None (the site's first)."""
    asked = request.args.get("commodity", "")
    found = next((c for c in site() if c.slug == asked.strip().lower()), None)
    return found.code if found else None


def page_exists(path):
    """Return True when a registered Dash page answers path (a country page only for a known code)."""
    path = "/" + path.strip("/") if path.strip("/") else "/"
    for entry in registry.current().dash_pages.values():
        if entry["path"] == path and path != "/404":
            return True
        if entry.get("path_template"):
            found = dash_internals.path_variables(path, entry["path_template"])
            if found is not None:
                return all(known_country(v, asked_commodity()) for k, v in found.items() if k == "iso3")
    return False


def status(response):
    """Turn the Dash index answer for an unknown page into a 404 (Dash still draws the helpful page)."""
    if request.endpoint == CATCH_ALL and response.status_code == 200 and not page_exists(request.path):
        response.status_code = 404
    return response


def layout(what):
    """Return the helpful not-found content: what was not found and where to go instead."""
    return html.Div([
        html.H1("Not found", className="h2"),
        html.P(what),
        html.Ul([html.Li(html.A("World overview", href="/dashboards/overview")),
                 html.Li(html.A("Country pages, from the overview's country list", href="/dashboards/country/BRA")),
                 html.Li(html.A("Methodology", href="/methodology")),
                 html.Li(html.A("Home", href="/"))]),
    ], className="py-4")
