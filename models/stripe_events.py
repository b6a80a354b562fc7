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
