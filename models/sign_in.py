"""Ways to sign in beyond the password: provider identities, second factors, recovery codes, a team's own provider."""
from extensions import db
from models.accounts import utcnow


class Identity(db.Model):
    """An OpenID Connect identity (issuer and subject) linked to a user: one more way in."""

    __tablename__ = "identities"
    __table_args__ = (db.UniqueConstraint("issuer", "subject", name="uq_identities_issuer_subject"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    # The provider's name in URLs: a configured one (OIDC_PROVIDERS) or team-<id> for a team's own.
    provider = db.Column(db.String(48), nullable=False)
    issuer = db.Column(db.String(512), nullable=False)
    subject = db.Column(db.String(255), nullable=False)
    email = db.Column(db.String(320), nullable=True)  # as the provider gave it when linked, for the account page
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_used_at = db.Column(db.DateTime(timezone=True), nullable=True)

    user = db.relationship("User", backref=db.backref("identities", lazy="dynamic", passive_deletes=True))


class TotpFactor(db.Model):
    """A user's authenticator-app secret (encrypted); unconfirmed until a first code proves the app has it."""

    __tablename__ = "totp_factors"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret = db.Column(db.String(512), nullable=False)  # Fernet token of the base32 secret (auth/sealed.py)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    confirmed_at = db.Column(db.DateTime(timezone=True), nullable=True)
    # The time step of the last code accepted: a code of that step or an earlier one is never taken again.
    last_counter = db.Column(db.BigInteger, nullable=True)


class RecoveryCode(db.Model):
    """A single-use recovery code; only its SHA-256 is stored (the code holds 80 random bits)."""

    __tablename__ = "recovery_codes"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    used_at = db.Column(db.DateTime(timezone=True), nullable=True)


class Passkey(db.Model):
    """A WebAuthn credential: a second factor, and a way to sign in without a password."""

    __tablename__ = "passkeys"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    credential_id = db.Column(db.String(1400), nullable=False, unique=True)  # base64url, as browsers send it
    public_key = db.Column(db.LargeBinary, nullable=False)  # COSE
    sign_count = db.Column(db.BigInteger, nullable=False, default=0)
    transports = db.Column(db.String(200), nullable=True)  # comma-separated hints for the browser
    name = db.Column(db.String(80), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_used_at = db.Column(db.DateTime(timezone=True), nullable=True)


class TeamSignIn(db.Model):
    """A team's own OpenID provider and its sign-in rules (set by the team's owner on /team)."""

    __tablename__ = "team_sign_in"

    team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    issuer = db.Column(db.String(512), nullable=True)
    client_id = db.Column(db.String(255), nullable=True)
    client_secret = db.Column(db.String(1024), nullable=True)  # Fernet token (auth/sealed.py); never shown back
    # Members sign in only through the team's provider.
    sso_required = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Members must hold a second factor.
    mfa_required = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


class TeamDomain(db.Model):
    """An email domain whose verified addresses may join a team through its provider (one team per domain)."""

    __tablename__ = "team_domains"

    domain = db.Column(db.String(253), primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True)
