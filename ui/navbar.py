"""Draw the navbar (auth/nav.py) as Dash components; auth/templates/auth/_navbar.html draws it for Jinja pages."""
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_wtf.csrf import generate_csrf

from auth.nav import CommodityMenu, Link, Navbar, Notice, ViewsMenu
from ui import ids

TOGGLER, COLLAPSE = "shell-nav-toggler", "shell-nav-collapse"
SWITCHER = "nav-commodity"


def switcher(menu: CommodityMenu | None):
    """Return the commodity switcher: a labelled select in a plain GET form (assets/commodity.js keeps the filters)."""
    if menu is None:
        return None
    data: dict[str, Any] = {"data-commodity-switch": "", "data-default": menu.default}
    return html.Form([
        dbc.Label("Commodity", html_for=SWITCHER, className="visually-hidden"),
        dbc.Select(id=SWITCHER, name="commodity", value=menu.current, size="sm", className="commodity-select",
                   options=[{"label": name, "value": slug} for slug, name in menu.choices]),
        html.Button("Show", type="submit", className="btn btn-light btn-sm ms-1 visually-hidden-focusable"),
    ], action=menu.action, method="GET", className="commodity-switcher d-flex align-items-center ms-auto ms-md-0 me-2",
        **data)


def _link(link: Link):
    """Return a nav item for link: a Dash page through Dash's router, any other page by a full load."""
    if link.locked:
        return dbc.NavItem(html.A(
            [link.name, " ", html.I(className="bi bi-lock-fill"),
             html.Span(f" ({link.hint})", className="visually-hidden")],
            href=link.href, title=link.hint, className="nav-link text-white-50"))
    badge = [" ", dbc.Badge(str(link.badge), color="danger", pill=True, id=link.badge_id)] if link.badge else []
    return dbc.NavItem(dbc.NavLink([link.name, *badge], href=link.href, external_link=not link.dash))


def _views_menu(menu: ViewsMenu):
    """Return the saved-views menu: open a view, or save the one on screen (assets/saved-views.js fills its URL)."""
    links = [html.A([name, *([] if author is None else [html.Small(f" · {author}", className="text-muted")])],
                    href=href, className="dropdown-item")
             for name, href, author in menu.views]
    # Plain form checkboxes, posted with the form: dcc.Input draws any type; its stub lists only the text ones.
    share = [html.Label([dcc.Input(type="checkbox", name="share", value="y",  # type: ignore[arg-type]
                                   className="form-check-input me-1"),
                         "Share with my team"], className="form-check-label small d-block mb-1")] if menu.share else []
    form = html.Form([
        dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
        dcc.Input(type="hidden", name="url", value=""),
        dcc.Input(type="text", name="name", placeholder="Name this view", maxLength=80, required=True,
                  className="form-control form-control-sm mb-1", id="saved-views-name"),
        html.Label([dcc.Input(type="checkbox", name="pin", value="y",  # type: ignore[arg-type]
                              className="form-check-input me-1"),
                    "Pin this release"], className="form-check-label small d-block mb-1"),
        *share,
        html.Button("Save view", type="submit", className="btn btn-primary btn-sm", id="saved-views-save"),
    ], action="/views", method="POST", className="px-2 pt-2 saved-views-form")
    return html.Details([
        html.Summary(menu.name, className="nav-link"),
        html.Div([*links, html.A("Manage views", href="/account#saved-views", className="dropdown-item small"),
                  form], className="saved-views-panel bg-white border rounded shadow-sm"),
    ], className="nav-item saved-views-menu", id="saved-views-menu")


def _account(nav: Navbar):
    """Return log in and sign up, or the user's items, account link and log-out button."""
    if nav.account is None:
        return [
            dbc.NavItem(dbc.NavLink("Log in", href="/login", external_link=True)),
            dbc.NavItem(dbc.Button("Sign up", href="/signup", color="light", size="sm", className="ms-2 mt-1",
                                   external_link=True)),
        ]
    items = [dbc.NavItem(_views_menu(item)) if isinstance(item, ViewsMenu) else _link(item) for item in nav.items]
    return [*items, _link(nav.account), html.Form(
        [dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
         dbc.Button("Log out", type="submit", color="link", className="nav-link")],
        action="/logout", method="POST", className="d-inline")]


def navbar(nav: Navbar, theme_toggle):
    """Return the Dash navbar of nav, with the theme toggle last."""
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand([html.I(className="bi bi-cup-hot-fill me-2"), nav.brand], href="/"),
                *([found] if (found := switcher(nav.commodities)) is not None else []),
                dbc.NavbarToggler(id=TOGGLER),
                dbc.Collapse(
                    [dbc.Nav([_link(link) for link in nav.pages], navbar=True, className="me-auto"),
                     dbc.Nav([*_account(nav), dbc.NavItem(theme_toggle)], navbar=True)],
                    id=COLLAPSE,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        id=ids.NAV,
    )


def notices(nav: Navbar):
    """Return the notices under the navbar, each a warning with a link to what resolves it."""
    return [_notice(notice) for notice in nav.notices]


def _notice(notice: Notice):
    """Return one notice as a warning banner (auth/templates/auth/_notices.html draws the same for Jinja pages)."""
    icon: dict[str, Any] = {"aria-hidden": "true"}
    return dbc.Alert([html.I(className="bi bi-exclamation-triangle-fill me-1", **icon),
                      notice.text, " ", html.A(notice.link_text, href=notice.href, className="alert-link")],
                     color="warning", className="mb-0 rounded-0 text-center", id=notice.id)
