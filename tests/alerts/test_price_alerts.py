"""Price alert rules: a new Pink Sheet edition loaded through `flask --app app prices ingest` fires the rules its
latest month meets (expected numbers from the workbook read by pandas), one digest per user goes to a real SMTP
server, loading the edition again does nothing; the form refuses bad fields with the reason; the migration."""
import email
import uuid
from email import policy

import pytest
from flask_migrate import downgrade, upgrade

from extensions import db
from models.accounts import User
from models.alerts import AlertRule, Delivery, Firing
from models.teams import Team, TeamMember
from tests.alerts.conftest import run_worker
from tests.auth.conftest import cli_user, client_login, form_token
from tests.conftest import SECRET, base_config
from tests.data.live_layout import raw_text_frame, write_zip
from tests.data.prices_raw import CENTS_PER_LB_FROM_USD_PER_KG, monthly
from tests.harness.live import PINK_SHEETS

OLDER, NEWER = "2024-12", "2025-05"
ATTRIBUTION = "World Bank Commodity Price Data (The Pink Sheet), CC BY 4.0"
WHEAT, MILLET = "0410000", "0459100"


@pytest.fixture(scope="module")
def priced_dir(tmp_path_factory):
    """Return a data dir with USDA's coffee rows of Brazil and Vietnam (a serving file to put prices in, quickly)
    and the December 2024 Pink Sheet (the May 2025 one comes later)."""
    from data import pipeline

    folder = tmp_path_factory.mktemp("priced")
    raw = raw_text_frame()
    psd = write_zip(raw[raw["Country_Name"].isin(["Brazil", "Vietnam"])], folder / "psd_coffee.zip")
    data_dir = folder / "data"
    pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(psd))
    pipeline.ingest_prices({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(PINK_SHEETS[0]))
    return data_dir


@pytest.fixture
def price_app(tmp_path, priced_dir, smtp):
    """Return (app, mailbox) on priced_dir with a fresh users database, mail to a real SMTP server, no Redis."""
    from app import create_app
    from tests.harness.databases import copy_migrated

    mailbox, port = smtp
    config = {**base_config(tmp_path, priced_dir), "SECRET_KEY": SECRET, "MAIL_SERVER": "127.0.0.1",
              "MAIL_PORT": port, "BASE_URL": "http://beanflows.test", "ALERTS_RETRY_INTERVALS": [0, 0, 0]}
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    return create_app(config), mailbox


def move(slug, factor=1.0):
    """Return (previous month, latest month, its price before, now, change %) of a series in the May 2025 edition."""
    values = monthly(NEWER, slug, factor)
    old, new = float(values.iloc[-2]), float(values.iloc[-1])
    return values.index[-2], values.index[-1], old, new, 100 * (new - old) / abs(old)


def _rule(user_id, kind, series, threshold=None, level=None, commodity="0711100", **extra):
    """Return a price AlertRule."""
    return AlertRule(user_id=user_id, kind=kind, commodity_code=commodity, country_code="WORLD", metric="price",
                     series=series, threshold_pct=threshold, level=level, **extra)


def test_a_new_edition_fires_the_price_rules_once_and_mails_one_digest_per_user(price_app):
    app, mailbox = price_app
    cents = CENTS_PER_LB_FROM_USD_PER_KG
    (before, latest, a_old, a_new, a_pct) = move("arabica", cents)
    (_, _, r_old, r_new, r_pct) = move("robusta", cents)
    (_, _, w_old, w_new, w_pct) = move("hrw")
    assert (before, latest) == ("2025-03", "2025-04") and a_new < 400 < a_old and r_new < 250 < r_old
    for name, flags in (("a", ["--comp"]), ("b", ["--comp"]), ("c", [])):
        cli_user(app, f"{name}@example.com", *flags)
    with app.app_context():
        a, b, c = (User.by_email(f"{n}@example.com").id for n in "abc")
        team = Team(name="Desk", owner_id=a, seats=5, subscription_status="active")
        db.session.add(team)
        db.session.flush()
        db.session.add_all([TeamMember(team_id=team.id, user_id=a, role="owner"),
                            TeamMember(team_id=team.id, user_id=b, role="member")])
        rules = [
            _rule(a, "price_move", "arabica", abs(a_pct) - 0.01),  # 0: just below the move: fires
            _rule(a, "price_move", "arabica", abs(a_pct) + 0.01),  # 1: just above: does not
            _rule(a, "price_level", "arabica", level=400.0),  # 2: between the months: crossed down
            _rule(a, "price_level", "arabica", level=410.0),  # 3: above both: does not
            _rule(a, "price_level", "robusta", level=250.0, team_id=team.id),  # 4: shared with b
            _rule(a, "price_move", "hrw", abs(w_pct) - 0.01, commodity=WHEAT),  # 5: wheat, same digest
            _rule(a, "price_move", "arabica", 0.1, active=False),  # 6: paused
            _rule(c, "price_move", "arabica", 0.1),  # 7: lapsed subscriber
            AlertRule(user_id=a, kind="revision", country_code="BRA", metric="production", year_choice="next",
                      threshold_pct=0.1),  # 8: a USDA rule: no USDA release here
        ]
        db.session.add_all(rules)
        db.session.commit()
        ids = [rule.id for rule in rules]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["prices", "ingest", str(PINK_SHEETS[1])])
    assert result.exit_code == 0, result.output
    assert (f"Price alerts for Pink Sheet edition {NEWER} evaluated here (no REDIS_URL, no queue): 5 new firings "
            "for 2 users, 2 emails sent.") in result.output
    with app.app_context():
        fired = {ids.index(f.rule_id): f for f in db.session.execute(db.select(Firing)).scalars()}
        assert sorted(fired) == [0, 2, 4, 5]
        for index, (series, old, new, pct) in {0: ("arabica", a_old, a_new, a_pct), 2: ("arabica", a_old, a_new, a_pct),
                                               4: ("robusta", r_old, r_new, r_pct), 5: ("hrw", w_old, w_new, w_pct)}.items():
            firing = fired[index]
            assert (firing.release_id, firing.metric, firing.month, firing.user_id) == (NEWER, series, latest, a)
            assert (firing.old_value, firing.new_value, firing.change_pct) == \
                (pytest.approx(old), pytest.approx(new), pytest.approx(pct))
        assert {(d.user_id, d.kind, d.release_id, d.status) for d in db.session.execute(db.select(Delivery)).scalars()} \
            == {(a, "prices", NEWER, "sent"), (b, "prices", NEWER, "sent")}
    messages = {tuple(rcpt): email.message_from_string(text, policy=policy.default) for rcpt, text in mailbox.messages}
    assert set(messages) == {("a@example.com",), ("b@example.com",)}
    mine, shared = messages[("a@example.com",)], messages[("b@example.com",)]
    assert mine["Subject"] == f"beanflows: 4 price alerts in the World Bank Pink Sheet of {NEWER}"
    text = mine.get_body(preferencelist=("plain",)).get_content()
    assert f"Your beanflows price alerts for the World Bank Pink Sheet edition {NEWER}" in text
    assert f"Price move: Coffee, Arabica (US cents/lb), {before} -> {latest}" in text
    assert f"{a_old:,.2f} -> {a_new:,.2f} US cents/lb ({a_pct:+.2f}%), your threshold {abs(a_pct) - 0.01:g}%" in text
    assert f"Price level: Coffee, Arabica (US cents/lb), {before} -> {latest}" in text
    assert "crossed your level 400.00 downward" in text and "crossed your level 410.00" not in text
    assert f"Wheat, US hard red winter ($/t), {before} -> {latest}" in text and f"{w_old:,.2f} -> {w_new:,.2f} $/t" in text
    assert "http://beanflows.test/dashboards/prices?commodity=coffee&series=arabica" in text
    assert f"Prices: {ATTRIBUTION}." in text and ATTRIBUTION in mine.get_body(preferencelist=("html",)).get_content()
    assert mine["List-Unsubscribe"]
    other = shared.get_body(preferencelist=("plain",)).get_content()
    assert "Coffee, Robusta (US cents/lb)" in other and "(shared by a@example.com)" in other and "Arabica" not in other
    assert "crossed your level 250.00 downward" in other

    # The same edition again: nothing is loaded, stored or sent; evaluating it on demand neither.
    again = runner.invoke(args=["prices", "ingest", str(PINK_SHEETS[1])])
    assert again.exit_code == 0 and "No new prices release" in again.output and "evaluated" not in again.output
    on_demand = runner.invoke(args=["alerts", "evaluate", "--prices", "--release", NEWER])
    assert on_demand.exit_code == 0 and "0 new firings for 0 users, 0 emails sent" in on_demand.output
    assert len(mailbox.messages) == 2
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Firing.id))).scalar_one() == 4

    # The notifications list names the series, the months and the change, with the attribution.
    client = app.test_client()
    assert client_login(client, "a@example.com").status_code in (302, 303)
    page = client.get("/alerts").get_data(as_text=True)
    assert f"Price level: Coffee, Arabica, {before} &rarr; {latest} (Pink Sheet {NEWER})" in page
    assert f"{a_old:,.2f} &rarr; {a_new:,.2f} US cents/lb" in page and "crossed 400.00 downward" in page
    assert ATTRIBUTION in page
    opened = client.get(f"/alerts/firings/{fired[5].id}")
    assert opened.status_code == 303 and opened.headers["Location"] == "/dashboards/prices?commodity=wheat&series=hrw"


@pytest.mark.redis
def test_with_redis_a_worker_evaluates_an_edition_and_sends_the_digest(tmp_path, priced_dir, smtp, redis_url):
    from app import create_app
    from tests.harness.databases import copy_migrated

    mailbox, port = smtp
    env = {"SECRET_KEY": SECRET, "DATABASE_URL": f"sqlite:///{tmp_path / 'users.db'}",
           "BEANFLOWS_DATA_DIR": str(priced_dir), "REDIS_URL": redis_url, "ALERTS_RETRY_INTERVALS": "0,0,0",
           "ALERTS_QUEUE": f"test-price-alerts-{uuid.uuid4().hex[:10]}", "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(port), "BASE_URL": "http://beanflows.test"}
    config = {**base_config(tmp_path, priced_dir), **{k: v for k, v in env.items() if k != "DATABASE_URL"},
              "MAIL_PORT": port, "ALERTS_RETRY_INTERVALS": [0, 0, 0]}
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(config)
    values = monthly(OLDER, "arabica", CENTS_PER_LB_FROM_USD_PER_KG)
    old, new = float(values.iloc[-2]), float(values.iloc[-1])
    with app.app_context():
        user = User(email="queued@example.com", password_hash="x", access_granted=True)
        db.session.add(user)
        db.session.flush()
        db.session.add(_rule(user.id, "price_move", "arabica", abs(100 * (new - old) / old) - 0.01))
        db.session.commit()
    queued = app.test_cli_runner().invoke(args=["alerts", "evaluate", "--prices", "--release", OLDER])
    assert queued.exit_code == 0 and f"Price alert evaluation of Pink Sheet edition {OLDER} queued as job" in queued.output
    assert mailbox.messages == []
    run_worker(env)
    [(recipients, text)] = mailbox.messages
    message = email.message_from_string(text, policy=policy.default)
    assert recipients == ["queued@example.com"]
    assert message["Subject"] == f"beanflows: 1 price alert in the World Bank Pink Sheet of {OLDER}"
    assert f"{old:,.2f} -> {new:,.2f} US cents/lb" in message.get_body(preferencelist=("plain",)).get_content()


def _post(client, **fields):
    """Post the new-rule form as a price move on arabica, with fields changed; return the response."""
    data = {"kind": "price_move", "commodity_code": "0711100", "country_code": "WORLD", "metric": "production",
            "year_choice": "current", "series": "arabica", "threshold_pct": "5", "level": "", "active": "y",
            "csrf_token": form_token(client, "/alerts"), **fields}
    return client.post("/alerts", data=data)


def test_the_form_offers_declared_series_and_refuses_bad_fields_with_the_reason(price_app):
    app, _mailbox = price_app
    cli_user(app, "form@example.com", "--comp")
    client = app.test_client()
    assert client_login(client, "form@example.com").status_code in (302, 303)
    page = client.get("/alerts").get_data(as_text=True)
    assert "Arabica (US cents/lb)" in page and "Robusta (US cents/lb)" in page and "Price crosses a level" in page
    assert _post(client).status_code == 303
    assert _post(client, kind="price_level", level="412.5", threshold_pct="").status_code == 303
    for fields, reason in [
        ({"kind": "price_level", "level": "-5"}, "Enter the level as a positive number"),
        ({"kind": "price_level", "level": "0"}, "Enter the level as a positive number"),
        ({"kind": "price_level", "level": "lots"}, "Enter the level as a positive number"),
        ({"kind": "price_level", "level": ""}, "Enter the level as a positive number"),
        ({"kind": "price_level", "level": "1e999"}, "Enter the level as a positive number"),
        ({"kind": "price_level", "level": "9" * 500}, "Enter the level as a positive number"),
        ({"series": "hrw"}, "Coffee has no price series &#39;hrw&#39;: choose one of Arabica, Robusta"),
        ({"threshold_pct": "150"}, "between 0.1 and 100"),
        ({"threshold_pct": ""}, "Enter a threshold in percent."),
        ({"commodity_code": MILLET, "series": "arabica"}, "no price series for Millet"),
    ]:
        response = _post(client, **fields)
        assert response.status_code == 400 and reason in response.get_data(as_text=True), fields
    refused = client.post("/alerts", data={"kind": "price_move", "series": "arabica", "threshold_pct": "5"})
    assert refused.status_code == 400
    with app.app_context():
        rules = db.session.execute(db.select(AlertRule).order_by(AlertRule.id)).scalars().all()
        assert [(r.kind, r.commodity_code, r.country_code, r.metric, r.series, r.threshold_pct, r.level)
                for r in rules] == [("price_move", "0711100", "WORLD", "price", "arabica", 5.0, None),
                                    ("price_level", "0711100", "WORLD", "price", "arabica", None, 412.5)]
    listed = client.get("/alerts").get_data(as_text=True)
    assert "level 412.50" in listed and "5%" in listed
    edit = client.get(f"/alerts/rules/{rules[1].id}")
    assert edit.status_code == 200 and 'value="412.5"' in edit.get_data(as_text=True)
    assert _post(client, commodity_code=WHEAT, series="srw", threshold_pct="2").status_code == 303


def test_the_migration_drops_price_rules_on_the_way_down_and_adds_the_columns_again(price_app):
    app, _mailbox = price_app
    with app.app_context():
        user = User(email="old@example.com", password_hash="x", access_granted=True)
        db.session.add(user)
        db.session.flush()
        kept, priced = (AlertRule(user_id=user.id, kind="revision", country_code="BRA", metric="production",
                                  threshold_pct=5.0), _rule(user.id, "price_level", "arabica", level=300.0))
        db.session.add_all([kept, priced])
        db.session.flush()
        db.session.add_all([Firing(rule_id=priced.id, user_id=user.id, release_id=NEWER, country_code="WORLD",
                                   metric="arabica", month="2025-04", old_value=1.0, new_value=2.0),
                            Delivery(user_id=user.id, release_id=NEWER, kind="prices"),
                            Delivery(user_id=user.id, release_id=NEWER, kind="alerts")])
        db.session.commit()
        db.session.remove()
        downgrade(revision="4a7c2e9d1b35")
        with db.engine.connect() as conn:
            columns = {c["name"]: c for c in db.inspect(conn).get_columns("alert_rules")}
            assert "series" not in columns and "level" not in columns and not columns["threshold_pct"]["nullable"]
            assert "month" not in {c["name"] for c in db.inspect(conn).get_columns("alert_firings")}
            assert conn.execute(db.text("SELECT kind FROM alert_rules")).scalars().all() == ["revision"]
            assert conn.execute(db.text("SELECT count(*) FROM alert_firings")).scalar_one() == 0
            assert conn.execute(db.text("SELECT kind FROM alert_deliveries")).scalars().all() == ["alerts"]
        upgrade()
        with db.engine.connect() as conn:
            assert {"series", "level"} <= {c["name"] for c in db.inspect(conn).get_columns("alert_rules")}
