"""The one navbar: what it lists for a user, the same on Dash pages (ui/shell.py) and Jinja pages (_navbar.html)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import registry
from auth.access import ADMIN, SUBSCRIBER, USER, allows


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
class Navbar:
    """The pages on the left; on the right the user's items, then their account (None: log in and sign up).

    notices: warnings shown under the navbar of every page for this user.
    """

    pages: tuple[Link, ...]
    items: tuple[Link | ViewsMenu, ...]
    account: Link | None
    notices: tuple[Notice, ...] = ()


def _page_link(page: dict, user: Any) -> Link | None:
    """Return the navbar link of a Dash page for user: open, locked with its hint, or None (not listed)."""
    access = page.get("access", ADMIN)
    if allows(user, access):
        return Link(page["name"], page["relative_path"], dash=True)
    if access == USER:
        return Link(page["name"], "/login?" + urlencode({"next": page["relative_path"]}), hint="Log in to open")
    if access == SUBSCRIBER:
        return Link(page["name"], "/#pricing", hint="Subscriber feature")
    return None


def nav_entries(user: Any) -> list[Link]:
    """Return the links of the pages the navbar lists, in page order, locked ones marked."""
    links = (_page_link(page, user) for page in registry.current().dash_pages.values() if page.get("nav"))
    return [link for link in links if link is not None]


def init_app(app: Any, items: Any = (), notices: Any = ()) -> None:
    """Give app's navbar what features add: items, each fn(user) -> [Link or ViewsMenu] (app.py passes alerts'),
    and notices, each fn(user) -> [Notice] (app.py passes teams' over-seats notice)."""
    registry.of(app).nav_items.extend(items)
    registry.of(app).nav_notices.extend(notices)


def navbar(user: Any) -> Navbar:
    """Return the navbar for user: pages, then admin, team and what features add (app.py gives them), then account."""
    if not getattr(user, "is_authenticated", False):
        return Navbar(tuple(nav_entries(user)), (), None)
    items: list[Link | ViewsMenu] = []
    if user.is_admin:
        items.append(Link("Admin", "/admin", dash=True))
    if getattr(user, "team_id", None) is not None:
        items.append(Link("Team", "/team"))
    found = registry.current()
    for add in found.nav_items:
        items.extend(add(user))
    notices = tuple(notice for add in found.nav_notices for notice in add(user))
    return Navbar(tuple(nav_entries(user)), tuple(items), Link(user.email, "/account"), notices)
