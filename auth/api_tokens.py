"""Personal API tokens: create (shown once) with an expiry, revoke, and resolve a Bearer header."""
import hashlib
import secrets
from datetime import timedelta, timezone

from flask import g

from models.accounts import ApiToken, User, is_row_id, utcnow
from models.team_access import TEAM_COLUMNS, carry, join_team
from extensions import db

PREFIX = "bf_"
# The expiries offered at creation: form value -> (label, days; None: no expiry).
EXPIRIES = {"30": ("In 30 days", 30), "90": ("In 90 days", 90), "365": ("In a year", 365), "never": ("Never", None)}
DEFAULT_EXPIRY = "90"
NAME_LENGTH = 80


def _digest(raw):
    """Return the stored hash of a raw token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create(user, expires=DEFAULT_EXPIRY, name=None):
    """Create a token named name for user that ends after the EXPIRIES choice; return (row, raw token), the raw one
    is never stored."""
    raw = PREFIX + secrets.token_urlsafe(32)
    now, days = utcnow(), EXPIRIES[expires][1]
    row = ApiToken(user_id=user.id, name=(name or "").strip()[:NAME_LENGTH] or None, token_hash=_digest(raw),
                   prefix=raw[:10], created_at=now,
                   expires_at=None if days is None else now + timedelta(days=days))
    db.session.add(row)
    db.session.commit()
    return row, raw


def revoke(user, token_id):
    """Revoke one of user's tokens; return True when one was revoked."""
    row = db.session.get(ApiToken, token_id) if is_row_id(token_id) else None
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    db.session.commit()
    return True


def live_tokens(user):
    """Return user's tokens that are not revoked (expired ones included, to show as such), newest first."""
    return user.api_tokens.filter(ApiToken.revoked_at.is_(None)).order_by(ApiToken.created_at.desc()).all()


def is_expired(row):
    """Return True once row's expiry has passed."""
    if row.expires_at is None:
        return False
    # SQLite hands back naive datetimes; every stored time is UTC.
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
    return expires <= utcnow()


def user_for_header(header):
    """Return the active user of a live, unexpired `Bearer <token>` header, or None."""
    scheme, _, raw = (header or "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw.startswith(PREFIX):
        return None
    now = utcnow()
    # One query: the token, its user, and the user's team state (team access is decided from it).
    found = db.session.execute(
        db.select(ApiToken, User, *TEAM_COLUMNS)
        .select_from(join_team(db.join(ApiToken, User, ApiToken.user_id == User.id), User.id))
        .where(ApiToken.token_hash == _digest(raw), ApiToken.revoked_at.is_(None),
               db.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))
    ).first()
    if found is None or not found[1].is_active:
        return None
    row, user = found[0], carry(found[1], found._mapping)
    row.last_used_at = now
    db.session.commit()
    g.api_token_id = row.id  # usage events count API calls per token (auth/usage.py)
    return user
