"""Create, authenticate and change users; every admin change is audited."""

from models.accounts import ApiToken, AuditLog, User, utcnow
from auth.passwords import burn_time, check_password, hash_password, needs_rehash
from extensions import db


class UserError(ValueError):
    """A user change that is not allowed, with a message fit to show."""


def create_user(email, password, admin=False, comp=False):
    """Create and return a user; raise UserError when the email is taken."""
    email = User.normalize_email(email)
    if User.by_email(email) is not None:
        raise UserError("An account with this email already exists.")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role="admin" if admin else "user",
        access_granted=bool(comp),
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email, password):
    """Return the active user with this email and password, or None."""
    user = User.by_email(email)
    if user is None:
        burn_time(password or "")
        return None
    if not check_password(user.password_hash, password or "") or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def set_password(user, password):
    """Set a new password and end every other session and every API token of the user; return how many tokens ended."""
    user.password_hash = hash_password(password)
    revoked = end_sessions(user)
    db.session.commit()
    return revoked


def end_sessions(user):
    """End every session, remember cookie and API token of user at once; return how many tokens ended."""
    user.session_version += 1
    now = utcnow()
    tokens = user.api_tokens.filter(ApiToken.revoked_at.is_(None)).all()
    for token in tokens:
        token.revoked_at = now
    return len(tokens)


def active_admin_count():
    """Return how many active admins exist, locking their rows until commit."""
    # FOR UPDATE serialises concurrent demotions on PostgreSQL (SQLite locks the file).
    rows = db.session.execute(
        db.select(User.id).where(User.role == "admin", User.active.is_(True)).with_for_update()
    ).all()
    return len(rows)


def _audit(actor, target, action, detail=None):
    """Add an audit log row for an admin action."""
    db.session.add(AuditLog(actor_id=getattr(actor, "id", None), target_id=target.id, action=action, detail=detail))


def _is_last_admin(user):
    """Return True when user is the only active admin."""
    return user.is_admin and user.active and active_admin_count() <= 1


def set_active(actor, user, active):
    """Enable or disable user; disabling ends their sessions and tokens."""
    active = bool(active)
    if user.active == active:
        return user
    if not active and _is_last_admin(user):
        raise UserError("The last active admin cannot be disabled.")
    user.active = active
    if not active:
        end_sessions(user)
    _audit(actor, user, "enable" if active else "disable", user.email)
    db.session.commit()
    return user


def set_access(actor, user, granted):
    """Grant or revoke admin-granted subscriber access."""
    granted = bool(granted)
    if user.access_granted != granted:
        user.access_granted = granted
        _audit(actor, user, "grant_access" if granted else "revoke_access", user.email)
        db.session.commit()
    return user


def set_admin(actor, user, admin):
    """Promote user to admin or demote them to user."""
    role = "admin" if admin else "user"
    if user.role == role:
        return user
    if not admin and _is_last_admin(user):
        raise UserError("The last active admin cannot be demoted.")
    user.role = role
    _audit(actor, user, "promote_admin" if admin else "demote_admin", user.email)
    db.session.commit()
    return user

