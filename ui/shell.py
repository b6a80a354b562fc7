"""The app layout around every page: navbar, data banner, page container."""
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, html
from flask import request
from flask_login import current_user

from auth.nav import commodity_menu, navbar
from data.commodities.site import site
from ui import dash_internals, first_page, freshness, ids
from ui import navbar as dash_navbar

FRESHNESS = "shell-freshness"
THEME_SCRIPT = Path(__file__).resolve().parent.parent / "assets" / "theme.js"


def _banner(found):
    """Return a warning banner when no data or demo data is served, saying why (found: ui/freshness.status())."""
    if found["kind"] == "missing":
        return dbc.Alert("No data loaded yet: run `flask --app app ingest`.", color="danger", className="mb-0 rounded-0 text-center")
    if found["kind"] == "demo":
        return dbc.Alert(
            [html.Strong("DEMO DATA. "), found["banner"]],
            color="warning",
            className="mb-0 rounded-0 text-center",
            id=ids.DATA_BANNER,
        )
    return html.Div(id=ids.DATA_BANNER)


def theme_toggle():
    """Return the dark-mode switch (assets/theme.js flips the theme, keeps the choice and sets aria-pressed)."""
    return html.Button(
        [html.I(className="bi bi-moon-stars-fill", **{"aria-hidden": "true"}), html.Span("Dark mode", className="visually-hidden")],
        type="button", className="btn btn-link nav-link theme-toggle", title="Dark mode",
        **{"data-theme-toggle": "", "aria-pressed": "false"},
    )


def layout():
    """Return the shell around the current page."""
    # The layout is asked for by the page the browser is on: its path and query choose the commodity shown.
    pathname, search = first_page.requested() or ("", "")
    drawn = navbar(current_user, pathname, dash_internals.query_parameters(search), served())
    nav = dash_navbar.navbar(drawn, theme_toggle())
    found = freshness.status(drawn.commodities.current if drawn.commodities else None)
    footer = html.Footer(dbc.Container([html.Span(found["line"], id=FRESHNESS), " · ",
                                        html.A("Methodology", href="/methodology"), " · ",
                                        html.A("Data API", href="/docs/api")], fluid=True),
                         className="small text-body-secondary border-top py-2")
    main = html.Main(dbc.Container(first_page.render(), fluid=True, className="py-3"))
    return html.Div([nav, *dash_navbar.notices(drawn), _banner(found), main, footer])


def served():
    """Return the site's commodities as (slug, name) pairs, the default first: the navbar's switcher lists them."""
    return tuple((c.slug, c.name) for c in site())


def register(app):
    """Set the theme before the page paints, and open and close the phone navbar in the browser."""
    # The templates show the same DEMO banner and freshness line as the Dash pages, and the commodity switcher.
    app.server.context_processor(lambda: {"data_status": freshness.status, "commodity_menu": lambda: commodity_menu(
        request.path, request.args, served())})
    # Dash loads assets' scripts at the end of <body>: the theme is set in <head> too, so no light flash.
    # Versioned like Dash's own asset URLs (?m=mtime), so browsers keep it for good.
    src = f"/assets/theme.js?m={int(THEME_SCRIPT.stat().st_mtime)}"
    index = app.index_string.replace("{%css%}", f'{{%css%}}\n        <script src="{src}"></script>', 1)
    # Dash wraps its scripts in a <footer>: a second "contentinfo" landmark beside the page's own.
    app.index_string = index.replace("<footer>", "<div>", 1).replace("</footer>", "</div>", 1)
    app.clientside_callback(ClientsideFunction("beanflows", "toggleNav"), Output(dash_navbar.COLLAPSE, "is_open"),
                            Input(dash_navbar.TOGGLER, "n_clicks"), Input(dash_internals.LOCATION, "pathname"),
                            State(dash_navbar.COLLAPSE, "is_open"), prevent_initial_call=True)
