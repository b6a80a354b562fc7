"""What the pricing card offers the current visitor: billing decides, the landing page only shows it."""
from flask_login import current_user

from billing.client import configured
from models.entitlement import subscription_grants_access

SIGN_UP, GRANTED, UNCONFIGURED, MANAGE, SUBSCRIBE = "sign up", "granted", "unconfigured", "manage", "subscribe"


def current_offer():
    """Return the offer for the current visitor: sign up, granted, unconfigured, manage or subscribe."""
    if not current_user.is_authenticated:
        return SIGN_UP
    if current_user.access_granted or current_user.is_admin:
        return GRANTED
    if not configured():
        return UNCONFIGURED
    return MANAGE if subscription_grants_access(current_user) else SUBSCRIBE
