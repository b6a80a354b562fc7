"""Finishing a sign-in: the login a first step opens (password, provider, passkey) and the second step it may owe.

Every way in ends here, so each login records how it was made and whether its second factor is owed, and the access
policy (auth/steps.py) judges the new login from the live-user record, exactly as it will on every later request.
"""
from flask import redirect, session, url_for
from flask_login import login_user

from auth import login_sessions
from auth.redirects import HOME, safe_next
from auth.steps import TEAM_SSO, sign_in_step
from extensions import db
from models.accounts import LoginSession, utcnow

# The first step's choices, kept in the (signed) session until the second step is done.
REMEMBER, NEXT = "signin_remember", "signin_next"
TEAM_SSO_REFUSAL = ("Your team requires signing in through its single sign-on: use the button below. "
                    "Your password still works for accounts outside the team.")


class Refused(Exception):
    """This way in is refused for this user (their team requires its own provider); the message says why."""

    def __init__(self, message, provider=None):
        super().__init__(message)
        self.provider = provider  # the provider to use instead (team-<id>), for a button


def _end(user):
    """Revoke the login just opened for user."""
    row = db.session.get(LoginSession, user.login_session_id)
    row.revoked_at = utcnow()
    db.session.commit()


def begin(user, method, remember=False, next_url=None, factor_done=False):
    """Open a login for user made by method and return where the browser goes next.

    The second factor is owed when the user holds one, unless this way in was one (a passkey). The remember cookie is
    set only once the login is complete. Raise Refused when the policy refuses this way in for the user.
    """
    session.clear()
    now = utcnow()
    pending = bool(user.two_factor) and not factor_done
    login_sessions.start(user, method, pending=pending, factor_at=now if factor_done else None)
    db.session.commit()
    record = login_sessions.live_user(user.get_id())
    if record is None or sign_in_step(record) == TEAM_SSO:
        _end(user)
        raise Refused(TEAM_SSO_REFUSAL, provider=None if record is None else f"team-{record.team_id}")
    login_user(user, remember=remember and not pending)
    if pending:
        session[REMEMBER], session[NEXT] = bool(remember), safe_next(next_url)
        return redirect(url_for("auth.second_step"), code=303)
    user.last_login_at = now
    db.session.commit()
    return redirect(safe_next(next_url) or HOME, code=303)


def finish_second_step(user, next_url=None):
    """Replace the login that owed its second factor by a complete one (a new id) and return where to go."""
    old = db.session.get(LoginSession, user.login_session_id)
    remember, kept_next = session.pop(REMEMBER, False), session.pop(NEXT, None)
    now = utcnow()
    old.revoked_at = now
    session.clear()
    login_sessions.start(user, old.method, factor_at=now)
    user.last_login_at = now
    db.session.commit()
    login_user(user, remember=bool(remember))
    return redirect(safe_next(next_url) or kept_next or HOME, code=303)


def confirm_factor(user):
    """Record that the user of a complete login has just given their second factor again (API tokens ask for it)."""
    row = db.session.get(LoginSession, user.login_session_id)
    row.factor_at = utcnow()
    db.session.commit()


def keep_this_login(user, remember):
    """Re-issue this login's cookie after the user's other logins ended (their session version moved on)."""
    login_user(user, remember=remember)
