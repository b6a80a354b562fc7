"""What the pricing card offers the current visitor: billing decides, the landing page only shows it."""
from flask_login import current_user

from billing.client import configured, team_configured
from models.entitlement import subscription_grants_access, team_grants_access
from models.team_access import team_fields

SIGN_UP, GRANTED, UNCONFIGURED, MANAGE, SUBSCRIBE = "sign up", "granted", "unconfigured", "manage", "subscribe"
TEAM, BUY_TEAM = "team", "buy team"  # through a team's plan; the Team plan's checkout


def current_offer():
    """Return the offer for the current visitor: sign up, granted, unconfigured, manage or subscribe."""
    if not current_user.is_authenticated:
        return SIGN_UP
    if current_user.access_granted or current_user.is_admin:
        return GRANTED
    if not configured():
        return UNCONFIGURED
    if subscription_grants_access(current_user):
        return MANAGE
    return TEAM if team_grants_access(current_user) else SUBSCRIBE


def team_offer():
    """Return what the Team card offers the current visitor: sign up, unconfigured, team (in one) or buy team."""
    if not current_user.is_authenticated:
        return SIGN_UP
    if team_fields(current_user).team_id is not None:
        return TEAM
    return BUY_TEAM if team_configured() else UNCONFIGURED
