"""The one access policy: who may open each route, page, callback, download and team route (docs/security.md).

Every question is answered here from the live-user record (auth/login_sessions.py loads it on every request:
the user's row and its team's state, models/team_access.py); what that record entitles is models/entitlement.py.
The gate (auth/gate.py) asks required() on every request; pages, the first draw, downloads and the navbar ask
allows(); ui/ tells the policy at start how to read a Dash request (which callback or page it names), and the
policy decides its level.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from flask import Flask, current_app, g, request

import registry
from auth.steps import STEP_OF, sign_in_step
from models.entitlement import is_subscriber
from models.teams import MANAGING_ROLES

PUBLIC = "public"
USER = "user"
SUBSCRIBER = "subscriber"
ADMIN = "admin"

RANK = {PUBLIC: 0, USER: 1, SUBSCRIBER: 2, ADMIN: 3}
# Routes judged per request: a Dash callback by the callback its body names, a Dash page URL by its page.
CALLBACK = "callback"
PAGE = "page"
ROUTE_LEVELS = set(RANK) | {CALLBACK, PAGE} | set(STEP_OF)
# The paths judged that way (JSON answers, no redirects): Dash's callback route and the data API.
CALLBACK_PATH = "/_dash-update-component"
API_PREFIX = "/api/"
# Every chart's CSV and .xlsx download needs at least this, whatever its page needs.
DOWNLOADS = SUBSCRIBER


class Denied(Exception):
    """The request needs a level the user lacks (or no level can open it)."""


class Malformed(Exception):
    """The request does not match what the route it names declares."""


@dataclass(frozen=True)
class Rule:
    """What a route declares: the level it needs (or CALLBACK/PAGE), and whether its view only reads the user.

    A view that only reads the user gets the read-only view of the live-user record (auth/login_sessions.py),
    a quarter of the cost of the model; every other view gets the model.
    """

    level: str
    reads_only: bool = False

    def __post_init__(self):
        if self.level not in ROUTE_LEVELS:
            raise ValueError(f"unknown access level {self.level!r}")


class DashRequests(Protocol):
    """How the policy reads a Dash request (ui/callback_access.py): given at start by the code that mounts Dash."""

    def callback_of(self, body: Any) -> tuple[str, Any]:
        """Return (CALLBACK, key) or (PAGE, pathname) for a callback body; raise Denied or Malformed."""

    def page_of(self, pathname: str) -> dict:
        """Return the page registry entry Dash renders at pathname, {} for none; raise Malformed."""

    def server_callbacks(self) -> list[str]:
        """Return the key of every callback Dash runs on the server, its page router's excepted."""


@dataclass(eq=False)
class Policy:
    """One app's access rules: routes registered by libraries, Dash callbacks, and how to read Dash requests."""

    routes: dict[str, Rule] = field(default_factory=dict)  # endpoint -> rule (our views carry theirs: requires)
    callbacks: dict[str, str] = field(default_factory=dict)  # Dash callback key -> level
    dash: DashRequests | None = None

    def rule(self, app: Flask, endpoint: str | None) -> Rule | None:
        """Return the rule declared where endpoint was registered, or None."""
        if endpoint is None:
            return None
        return getattr(app.view_functions.get(endpoint), "access", None) or self.routes.get(endpoint)

    def page_level(self, page: dict) -> str:
        """Return the level of a Dash page registry entry: its declared access; the not-found page (none) is public."""
        return page.get("access", ADMIN) if page else PUBLIC

    def callback_level(self, key: str) -> str:
        """Return the level a Dash callback declared; raise Denied for one that declared none."""
        level = self.callbacks.get(key)
        if level not in RANK:
            raise Denied
        return level

    def dash_level(self, kind: str) -> str:
        """Return the level of this Dash request: the callback or page its body names, or the page at its path."""
        if self.dash is None:
            raise Denied  # nothing mounted to judge it: never open by default
        if kind == PAGE:
            return self.page_level(self.dash.page_of(request.path))
        try:
            # Strict JSON (web/strict_json.py): NaN, Infinity or a bad byte make this None, a 400.
            body = request.get_json(silent=True)
        except RecursionError:
            raise Malformed from None
        named, what = self.dash.callback_of(body)
        return self.page_level(self.dash.page_of(what)) if named == PAGE else self.callback_level(what)

    def undeclared(self, app: Flask) -> list[str]:
        """Return what would start without a rule: URL rules, then Dash server callbacks."""
        routes = sorted(rule.rule for rule in app.url_map.iter_rules() if self.rule(app, rule.endpoint) is None)
        callbacks = [] if self.dash is None else sorted(
            key for key in self.dash.server_callbacks() if self.callbacks.get(key) not in RANK)
        return routes + callbacks


def policy(app: Flask | None = None) -> Policy:
    """Return app's (default: the current app's) access policy, made empty the first time."""
    slots = registry.of(app if app is not None else current_app)
    if slots.access is None:
        slots.access = Policy()
    return slots.access


def requires(level: str, reads_only: bool = False) -> Callable:
    """Declare the access level a Flask view needs; put it under the route decorator."""
    rule = Rule(level, reads_only)

    def declare(view):
        view.access = rule
        return view
    return declare


def declare_routes(app: Flask, levels: dict[str, str | Rule]) -> None:
    """Declare the access of endpoints registered by other libraries (Flask static, Dash, Bootstrap)."""
    routes = policy(app).routes
    for endpoint, declared in levels.items():
        routes[endpoint] = declared if isinstance(declared, Rule) else Rule(declared)


def declare_callback(app: Flask, key: str, level: str) -> None:
    """Declare the level a Dash callback of app needs (callbacks/page.py, where each page registers its own)."""
    if level not in RANK:
        raise ValueError(f"callback {key}: unknown access level {level!r}")
    policy(app).callbacks[key] = level


def read_dash(app: Flask, requests: DashRequests) -> None:
    """Tell app's policy how to read its Dash requests (called once Dash is mounted)."""
    policy(app).dash = requests


def required() -> str:
    """Return the level the current request needs, or raise Denied or Malformed."""
    rules = registry.current().access
    rule = None if rules is None else rules.rule(current_app, request.endpoint)
    if rules is None or rule is None:
        raise Denied  # check() refuses to start without one; never open by default
    if rule.level in (CALLBACK, PAGE):
        return rules.dash_level(rule.level)
    return rule.level


def reads_only() -> bool:
    """Return True when the current request's route declared that its view only reads the user."""
    rules = registry.current().access
    rule = None if rules is None else rules.rule(current_app, request.endpoint)
    return rule is not None and rule.reads_only


def check(app: Flask) -> None:
    """Refuse to start when a route or a Dash server callback has no declared access level."""
    missing = policy(app).undeclared(app)
    if missing:
        raise RuntimeError(f"routes and callbacks without a declared access level: {', '.join(missing)}")


def admit(user: Any) -> Any:
    """Return the live-user record when its login may use this request's route, else None (not logged in here).

    A login stuck at a step is kept on g (stuck()) for the gate and the step's own routes.
    """
    step = sign_in_step(user)
    if step is None:
        return user
    g.sign_in_step = (step, user)
    rules = registry.current().access
    rule = None if rules is None else rules.rule(current_app, request.endpoint)
    return user if rule is not None and STEP_OF.get(rule.level) == step else None


def stuck() -> tuple[str, Any] | None:
    """Return (step, live-user record) of this request's login when it is stuck at a step of signing in, else None."""
    return g.get("sign_in_step")


def level(user: Any) -> str:
    """Return the highest access level the live-user record holds (none while its login is stuck at a step)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    if sign_in_step(user) is not None:
        return PUBLIC
    if user.is_admin:
        return ADMIN
    if is_subscriber(user):
        return SUBSCRIBER
    return USER


def allows(user: Any, required_level: str) -> bool:
    """Return True when user holds the required level (unknown levels deny)."""
    if required_level in STEP_OF:  # a step's routes: a login at that step, or one fully signed in
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return sign_in_step(user) in (None, STEP_OF[required_level])
    if required_level not in RANK:
        return False
    return RANK[level(user)] >= RANK[required_level]


def at_least(required_level: str, floor: str) -> str:
    """Return the higher of two access levels."""
    return max(required_level, floor, key=RANK.__getitem__)


def download_level(page_level: str) -> str:
    """Return the level a chart's download needs on a page of page_level: at least a subscription."""
    return at_least(page_level, DOWNLOADS)


def manages_team(user: Any) -> bool:
    """Return True when the user is their team's owner or an admin (team routes that change the team ask)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "team_role", None) in MANAGING_ROLES)
