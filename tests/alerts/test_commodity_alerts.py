"""Alert rules carry their commodity: a wheat rule fires on a wheat release (from USDA's grains file, edited),
its digest names Wheat and links with commodity=wheat; a coffee rule is not tested against wheat; the migration."""
import email
from email import policy

import pytest
from flask_migrate import downgrade, upgrade

from extensions import db
from models.accounts import User
from models.alerts import AlertRule, Delivery, Firing
from tests.conftest import SECRET, base_config
from tests.data import grains
from tests.data.live_layout import write_zip

PRODUCTION, TOTAL_SUPPLY, ENDING, TOTAL_DISTRIBUTION = 28, 86, 176, 178


def wheat_releases():
    """Return {release id: wheat rows of USDA's grains file}: as shipped, then the United States' last market year's
    production 10% higher (supply, ending stocks and distribution by as much, so the identities hold), revised a
    month later."""
    rows = grains.frame()
    wheat = rows[rows["Commodity_Code"] == grains.WHEAT].reset_index(drop=True)
    latest = (wheat["Calendar_Year"].astype(int) * 100 + wheat["Month"].astype(int)).max()
    first = f"{latest // 100:04d}-{latest % 100:02d}"
    last_year = wheat["Market_Year"].max()
    us = (wheat["Country_Code"] == "US") & (wheat["Market_Year"] == last_year)
    added = 0.1 * wheat.loc[us & (wheat["Attribute_ID"] == PRODUCTION), "Value"].iloc[0]
    second = wheat.copy()
    edited = us & second["Attribute_ID"].isin([PRODUCTION, TOTAL_SUPPLY, ENDING, TOTAL_DISTRIBUTION])
    second.loc[edited, "Value"] += added
    year, month = divmod(latest, 100)
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    second.loc[edited, ["Calendar_Year", "Month"]] = [year, month]
    return {first: wheat, f"{year:04d}-{month:02d}": second}


@pytest.fixture
def wheat_env(tmp_path, smtp):
    """Return (app, mailbox, {release id: zip}) on an empty data dir, mail to a real SMTP server, no Redis."""
    from app import create_app
    from tests.harness.databases import copy_migrated

    mailbox, port = smtp
    config = {**base_config(tmp_path, tmp_path / "data"), "SECRET_KEY": SECRET, "MAIL_SERVER": "127.0.0.1",
              "MAIL_PORT": port, "BASE_URL": "http://beanflows.test", "ALERTS_RETRY_INTERVALS": [0, 0, 0]}
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(config)
    zips = {release: write_zip(frame, tmp_path / f"grains_{release}.zip", member="psd_grains_pulses.csv")
            for release, frame in wheat_releases().items()}
    return app, mailbox, zips


def test_a_wheat_rule_fires_on_a_wheat_release_and_the_digest_names_wheat(wheat_env):
    app, mailbox, zips = wheat_env
    (first, shipped), (second, edited) = wheat_releases().items()
    last_year = int(shipped["Market_Year"].max())
    old = shipped[(shipped["Country_Code"] == "US") & (shipped["Market_Year"] == last_year)
                  & (shipped["Attribute_ID"] == PRODUCTION)]["Value"].iloc[0]
    with app.app_context():
        user = User(email="grain@example.com", password_hash="x", access_granted=True)
        db.session.add(user)
        db.session.flush()
        rules = [AlertRule(user_id=user.id, commodity_code=grains.WHEAT, kind="revision", country_code="USA",
                           metric="production", year_choice="next", threshold_pct=5.0),
                 AlertRule(user_id=user.id, commodity_code=grains.WHEAT, kind="revision", country_code="USA",
                           metric="production", year_choice="next", threshold_pct=20.0),
                 AlertRule(user_id=user.id, commodity_code="0711100", kind="revision", country_code="WORLD",
                           metric="production", year_choice="next", threshold_pct=0.1)]
        db.session.add_all(rules)
        db.session.commit()
        fires, too_high, coffee = (rule.id for rule in rules)
    runner = app.test_cli_runner()
    for release, path in zips.items():
        result = runner.invoke(args=["ingest", str(path), "--commodity", "wheat"])
        assert result.exit_code == 0, result.output
        assert f"Alerts for release {release} evaluated here" in result.output and "wheat:" in result.output
    with app.app_context():
        fired = db.session.execute(db.select(Firing)).scalars().all()
        assert [(f.rule_id, f.release_id, f.country_code, f.market_year) for f in fired] == \
            [(fires, second, "USA", last_year)]
        assert fired[0].old_value == pytest.approx(old) and fired[0].new_value == pytest.approx(old * 1.1)
        assert fired[0].change_pct == pytest.approx(10.0)
        assert {(d.commodity_code, d.release_id, d.status) for d in db.session.execute(db.select(Delivery)).scalars()} \
            == {(grains.WHEAT, second, "sent")}
    assert too_high != coffee
    messages = [email.message_from_string(text, policy=policy.default) for _, text in mailbox.messages]
    assert [m["Subject"] for m in messages] == [f"beanflows: 1 Wheat alert in USDA release {second}"]
    text = messages[0].get_body(preferencelist=("plain",)).get_content()
    assert f"Your beanflows Wheat alerts for USDA release {second}" in text and "United States (USA)" in text
    assert f"{old:,.2f} to {old * 1.1:,.2f} (+10.00%" in text
    assert f"http://beanflows.test/dashboards/country/USA?commodity=wheat&metric=production&release={second}" in text


def test_the_migration_gives_existing_rows_coffee_and_goes_back(app):
    with app.app_context():
        db.session.add(User(email="old@example.com", password_hash="x", access_granted=True))
        db.session.commit()
        db.session.remove()
        downgrade(revision="1e2f339727ab")
        with db.engine.connect() as conn:
            assert "commodity_code" not in {c["name"] for c in db.inspect(conn).get_columns("alert_rules")}
            user_id = conn.execute(db.text("SELECT id FROM users")).scalar_one()
            conn.execute(db.text("INSERT INTO alert_rules (user_id, kind, country_code, metric, year_choice, "
                                 "threshold_pct, active, created_at) VALUES (:u, 'revision', 'BRA', 'production', "
                                 "'next', 5, 1, '2026-01-01')"), {"u": user_id})
            conn.execute(db.text("INSERT INTO saved_views (user_id, name, path, created_at) VALUES "
                                 "(:u, 'Brazil', '/dashboards/supply?countries=BRA', '2026-01-01')"), {"u": user_id})
            conn.execute(db.text("INSERT INTO alert_deliveries (user_id, release_id, kind, status, tries, created_at) "
                                 "VALUES (:u, '2025-04', 'alerts', 'sent', 1, '2026-01-01')"), {"u": user_id})
            conn.commit()
        upgrade()
        with db.engine.connect() as conn:
            for table in ("alert_rules", "saved_views", "alert_deliveries"):
                assert conn.execute(db.text(f"SELECT commodity_code FROM {table}")).scalars().all() == ["0711100"]
        # The same release id of another commodity is another delivery.
        db.session.add(Delivery(user_id=user_id, release_id="2025-04", kind="alerts", commodity_code=grains.WHEAT))
        db.session.commit()
        assert db.session.execute(db.select(db.func.count(Delivery.id))).scalar_one() == 2
        db.session.remove()
        downgrade(revision="1e2f339727ab")
        with db.engine.connect() as conn:
            assert conn.execute(db.text("SELECT release_id FROM alert_deliveries")).scalars().all() == ["2025-04"]
            assert "commodity_code" not in {c["name"] for c in db.inspect(conn).get_columns("saved_views")}
        upgrade()
