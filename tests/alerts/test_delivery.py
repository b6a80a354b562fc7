"""Three releases through the CLI, rules evaluated by a real RQ worker, digests read from a real SMTP server."""
import email
import re
from email import policy

import pandas as pd
import pytest

from data.schema import FALLBACK_COUNTRY_CODES
from extensions import db
from models.accounts import User
from models.alerts import AlertRule, Delivery, Firing, MailPreference
from tests.alerts.conftest import releases, run_worker

pytestmark = pytest.mark.redis
ATTR = {"production": 28, "exports": 88, "ending_stocks": 176, "domestic_consumption": 125}
# (user, kind, country, metric, year choice, threshold, active)
RULES = [
    ("a", "revision", "BRA", "production", "next", 5.0, True),
    ("a", "revision", "WORLD", "production", "next", 1.0, True),
    ("a", "drawdown", "VNM", "ending_stocks", "current", 20.0, True),
    ("a", "stocks_to_use", "WORLD", "stocks_to_use_pct", "current", 100.0, True),
    ("a", "drawdown", "VNM", "ending_stocks", "current", 1.0, False),
    ("b", "revision", "COL", "exports", "current", 2.0, True),
    ("b", "drawdown", "BRA", "ending_stocks", "current", 0.5, True),
    ("b", "revision", "VNM", "ending_stocks", "next", 70.0, True),
    ("c", "revision", "BRA", "production", "next", 1.0, True),
]


def _values(frame):
    """Return {(code, year, attribute id): value} of a raw frame, with pandas only, plus WORLD sums."""
    codes = frame["Country_Code"].where(frame["Country_Code"] != "", frame["Country_Name"].map(FALLBACK_COUNTRY_CODES))
    long = pd.DataFrame({"code": codes, "year": frame["Market_Year"].astype(int),
                         "attr": frame["Attribute_ID"].astype(int), "value": frame["Value"].astype(float)})
    world = long.groupby(["year", "attr"], as_index=False)["value"].sum().assign(code="WORLD")
    both = pd.concat([long, world])
    return {(c, y, a): v for c, y, a, v in zip(both["code"], both["year"], both["attr"], both["value"])}


def expected_firings():
    """Return {(rule index, release id)} computed from the raw frames, independently of the app."""
    frames = releases()
    ids = list(frames)
    found = set()
    for position, release_id in enumerate(ids):
        now = _values(frames[release_id])
        before = _values(frames[ids[position - 1]]) if position else None
        last = int(frames[release_id]["Market_Year"].astype(int).max())
        for index, (user, kind, code, metric, choice, threshold, active) in enumerate(RULES):
            if not active or user == "c":
                continue
            if kind == "revision" and before is not None:
                year = last if choice == "next" else last - 1
                old, new = before.get((code, year, ATTR[metric])), now.get((code, year, ATTR[metric]))
                if old and new is not None and abs(100 * (new - old) / old) > threshold:
                    found.add((index, release_id))
            elif kind == "drawdown":
                previous, current = now[(code, last - 1, 176)], now[(code, last, 176)]
                if previous > 0 and 100 * (previous - current) / previous > threshold:
                    found.add((index, release_id))
            elif kind == "stocks_to_use":
                use = now[(code, last, 125)] + (0 if code == "WORLD" else now[(code, last, 88)])
                if use and 100 * now[(code, last, 176)] / use < threshold:
                    found.add((index, release_id))
    return found


def _setup_users(app):
    """Create subscribers a and b, user c without a subscription, and the rules; return {name: id}, rule ids."""
    with app.app_context():
        users = {name: User(email=f"{name}@example.com", password_hash="x", access_granted=name != "c")
                 for name in "abc"}
        db.session.add_all(users.values())
        db.session.flush()
        db.session.add(MailPreference(user_id=users["a"].id, alerts_email=True, release_digest=True))
        rules = [AlertRule(user_id=users[u].id, kind=k, country_code=c, metric=m, year_choice=y, threshold_pct=t,
                           active=on) for u, k, c, m, y, t, on in RULES]
        db.session.add_all(rules)
        db.session.commit()
        return {name: user.id for name, user in users.items()}, [rule.id for rule in rules]


def _parsed(mailbox):
    """Return the delivered messages as (recipients, parsed email)."""
    return [(rcpt, email.message_from_string(text, policy=policy.default)) for rcpt, text in mailbox.messages]


def _text(message):
    """Return the plain-text body of a message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def test_three_releases_fire_the_expected_rules_and_mail_one_digest_each(alerts_env):
    app, env, mailbox, zips = alerts_env
    users, rule_ids = _setup_users(app)
    runner = app.test_cli_runner()
    expected = expected_firings()  # pandas over three raw frames: seconds, so computed once
    seen = 0
    for release_id, path in zips.items():
        result = runner.invoke(args=["ingest", str(path)])
        assert result.exit_code == 0, result.output
        assert f"Alert evaluation of release {release_id} queued" in result.output
        run_worker(env)
        with app.app_context():
            fired = {(rule_ids.index(f.rule_id), f.release_id) for f in db.session.execute(db.select(Firing)).scalars()}
        assert fired == {f for f in expected if f[1] <= release_id}
        new = _parsed(mailbox)[seen:]
        seen = len(mailbox.messages)
        alert_mails = [(r, m) for r, m in new if "alert" in m["Subject"]]
        users_firing = {RULES[i][0] for i, r in fired if r == release_id}
        assert sorted(r[0] for r, _ in alert_mails) == sorted(f"{u}@example.com" for u in users_firing)
        assert [m["Subject"] for r, m in new if r == ["a@example.com"] and "alert" not in m["Subject"]] == \
            [f"beanflows: Coffee, USDA release {release_id}"]
    # The designed edits are among the expectations, so the comparison above can fail.
    assert {(0, "2025-04"), (1, "2025-04"), (2, "2025-04"), (5, "2025-07")} <= expected
    # Rule 7 (-60% against a 70% threshold), the paused rule 4 and the lapsed user c never fire.
    assert not any(index in (4, 7, 8) for index, _ in expected)

    with app.app_context():
        brazil = db.session.execute(db.select(Firing).where(Firing.rule_id == rule_ids[0])).scalar_one()
        assert brazil.release_id == "2025-04" and round(brazil.new_value, 2) == round(66300 * 0.9, 2)
        assert round(brazil.change_pct, 4) == -10.0
        statuses = {d.status for d in db.session.execute(db.select(Delivery)).scalars()}
        assert statuses == {"sent"}
    digest = next(m for r, m in _parsed(mailbox) if r == ["a@example.com"] and "alerts in USDA release 2025-04" in m["Subject"])
    text = _text(digest)
    assert "66,300.00 to 59,670.00 (-10.00%" in text and "Brazil (BRA)" in text
    assert "http://beanflows.test/dashboards/country/BRA?commodity=coffee&metric=production&release=2025-04" in text
    html = digest.get_body(preferencelist=("html",)).get_content()
    assert "59,670.00" in html and "release=2025-04" in html
    unsubscribe = re.search(r"<(http://beanflows\.test(/unsubscribe/\S+))>", digest["List-Unsubscribe"]).group(2)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and unsubscribe in text

    # Evaluating again stores and sends nothing new.
    before = len(mailbox.messages)
    result = runner.invoke(args=["alerts", "evaluate", "--release", "2025-07"])
    assert result.exit_code == 0, result.output
    run_worker(env)
    assert len(mailbox.messages) == before

    # One-click unsubscribe works without logging in: GET asks, POST (RFC 8058, no CSRF token) stops.
    client = app.test_client()
    page = client.get(unsubscribe)
    assert page.status_code == 200 and "a@example.com" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(MailPreference, users["a"]).alerts_email
    assert client.post(unsubscribe).status_code == 200
    with app.app_context():
        assert not db.session.get(MailPreference, users["a"]).alerts_email
    assert client.get(unsubscribe[:-3] + "xyz").status_code == 404


class Refuser:
    """An aiosmtpd handler refusing every message for good (554): a failure no retry mends."""

    async def handle_DATA(self, server, session, envelope):
        """Refuse the message."""
        return "554 5.7.1 Message refused"


def test_inline_without_redis_then_a_refused_send_is_retried_and_marked_failed(alerts_env):
    from aiosmtpd.controller import Controller

    from tests.conftest import free_port

    app, env, mailbox, zips = alerts_env
    _setup_users(app)
    refusing = Controller(Refuser(), hostname="127.0.0.1", port=free_port())
    refusing.start()
    dead = {**env, "MAIL_PORT": str(refusing.port)}  # a server that answers, and refuses
    app.config["REDIS_URL"] = None  # without Redis the CLI evaluates and sends in its own process
    loaded = app.test_cli_runner().invoke(args=["ingest", str(zips["2025-01"])])
    assert loaded.exit_code == 0 and "evaluated here (no REDIS_URL, no queue)" in loaded.output
    assert sorted(r for r, _ in mailbox.messages) == [["a@example.com"], ["a@example.com"], ["b@example.com"]]
    mailbox.messages.clear()
    app.config["REDIS_URL"] = env["REDIS_URL"]
    with app.app_context():
        db.session.execute(db.delete(Delivery))
        db.session.execute(db.delete(Firing))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["alerts", "evaluate", "--release", "2025-01"])
    assert result.exit_code == 0, result.output
    try:
        worker = run_worker(dead)
    finally:
        refusing.stop()
    with app.app_context():
        deliveries = db.session.execute(db.select(Delivery)).scalars().all()
    assert deliveries and all(d.status == "failed" and d.tries == 4 and "554" in d.last_error for d in deliveries)
    assert "failed after 4 tries" in worker.stderr
    assert mailbox.messages == []


def test_with_redis_the_reset_email_is_sent_by_the_worker_not_the_request(alerts_env):
    from tests.auth.conftest import cli_user, form_token

    app, env, mailbox, _zips = alerts_env
    cli_user(app, "forgot@example.com")
    client = app.test_client()
    client.post("/reset", data={"email": "forgot@example.com", "csrf_token": form_token(client, "/reset")})
    assert mailbox.messages == []
    run_worker(env)
    [(recipients, message)] = _parsed(mailbox)
    assert recipients == ["forgot@example.com"] and message["Subject"] == "Reset your beanflows password"
    assert "http://beanflows.test/reset/" in _text(message)
