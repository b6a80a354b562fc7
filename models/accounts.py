"""Users, API tokens and the admin audit log."""
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import func

from extensions import db


MAX_ROW_ID = 2**31 - 1  # INTEGER primary keys on PostgreSQL; bigger ids cannot exist


def is_row_id(value):
    """Return True for an int that can be a primary key (so the database is never asked for more)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ROW_ID


def utcnow():
    """Return the current UTC time, timezone-aware."""
    return datetime.now(timezone.utc)


class Account(UserMixin):
    """What Flask-Login and the access checks read of a user: shared by the model and a checked row's copy."""

    # The login session (LoginSession.id) this object was loaded or logged in for.
    login_session_id = None

    @property
    def is_active(self):
        """Tell Flask-Login whether the user may be logged in."""
        return bool(self.active)

    @property
    def is_admin(self):
        """Return True for admins."""
        return self.role == "admin"

    def get_id(self):
        """Return the session id 'user:version:login', which dies when either is revoked."""
        return f"{self.id}:{self.session_version}:{self.login_session_id}"


class User(Account, db.Model):
    """A person who can log in."""

    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(320), nullable=False, unique=True, index=True)
    password_hash = db.Column(db.String(255), nullable=False)
    role = db.Column(db.String(16), nullable=False, default="user")
    active = db.Column(db.Boolean, nullable=False, default=True)
    access_granted = db.Column(db.Boolean, nullable=False, default=False)
    # Bumped to end every session and remember-cookie of the user at once.
    session_version = db.Column(db.Integer, nullable=False, default=1)
    # True while the user holds a second factor (a confirmed TOTP or a passkey; auth/factors.py keeps it), so the
    # live-user record decides the second step with no other query.
    two_factor = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    stripe_customer_id = db.Column(db.String(64), unique=True, nullable=True)
    stripe_subscription_id = db.Column(db.String(64), nullable=True)
    subscription_status = db.Column(db.String(32), nullable=True)
    subscription_plan = db.Column(db.String(128), nullable=True)
    current_period_end = db.Column(db.DateTime(timezone=True), nullable=True)
    cancel_at_period_end = db.Column(db.Boolean, nullable=False, default=False)
    past_due_since = db.Column(db.DateTime(timezone=True), nullable=True)
    # Stripe event time of the last state applied, so older events never regress it.
    subscription_updated_at = db.Column(db.Integer, nullable=True)
    # What the subscription costs, as the webhooks recorded it: MRR is unit amount x quantity per interval.
    subscription_price_id = db.Column(db.String(64), nullable=True)
    subscription_unit_amount = db.Column(db.Integer, nullable=True)  # in the currency's minor unit (cents)
    subscription_currency = db.Column(db.String(3), nullable=True)
    subscription_interval = db.Column(db.String(8), nullable=True)  # day, week, month or year
    subscription_interval_count = db.Column(db.Integer, nullable=True)
    subscription_quantity = db.Column(db.Integer, nullable=True)
    subscription_started_at = db.Column(db.DateTime(timezone=True), nullable=True)
    subscription_ended_at = db.Column(db.DateTime(timezone=True), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime(timezone=True), nullable=True)

    @staticmethod
    def normalize_email(email):
        """Return the case-folded, trimmed form emails are stored and compared in."""
        return (email or "").strip().lower()

    @classmethod
    def by_email(cls, email):
        """Return the user with this email, ignoring case, or None."""
        return db.session.execute(
            db.select(cls).where(func.lower(cls.email) == cls.normalize_email(email))
        ).scalar_one_or_none()


class ApiToken(db.Model):
    """A personal token for the data API; only its hash is stored."""

    __tablename__ = "api_tokens"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    prefix = db.Column(db.String(16), nullable=False)
    name = db.Column(db.String(80), nullable=True)  # what its owner called it (None: made before tokens had names)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_used_at = db.Column(db.DateTime(timezone=True), nullable=True)
    # Chosen at creation; None: until revoked (or the password changes, or the user is disabled).
    expires_at = db.Column(db.DateTime(timezone=True), nullable=True)
    revoked_at = db.Column(db.DateTime(timezone=True), nullable=True)

    user = db.relationship("User", backref=db.backref("api_tokens", lazy="dynamic"))


class AuditLog(db.Model):
    """One admin action: who did what to whom, and when."""

    __tablename__ = "audit_log"

    id = db.Column(db.Integer, primary_key=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    target_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    action = db.Column(db.String(64), nullable=False)
    detail = db.Column(db.String(512), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, index=True)

    actor = db.relationship("User", foreign_keys=[actor_id])
    target = db.relationship("User", foreign_keys=[target_id])


class PasswordResetUse(db.Model):
    """A password reset token that has been used, so it cannot be used again."""

    __tablename__ = "password_reset_uses"

    token_hash = db.Column(db.String(64), primary_key=True)
    used_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class LoginSession(db.Model):
    """One login (session and remember cookie); logging out revokes it server-side.

    It also says how the login was made, whether its second factor is still owed, and when a second factor was last
    checked in it: the access policy reads these from the live-user record (auth/access.py, sign_in_step).
    """

    __tablename__ = "login_sessions"

    id = db.Column(db.String(43), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    revoked_at = db.Column(db.DateTime(timezone=True), nullable=True)
    # password | passkey | oidc:<provider> | team:<team id> (a team's own single sign-on).
    method = db.Column(db.String(48), nullable=False, default="password", server_default="password")
    # True from the first step until the second factor is given; such a login opens only the second step.
    second_factor_pending = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    factor_at = db.Column(db.DateTime(timezone=True), nullable=True)  # the last second-factor check in this login


class RateLimit(db.Model):
    """A rate-limit window kept in the users database (web/limit_store.py) when there is no Redis."""

    __tablename__ = "rate_limits"

    limit_key = db.Column(db.String(255), primary_key=True)
    hits = db.Column(db.Integer, nullable=False)
    expires_at = db.Column(db.Float, nullable=False)
