"""Teams: an organisation's subscription with seats, its members and their roles, and invitations."""
from extensions import db
from models.accounts import utcnow

# owner: one per team, pays and transfers ownership; admin: manages members and seats; member: uses the seat.
TEAM_ROLES = ("owner", "admin", "member")
MANAGING_ROLES = ("owner", "admin")


class Team(db.Model):
    """An organisation with a per-seat subscription; the signed Stripe webhooks keep its state."""

    __tablename__ = "teams"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    # A site admin's grant or end of access, as for a user; None: the subscription decides.
    access_granted = db.Column(db.Boolean, nullable=False, default=False)
    access_ended = db.Column(db.Boolean, nullable=False, default=False)
    seats = db.Column(db.Integer, nullable=False, default=0)  # the subscription item's quantity
    stripe_customer_id = db.Column(db.String(64), unique=True, nullable=True)
    stripe_subscription_id = db.Column(db.String(64), unique=True, nullable=True)
    subscription_status = db.Column(db.String(32), nullable=True)
    subscription_price_id = db.Column(db.String(64), nullable=True)
    subscription_unit_amount = db.Column(db.Integer, nullable=True)  # per seat, in the currency's minor unit
    subscription_currency = db.Column(db.String(3), nullable=True)
    subscription_interval = db.Column(db.String(8), nullable=True)
    subscription_interval_count = db.Column(db.Integer, nullable=True)
    current_period_end = db.Column(db.DateTime(timezone=True), nullable=True)
    cancel_at_period_end = db.Column(db.Boolean, nullable=False, default=False)
    past_due_since = db.Column(db.DateTime(timezone=True), nullable=True)
    # Stripe event time of the last state applied, so older events never regress it.
    subscription_updated_at = db.Column(db.Integer, nullable=True)
    subscription_started_at = db.Column(db.DateTime(timezone=True), nullable=True)
    subscription_ended_at = db.Column(db.DateTime(timezone=True), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    owner = db.relationship("User", foreign_keys=[owner_id])


class TeamMember(db.Model):
    """A user's seat in a team and their role there; a user belongs to at most one team."""

    __tablename__ = "team_members"

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True)
    role = db.Column(db.String(8), nullable=False, default="member")
    joined_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    team = db.relationship("Team", backref=db.backref("members", lazy="dynamic", passive_deletes=True))
    user = db.relationship("User", backref=db.backref("team_membership", uselist=False, passive_deletes=True))


class TeamInvitation(db.Model):
    """An invitation to join a team, sent by email as a signed single-use link."""

    __tablename__ = "team_invitations"

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True)
    email = db.Column(db.String(320), nullable=False, index=True)
    invited_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime(timezone=True), nullable=False)
    last_sent_at = db.Column(db.DateTime(timezone=True), nullable=True)
    accepted_at = db.Column(db.DateTime(timezone=True), nullable=True)
    accepted_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    revoked_at = db.Column(db.DateTime(timezone=True), nullable=True)

    team = db.relationship("Team", backref=db.backref("invitations", lazy="dynamic", passive_deletes=True))
    invited_by = db.relationship("User", foreign_keys=[invited_by_id])


def membership(user_id):
    """Return the user's TeamMember row (with its team), or None when they are in no team."""
    return db.session.execute(
        db.select(TeamMember).where(TeamMember.user_id == user_id)
    ).scalar_one_or_none()


def member_ids(team_id):
    """Return the ids of the team's members."""
    return list(db.session.execute(db.select(TeamMember.user_id).where(TeamMember.team_id == team_id)).scalars())
