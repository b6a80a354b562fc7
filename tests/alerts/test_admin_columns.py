"""/admin lists each user's active alert rules and the status of their latest alert email."""
from auth import admin
from extensions import db
from models.accounts import User
from models.alerts import AlertRule, Delivery
from tests.auth.conftest import cli_user


def test_admin_rows_count_rules_and_show_the_last_delivery(app):
    for email in ("x@example.com", "y@example.com"):
        cli_user(app, email, "--comp")
    with app.app_context():
        x, y = User.by_email("x@example.com"), User.by_email("y@example.com")
        rule = dict(kind="drawdown", country_code="BRA", metric="ending_stocks", year_choice="current", threshold_pct=5.0)
        db.session.add_all([AlertRule(user_id=x.id, active=True, **rule), AlertRule(user_id=x.id, active=True, **rule),
                            AlertRule(user_id=x.id, active=False, **rule), AlertRule(user_id=y.id, active=True, **rule)])
        db.session.add_all([Delivery(user_id=x.id, release_id="2025-01", kind="alerts", status="sent", tries=1),
                            Delivery(user_id=x.id, release_id="2025-04", kind="alerts", status="failed", tries=4,
                                     last_error="refused")])
        db.session.commit()
        rows = {row["email"]: row for row in admin.user_rows()}
    assert (rows["x@example.com"]["rules"], rows["x@example.com"]["last_delivery"]) == (2, "failed (2025-04, alerts, 4 tries)")
    assert (rows["y@example.com"]["rules"], rows["y@example.com"]["last_delivery"]) == (1, "")
