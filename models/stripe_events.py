"""Stripe webhook events already processed, for idempotency."""
from models.accounts import utcnow
from extensions import db


class StripeEvent(db.Model):
    """A Stripe event id recorded once when its webhook is handled."""

    __tablename__ = "stripe_events"

    id = db.Column(db.String(255), primary_key=True)
    type = db.Column(db.String(128), nullable=False)
    created = db.Column(db.Integer, nullable=False)
    received_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class UnappliedSubscription(db.Model):
    """A live Team plan subscription for a team that already follows another one: recorded, never applied.

    Site admins see it on /admin and in `flask teams show`; support refunds or cancels it in Stripe.
    """

    __tablename__ = "unapplied_subscriptions"

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True)
    subscription_id = db.Column(db.String(64), nullable=False, unique=True)
    customer_id = db.Column(db.String(64), nullable=True)
    status = db.Column(db.String(32), nullable=True)
    seats = db.Column(db.Integer, nullable=True)
    event_id = db.Column(db.String(255), nullable=True)  # the last event that brought it
    first_seen_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    # When it stopped mattering: it ended, or the team's own subscription ended and this one took its place.
    resolved_at = db.Column(db.DateTime(timezone=True), nullable=True)
