"""Access levels and who holds them."""
from models.entitlement import is_subscriber

PUBLIC = "public"
USER = "user"
SUBSCRIBER = "subscriber"
ADMIN = "admin"

RANK = {PUBLIC: 0, USER: 1, SUBSCRIBER: 2, ADMIN: 3}
# Routes judged per request: a Dash callback by the callback it names, a Dash page URL by its page.
CALLBACK = "callback"
PAGE = "page"
ROUTE_LEVELS = set(RANK) | {CALLBACK, PAGE}
ROUTE_ACCESS = "route_access"
# The paths judged that way (JSON answers, no redirects): Dash's callback route and the data API.
CALLBACK_PATH = "/_dash-update-component"
API_PREFIX = "/api/"


def requires(level):
    """Declare the access level a Flask view needs; put it under the route decorator."""
    if level not in ROUTE_LEVELS:
        raise ValueError(f"unknown access level {level!r}")

    def declare(view):
        view.access = level
        return view
    return declare


def declare_routes(app, levels):
    """Declare the access of endpoints registered by other libraries (Flask static, Dash, Bootstrap)."""
    for endpoint, route_level in levels.items():
        if route_level not in ROUTE_LEVELS:
            raise ValueError(f"unknown access level {route_level!r}")
        app.extensions.setdefault(ROUTE_ACCESS, {})[endpoint] = route_level


def level(user):
    """Return the highest access level user holds."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    if user.is_admin:
        return ADMIN
    if is_subscriber(user):
        return SUBSCRIBER
    return USER


def allows(user, required):
    """Return True when user holds the required level (unknown levels deny)."""
    if required not in RANK:
        return False
    return RANK[level(user)] >= RANK[required]
