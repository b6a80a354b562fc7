"""The one navbar: what it lists for a user, the same on Dash pages (ui/shell.py) and Jinja pages (_navbar.html)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import current_app, has_app_context, has_request_context, request

import registry
from auth.access import ADMIN, SUBSCRIBER, USER, allows
DASHBOARDS = "/dashboards/"
OVERVIEW = "/dashboards/overview"


@dataclass(frozen=True)
class Link:
    """A navbar link; a locked one carries the hint of what opens it, a Dash page is opened by Dash's router."""

    name: str
    href: str
    hint: str | None = None
    badge: int = 0
    badge_id: str | None = None
    dash: bool = False

    @property
    def locked(self) -> bool:
        """Return True when the link leads to what opens the page (log in, subscribe), not to the page."""
        return self.hint is not None


@dataclass(frozen=True)
class ViewsMenu:
    """The saved-views menu: open one (name, href, author when not the user's own), manage them, save this one."""

    views: tuple[tuple[str, str, str | None], ...]
    share: bool
    name: str = "Views"


@dataclass(frozen=True)
class Notice:
    """A warning under the navbar, for the user it concerns: what is wrong and what to do, and where."""

    text: str
    href: str
    id: str
    link_text: str = "Open it"


@dataclass(frozen=True)
class CommodityMenu:
    """The commodity switcher: the commodity shown and the site's commodities as (slug, name), the default first.

    action: where the switcher's plain form goes (the dashboard shown, else the overview); assets/commodity.js
    keeps the page's other filters when it switches.
    """

    current: str
    choices: tuple[tuple[str, str], ...]
    action: str

    @property
    def default(self) -> str:
        """Return the slug a URL naming no commodity means."""
        return self.choices[0][0]


@dataclass(frozen=True)
class Navbar:
    """The pages on the left; on the right the user's items, then their account (None: log in and sign up).

    notices: warnings shown under the navbar of every page for this user; commodities: the switcher (None when
    the site serves one commodity).
    """

    pages: tuple[Link, ...]
    items: tuple[Link | ViewsMenu, ...]
    account: Link | None
    notices: tuple[Notice, ...] = ()
    commodities: CommodityMenu | None = None
    brand: str = "beanflows"


def commodity_menu(path: str, query: Any, served: Any) -> CommodityMenu | None:
    """Return the switcher for a page at path with its URL query, served the site's (slug, name) pairs in order.

    None when the site serves one commodity.
    """
    choices = tuple((str(slug), str(name)) for slug, name in served)
    if len(choices) < 2:
        return None
    asked = query.get("commodity") if hasattr(query, "get") else None
    asked = asked.strip().lower() if isinstance(asked, str) else ""
    slugs = [slug for slug, _ in choices]
    current = asked if asked in slugs else slugs[0]
    action = path if isinstance(path, str) and path.startswith(DASHBOARDS) else OVERVIEW
    return CommodityMenu(current, choices, action)


def _page_link(page: dict, user: Any, menu: CommodityMenu | None = None) -> Link | None:
    """Return the navbar link of a Dash page for user: open (on the commodity shown), locked with its hint, or None."""
    access = page.get("access", ADMIN)
    if allows(user, access):
        keep = "" if menu is None or menu.current == menu.default else "?" + urlencode({"commodity": menu.current})
        return Link(page["name"], page["relative_path"] + keep, dash=True)
    if access == USER:
        return Link(page["name"], "/login?" + urlencode({"next": page["relative_path"]}), hint="Log in to open")
    if access == SUBSCRIBER:
        return Link(page["name"], "/#pricing", hint="Subscriber feature")
    return None


def nav_entries(user: Any, menu: CommodityMenu | None = None) -> list[Link]:
    """Return the links of the pages the navbar lists, in page order, locked ones marked."""
    links = (_page_link(page, user, menu) for page in registry.current().dash_pages.values() if page.get("nav"))
    return [link for link in links if link is not None]


def brand() -> str:
    """Return the site's brand (SITE_NAME)."""
    return (current_app.config.get("SITE_NAME") if has_app_context() else None) or "beanflows"


def init_app(app: Any, items: Any = (), notices: Any = ()) -> None:
    """Give app's navbar what features add: items, each fn(user) -> [Link or ViewsMenu] (app.py passes alerts'),
    and notices, each fn(user) -> [Notice] (app.py passes teams' over-seats notice)."""
    registry.of(app).nav_items.extend(items)
    registry.of(app).nav_notices.extend(notices)


def navbar(user: Any, path: str | None = None, query: Any = None, served: Any = ()) -> Navbar:
    """Return the navbar for user on a page (path and URL query; default: the request's).

    Pages, then admin, team and what features add (app.py gives them), then account; the commodity switcher
    of the site's commodities (served: (slug, name) pairs, the default first; ui/shell.py gives them).
    """
    if path is None and has_request_context():
        path, query = request.path, request.args
    menu = commodity_menu(path or "", query or {}, served)
    if not getattr(user, "is_authenticated", False):
        return Navbar(tuple(nav_entries(user, menu)), (), None, commodities=menu, brand=brand())
    items: list[Link | ViewsMenu] = []
    if user.is_admin:
        items.append(Link("Admin", "/admin", dash=True))
    if getattr(user, "team_id", None) is not None:
        items.append(Link("Team", "/team"))
    found = registry.current()
    for add in found.nav_items:
        items.extend(add(user))
    notices = tuple(notice for add in found.nav_notices for notice in add(user))
    return Navbar(tuple(nav_entries(user, menu)), tuple(items), Link(user.email, "/account"), notices, menu,
                  brand())
