"""One navbar: a user sees the same items on a dashboard (Dash) and on the Jinja pages (/account, /team, /alerts)."""
import re
from html.parser import HTMLParser

import pytest

from tests.auth.conftest import cli_user, client_login

JINJA_PAGES = ("/account", "/team", "/alerts")
VOID = {"input", "br", "img", "meta", "link", "hr"}  # HTML elements without an end tag


class _NavLinks(HTMLParser):
    """Collect (text, href) of the links and menus inside the element id="shell-nav" of a page."""

    def __init__(self):
        super().__init__()
        self.depth, self.items, self._open = 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            return
        if self.depth or attrs.get("id") == "shell-nav":
            self.depth += 1
            if tag in ("a", "summary") and self.depth > 1:
                self._open = [attrs.get("href"), ""]

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if tag in ("a", "summary") and self._open is not None:
                self.items.append((re.sub(r"\s+", " ", self._open[1]).strip(), self._open[0]))
                self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data


def jinja_items(html):
    """Return the navbar's top-level (text, href) of a Jinja page, saved-view entries left out."""
    parser = _NavLinks()
    parser.feed(html)
    return [item for item in parser.items if not _in_menu(item)]


def _text(children):
    """Return the text of Dash component JSON children."""
    if isinstance(children, str):
        return children
    if isinstance(children, list):
        return "".join(_text(c) for c in children)
    if isinstance(children, dict):
        return _text(children.get("props", {}).get("children"))
    return "" if children is None else str(children)


def dash_items(layout):
    """Return the navbar's (text, href) of a Dash layout (JSON), in document order, as a browser reads them."""
    found = []

    def visit(node, inside):
        if isinstance(node, list):
            for child in node:
                visit(child, inside)
            return
        if not isinstance(node, dict) or "props" not in node:
            return
        props = node["props"]
        inside = inside or props.get("id") == "shell-nav"
        if inside and node["type"] in ("NavbarBrand", "NavLink", "A", "Summary") or inside and props.get("href"):
            found.append((re.sub(r"\s+", " ", _text(props.get("children"))).strip(), props.get("href")))
            return
        visit(props.get("children"), inside)

    visit(layout, False)
    return [item for item in found if not _in_menu(item)]


def _in_menu(item):
    """Return True for an entry inside the saved-views menu (its views and its manage link)."""
    return item[1] is not None and (item[1].startswith("/views/") or item[1] == "/account#saved-views")


@pytest.fixture
def member(app):
    """Return a logged-in test client of a member of a team with an active Team subscription."""
    from extensions import db
    from models.accounts import User
    from models.teams import Team, TeamMember

    cli_user(app, "owner@example.com")
    cli_user(app, "member@example.com")
    with app.app_context():
        owner, user = (db.session.execute(db.select(User).where(User.email == e)).scalar_one()
                       for e in ("owner@example.com", "member@example.com"))
        team = Team(name="Desk", owner_id=owner.id, seats=3, subscription_status="active")
        db.session.add(team)
        db.session.flush()
        db.session.add_all([TeamMember(team_id=team.id, user_id=owner.id, role="owner"),
                            TeamMember(team_id=team.id, user_id=user.id, role="member")])
        db.session.commit()
    client = app.test_client()
    client_login(client, "member@example.com")
    return client


def test_a_team_member_sees_the_same_navbar_on_a_dashboard_and_on_the_jinja_pages(member):
    layout = member.get("/_dash-layout", headers={"Referer": "http://localhost/dashboards/production"}).get_json()
    on_dashboard = dash_items(layout)
    names = [name for name, _ in on_dashboard]
    # Pages, then the team, alerts and views, then the account: every item a member has.
    assert {"Team", "Alerts", "Views", "member@example.com", "Production"} <= set(names), on_dashboard
    assert ("Team", "/team") in on_dashboard and ("Alerts", "/alerts") in on_dashboard
    for path in JINJA_PAGES:
        response = member.get(path)
        assert response.status_code == 200, path
        assert jinja_items(response.get_data(as_text=True)) == on_dashboard, path


def test_anonymous_and_admin_navbars_match_too(app):
    anonymous = app.test_client()
    layout = anonymous.get("/_dash-layout").get_json()
    login = jinja_items(anonymous.get("/login").get_data(as_text=True))
    assert [i for i in login if i[0] != "Sign up"] == [i for i in dash_items(layout) if i[0] != "Sign up"]
    assert ("Log in", "/login") in login
    cli_user(app, "admin@example.com", "--admin")
    admin = app.test_client()
    client_login(admin, "admin@example.com")
    on_dashboard = dash_items(admin.get("/_dash-layout").get_json())
    assert ("Admin", "/admin") in on_dashboard and ("Alerts", "/alerts") in on_dashboard
    assert jinja_items(admin.get("/account").get_data(as_text=True)) == on_dashboard
