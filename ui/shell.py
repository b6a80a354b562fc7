"""The app layout around every page: navbar, data banner, page container."""
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html
from flask import current_app
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from auth.nav import nav_entries
from data.queries import metrics as queries
from data.serving.reader import NoData
from ui import dash_internals, first_page, freshness, ids

# app.extensions key: functions of the user returning navbar items placed before the account link.
NAVBAR_HOOKS = "navbar_hooks"
FRESHNESS = "shell-freshness"
THEME_SCRIPT = Path(__file__).resolve().parent.parent / "assets" / "theme.js"


def _nav_links():
    """Return nav items for the pages the navbar lists, marking locked ones."""
    items = []
    for entry in nav_entries(current_user):
        if not entry["locked"]:
            items.append(dbc.NavItem(dbc.NavLink(entry["name"], href=entry["href"])))
            continue
        link = html.A(
            [entry["name"], " ", html.I(className="bi bi-lock-fill"), html.Span(f" ({entry['hint']})", className="visually-hidden")],
            href=entry["href"],
            title=entry["hint"],
            className="nav-link text-white-50",
        )
        items.append(dbc.NavItem(link))
    return items


def _account_links():
    """Return login/signup or account/logout links for the current user."""
    if not current_user.is_authenticated:
        return [
            dbc.NavItem(dbc.NavLink("Log in", href="/login", external_link=True)),
            dbc.NavItem(dbc.Button("Sign up", href="/signup", color="light", size="sm", className="ms-2 mt-1", external_link=True)),
        ]
    # Features add their own entries (alerts: the unread badge and saved views) through this hook.
    links = [item for hook in current_app.extensions.get(NAVBAR_HOOKS, []) for item in hook(current_user)]
    links.append(dbc.NavItem(dbc.NavLink(current_user.email, href="/account", external_link=True)))
    if current_user.is_admin:
        links.insert(0, dbc.NavItem(dbc.NavLink("Admin", href="/admin")))
    links.append(
        html.Form(
            [
                dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                dbc.Button("Log out", type="submit", color="link", className="nav-link"),
            ],
            action="/logout",
            method="POST",
            className="d-inline",
        )
    )
    return links


def _banner():
    """Return a warning banner when the served data is demo data."""
    try:
        info = queries.load_info()
    except NoData:
        return dbc.Alert("No data loaded yet: run `flask --app app ingest`.", color="danger", className="mb-0 rounded-0 text-center")
    if info and info["source_kind"] == "demo":
        return dbc.Alert(
            [html.Strong("DEMO DATA. "), "USDA's PSD download was unreachable, so these figures are generated, not USDA's."],
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
    navbar = dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand([html.I(className="bi bi-cup-hot-fill me-2"), "beanflows"], href="/"),
                dbc.NavbarToggler(id="shell-nav-toggler"),
                dbc.Collapse(
                    [dbc.Nav(_nav_links(), navbar=True, className="me-auto"),
                     dbc.Nav([*_account_links(), dbc.NavItem(theme_toggle())], navbar=True)],
                    id="shell-nav-collapse",
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        id=ids.NAV,
    )
    footer = html.Footer(dbc.Container([html.Span(freshness.status()["line"], id=FRESHNESS), " · ",
                                        html.A("Methodology", href="/methodology"), " · ",
                                        html.A("Data API", href="/docs/api")], fluid=True),
                         className="small text-body-secondary border-top py-2")
    main = html.Main(dbc.Container(first_page.render(), fluid=True, className="py-3"))
    return html.Div([navbar, _banner(), main, footer])


def register(app):
    """Set the theme before the page paints, and open and close the phone navbar in the browser."""
    # The templates show the same DEMO banner and freshness line as the Dash pages.
    app.server.context_processor(lambda: {"data_status": freshness.status})
    # Dash loads assets' scripts at the end of <body>: the theme is set in <head> too, so no light flash.
    # Versioned like Dash's own asset URLs (?m=mtime), so browsers keep it for good.
    src = f"/assets/theme.js?m={int(THEME_SCRIPT.stat().st_mtime)}"
    index = app.index_string.replace("{%css%}", f'{{%css%}}\n        <script src="{src}"></script>', 1)
    # Dash wraps its scripts in a <footer>: a second "contentinfo" landmark beside the page's own.
    app.index_string = index.replace("<footer>", "<div>", 1).replace("</footer>", "</div>", 1)
    app.clientside_callback(ClientsideFunction("beanflows", "toggleNav"), Output("shell-nav-collapse", "is_open"),
                            Input("shell-nav-toggler", "n_clicks"), Input(dash_internals.LOCATION, "pathname"),
                            State("shell-nav-collapse", "is_open"), prevent_initial_call=True)
