"""The sign-in part of the access policy (auth/access.py): the step a login is stuck at, read from the live-user record.

A login is fully signed in, or stuck at one step: owing its second factor, required to add one, or required to come
through its team's own provider. auth/access.py admits a stuck login only to the routes declared for its step.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from flask import current_app

from models.entitlement import aware

# The steps a login can be stuck at (sign_in_step). Such a login opens only the routes declared for its step;
# everywhere else it counts as not logged in, and the gate sends it to its step (auth/gate.py).
SECOND_FACTOR = "second factor"  # the first step done (a password or a provider); the second factor still owed
ADD_FACTOR = "add a factor"  # its team, or its site-admin role, requires a second factor the user does not hold yet
TEAM_SSO = "team single sign-on"  # its team requires the team's own provider, and this login did not come through it
# Route levels of those steps: SECOND_STEP opens to a login owing its second factor (and to signed-in users, who
# confirm theirs there); ENROLMENT to a user who must add a factor first (and to every signed-in user).
SECOND_STEP = "second step"
ENROLMENT = "enrolment"
STEP_OF = {SECOND_STEP: SECOND_FACTOR, ENROLMENT: ADD_FACTOR}
# How recent a second factor must be, in this login, before creating an API token (for users who hold one).
FACTOR_CHECK_WINDOW = timedelta(minutes=15)


def team_method(team_id: int | None) -> str:
    """Return the login method a sign-in through this team's own provider records."""
    return f"team:{team_id}"


def factor_required(user: Any) -> str | None:
    """Return why user must hold a second factor (their team, their admin role), or None when nothing requires it."""
    if getattr(user, "team_mfa_required", False):
        return f"Your team ({getattr(user, 'team_name', None) or 'unnamed'}) requires two-factor authentication."
    if user.is_admin and current_app.config["REQUIRE_ADMIN_MFA"]:
        return "Site admins must use two-factor authentication."
    return None


def sign_in_step(user: Any) -> str | None:
    """Return the step the live-user record's login is stuck at, or None when it is fully signed in.

    Read from the record on every request (auth/login_sessions.py carries the login's method and second-factor state
    and the team's sign-in rules): the team's provider when the team requires it, then the second factor owed, then a
    factor to add. A user not loaded for a login (an API token's) has no login fields and no step.
    """
    method = getattr(user, "login_method", None)
    if method is None:
        return None
    if getattr(user, "team_sso_required", False) and method != team_method(getattr(user, "team_id", None)):
        return TEAM_SSO
    if getattr(user, "login_pending", False):
        return SECOND_FACTOR
    if not user.two_factor and factor_required(user):
        return ADD_FACTOR
    return None


def owes_factor_check(user: Any, now: datetime | None = None) -> bool:
    """Return True when user holds a second factor and this login has not checked it in FACTOR_CHECK_WINDOW."""
    if not getattr(user, "two_factor", False):
        return False
    checked = aware(getattr(user, "login_factor_at", None))
    return checked is None or (now or datetime.now(timezone.utc)) - checked > FACTOR_CHECK_WINDOW
