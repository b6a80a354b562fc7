"""Teams: an organisation's subscription with seats, its members and their roles, and invitations."""
from extensions import db
from models.accounts import utcnow

# owner: one per team, pays and transfers ownership; admin: manages members and seats; member: uses the seat.
TEAM_ROLES = ("owner", "admin", "member")
MANAGING_ROLES = ("owner", "admin")
# Who keeps a seat when a team has more members than paid seats: the owner, then admins, then members (each by
# join date). models/team_access.py orders the same way in SQL.
SEAT_RANK = {"owner": 0, "admin": 1}
# app.extensions key: a function the teams package registers that sends queued team emails soon (teams.outbox).
MAIL_KICK = "team_mail_kick"


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
    # Not unique: a buyer who gave their team away and left may pay for a new team from the same customer.
    stripe_customer_id = db.Column(db.String(64), nullable=True, index=True)
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
    # When paid seats first fell below the members (None: every member fits), and when the end of its grace
    # period was recorded (audited once; access follows the time, not this record).
    over_seats_since = db.Column(db.DateTime(timezone=True), nullable=True)
    over_seats_enforced_at = db.Column(db.DateTime(timezone=True), nullable=True)

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


class TeamMail(db.Model):
    """An email of a team (an invitation, a notice to its owner) waiting to go out, sent, or given up on."""

    __tablename__ = "team_mail"
    __table_args__ = (db.Index("ix_team_mail_state_next_at", "state", "next_at"),)

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True)
    invitation_id = db.Column(db.Integer, db.ForeignKey("team_invitations.id", ondelete="CASCADE"), nullable=True,
                              index=True)
    kind = db.Column(db.String(24), nullable=False)  # invitation, over_seats, over_seats_ended
    recipient = db.Column(db.String(320), nullable=False)
    state = db.Column(db.String(12), nullable=False, default="queued")  # queued, sent, failed, cancelled
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_at = db.Column(db.DateTime(timezone=True), nullable=True)  # next try (or the end of a try's lease)
    last_error = db.Column(db.String(255), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime(timezone=True), nullable=True)


def seat_order(member):
    """Return the sort key of who keeps a seat first: the owner, admins, then members by join date."""
    return (SEAT_RANK.get(member.role, len(SEAT_RANK)), member.joined_at, member.id)


def pending_invitations(team_id, now=None):
    """Return the team's invitations neither accepted, revoked nor expired, oldest first."""
    return list(db.session.execute(
        db.select(TeamInvitation).where(TeamInvitation.team_id == team_id, TeamInvitation.accepted_at.is_(None),
                                        TeamInvitation.revoked_at.is_(None),
                                        TeamInvitation.expires_at > (now or utcnow()))
        .order_by(TeamInvitation.created_at, TeamInvitation.id)).scalars())


def member_count(team_id):
    """Return how many members the team has."""
    return db.session.execute(
        db.select(db.func.count()).select_from(TeamMember).where(TeamMember.team_id == team_id)).scalar_one()


def membership(user_id):
    """Return the user's TeamMember row (with its team), or None when they are in no team."""
    return db.session.execute(
        db.select(TeamMember).where(TeamMember.user_id == user_id)
    ).scalar_one_or_none()


def member_ids(team_id):
    """Return the ids of the team's members."""
    return list(db.session.execute(db.select(TeamMember.user_id).where(TeamMember.team_id == team_id)).scalars())
