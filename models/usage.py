"""Usage events: what a user did (a dashboard opened, a filter changed, a download, an API call, ...) and when."""
from extensions import db
from models.accounts import utcnow

DASHBOARD_OPENED, FILTER_CHANGED, DOWNLOAD = "dashboard_opened", "filter_changed", "download"
API_CALL, VIEW_SAVED, ALERT_RULE_CREATED = "api_call", "view_saved", "alert_rule_created"
KINDS = (DASHBOARD_OPENED, FILTER_CHANGED, DOWNLOAD, API_CALL, VIEW_SAVED, ALERT_RULE_CREATED)
DETAIL_LENGTH = 120
ROUTE_LENGTH = 200


class UsageEvent(db.Model):
    """One thing a user did: the user's id, the kind, what it was about (a page, field, chart or token id)."""

    __tablename__ = "usage_events"

    id = db.Column(db.Integer, primary_key=True)
    # Deleting a user deletes their events: nothing but the id ties an event to a person.
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.String(24), nullable=False)
    detail = db.Column(db.String(DETAIL_LENGTH), nullable=False, default="")
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class RequestTiming(db.Model):
    """One answered request: its route (URL rule), status and time in the app; for daily p95 and 5xx rates."""

    __tablename__ = "request_timings"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    route = db.Column(db.String(ROUTE_LENGTH), nullable=False)
    status = db.Column(db.Integer, nullable=False)
    duration_ms = db.Column(db.Float, nullable=False)
