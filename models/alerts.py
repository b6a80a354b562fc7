"""Saved dashboard views, alert rules, their firings and the digest emails sent for them."""
from extensions import db
from models.accounts import utcnow
from models.teams import Team  # noqa: F401  (shared rows point at teams)

# Kinds on USDA's releases, then on the World Bank's monthly prices (tested when a Pink Sheet edition is loaded).
PSD_KINDS = ("revision", "stocks_to_use", "drawdown")
PRICE_KINDS = ("price_move", "price_level")
RULE_KINDS = PSD_KINDS + PRICE_KINDS
# What a price rule's metric says (the series is in its own column): prices are the world market's.
PRICE_METRIC = "price"
YEAR_CHOICES = ("current", "next")
DELIVERY_STATUSES = ("queued", "sending", "sent", "failed")
# What a Delivery carries: the per-user alerts digest of a USDA release, the opt-in release digest, or the per-user
# alerts digest of a Pink Sheet edition (its price rules over every commodity).
DELIVERY_KINDS = ("alerts", "release", "prices")


def commodity_column():
    """Return the column of the commodity (PSD code) a row is about; alerts/commodity.py fills it in when a row
    names none."""
    return db.Column(db.String(7), nullable=False)


class SavedView(db.Model):
    """A dashboard URL (path and query) a user saved under a name."""

    __tablename__ = "saved_views"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name = db.Column(db.String(80), nullable=False)
    path = db.Column(db.String(1000), nullable=False)
    # The commodity the view shows (its dashboard URL says commodity=<slug>, or means the site's first).
    commodity_code = commodity_column()
    # The release the view shows; None follows the latest release.
    release_id = db.Column(db.String(7), nullable=True)
    # Shared with this team (its members see it); None: private to its author.
    team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="SET NULL"), nullable=True, index=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class AlertRule(db.Model):
    """A subscriber's condition on the served data, tested after every new release."""

    __tablename__ = "alert_rules"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)
    # The commodity whose releases the rule is tested against.
    commodity_code = commodity_column()
    country_code = db.Column(db.String(8), nullable=False)
    metric = db.Column(db.String(40), nullable=False)
    year_choice = db.Column(db.String(8), nullable=False, default="current")
    # Percent for every kind but price_level (None there).
    threshold_pct = db.Column(db.Float, nullable=True)
    # Price kinds: the commodity's declared series (slug) and, for price_level, the level in its display unit.
    series = db.Column(db.String(16), nullable=True)
    level = db.Column(db.Float, nullable=True)
    active = db.Column(db.Boolean, nullable=False, default=True)
    # Shared with this team (its firings go to every member who takes alert emails); None: private.
    team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="SET NULL"), nullable=True, index=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    user = db.relationship("User", backref=db.backref("alert_rules", lazy="dynamic", passive_deletes=True))


class Firing(db.Model):
    """One rule met by one release, with the numbers that met it."""

    __tablename__ = "alert_firings"
    __table_args__ = (db.UniqueConstraint("rule_id", "release_id", name="uq_firing_rule_release"),)

    id = db.Column(db.Integer, primary_key=True)
    rule_id = db.Column(db.Integer, db.ForeignKey("alert_rules.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    release_id = db.Column(db.String(7), nullable=False, index=True)
    country_code = db.Column(db.String(8), nullable=False)
    metric = db.Column(db.String(40), nullable=False)
    market_year = db.Column(db.Integer, nullable=True)
    # Price firings: the edition's latest month (YYYY-MM); old_value is the month before's price.
    month = db.Column(db.String(7), nullable=True)
    old_value = db.Column(db.Float, nullable=True)
    new_value = db.Column(db.Float, nullable=True)
    change_pct = db.Column(db.Float, nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    read_at = db.Column(db.DateTime(timezone=True), nullable=True)

    rule = db.relationship("AlertRule")


class Delivery(db.Model):
    """One email to one user for one commodity's release: its status and tries."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (db.UniqueConstraint("user_id", "release_id", "kind", "commodity_code",
                                          name="uq_delivery_user_release_kind_commodity"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    release_id = db.Column(db.String(7), nullable=False)
    # Releases are per commodity: two commodities may share a release id.
    commodity_code = commodity_column()
    kind = db.Column(db.String(8), nullable=False, default="alerts")
    status = db.Column(db.String(8), nullable=False, default="queued")
    tries = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.String(500), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime(timezone=True), nullable=True)
    # When the last try started: a "sending" delivery whose try is long over is taken again (its job died).
    tried_at = db.Column(db.DateTime(timezone=True), nullable=True)


class MailPreference(db.Model):
    """A user's email choices: alert digests (on unless unsubscribed) and the opt-in release digest."""

    __tablename__ = "mail_preferences"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    alerts_email = db.Column(db.Boolean, nullable=False, default=True)
    release_digest = db.Column(db.Boolean, nullable=False, default=False)


def unshare_for(user_id):
    """Make the user's shared views and rules private again (they left or were removed); the caller commits."""
    for model in (SavedView, AlertRule):
        db.session.execute(db.update(model).where(model.user_id == user_id, model.team_id.is_not(None))
                           .values(team_id=None))
