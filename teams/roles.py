"""Who holds which role in which team: the checks every team route (and other packages) ask."""
from models.teams import MANAGING_ROLES, membership


def team_role(user_id):
    """Return the user's role in their team ('owner', 'admin', 'member'), or None when in no team."""
    member = membership(user_id)
    return member.role if member is not None else None


def is_team_manager(user_id, team_id):
    """Return True when the user is the owner or an admin of team_id."""
    member = membership(user_id)
    return member is not None and member.team_id == team_id and member.role in MANAGING_ROLES
