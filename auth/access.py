"""Access levels and who holds them."""
from models.entitlement import is_subscriber

PUBLIC = "public"
USER = "user"
SUBSCRIBER = "subscriber"
ADMIN = "admin"

RANK = {PUBLIC: 0, USER: 1, SUBSCRIBER: 2, ADMIN: 3}


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
