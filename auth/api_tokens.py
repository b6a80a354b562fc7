"""Personal API tokens: create (shown once), revoke, and resolve a Bearer header."""
import hashlib
import secrets

from models.accounts import ApiToken, is_row_id, utcnow
from extensions import db

PREFIX = "bf_"


def _digest(raw):
    """Return the stored hash of a raw token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create(user):
    """Create a token for user; return (row, raw token), the raw one is never stored."""
    raw = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_digest(raw), prefix=raw[:10])
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
    """Return user's tokens that are not revoked, newest first."""
    return user.api_tokens.filter(ApiToken.revoked_at.is_(None)).order_by(ApiToken.created_at.desc()).all()


def user_for_header(header):
    """Return the active user of a live `Bearer <token>` header, or None."""
    scheme, _, raw = (header or "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw.startswith(PREFIX):
        return None
    row = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == _digest(raw), ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None or not row.user.is_active:
        return None
    row.last_used_at = utcnow()
    db.session.commit()
    return row.user
