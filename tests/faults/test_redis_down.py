"""Redis down: pages, charts, sign-in and the API answer; limits hold per process; jobs wait in the users database."""
import json
import time
import uuid

import pytest
import requests

from tests.conftest import PASSWORD, create_user, login_session
from tests.faults.conftest import LOGIN_LIMIT, flask_cli, host_app, log_lines
from tests.harness.charts import chart_bodies
from tests.harness.env import callback_headers
from tests.harness.gate import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
API = "/api/v1/metrics?metric=production&country=BRA&start=2015&end=2024"


def _ready(host):
    """Return /readyz's body."""
    return requests.get(f"{host.url}/readyz", timeout=10).json()


def test_pages_charts_sign_in_and_the_api_answer_while_redis_is_down(fault_server):
    host = fault_server
    email = create_user(host.env, f"redis-{uuid.uuid4().hex[:6]}@example.com", "--comp")
    session = login_session(host.server, email)
    before = session.get(f"{host.url}{API}", timeout=10).json()
    # A graph of the production page (CHARTS, and so this list, follows the order this process imported pages in).
    name, body = next((name, body) for name, body in chart_bodies(host.server, session) if name.startswith("production-"))
    with host.redis.down():
        assert requests.get(f"{host.url}/", timeout=10).status_code == 200
        assert requests.get(f"{host.url}/login", timeout=10).status_code == 200
        signed_in = login_session(host.server, email)  # GET /login, POST /login, the page after
        assert signed_in.get(f"{host.url}/dashboards/production", timeout=10).status_code == 200
        chart = signed_in.post(f"{host.url}/_dash-update-component", data=json.dumps(body),
                               headers=callback_headers(signed_in), timeout=30)
        assert chart.status_code == 200 and "figure" in chart.text, (name, chart.status_code, chart.text[:300])
        assert signed_in.get(f"{host.url}{API}", timeout=10).json() == before
        health = requests.get(f"{host.url}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        ready = requests.get(f"{host.url}/readyz", timeout=10)
        assert ready.status_code == 200
        state = ready.json()
        assert state["status"] == "degraded" and state["checks"]["redis"].startswith("error")
        assert state["degraded"]["cache"] == "off (Redis unreachable)"
        assert state["degraded"]["rate_limits"].startswith("per-process")
        assert "kept in the users database" in state["degraded"]["jobs"]
        opened = time.monotonic()
    _, seconds = wait_until(lambda: _ready(host)["status"] == "ready", timeout=30)
    print(f"\nfigure: Redis back -> /readyz ready after {seconds:.1f} s (gate opened {time.monotonic() - opened:.1f} s ago)")
    assert "cache off: Redis unreachable" in log_lines(host.server)


def test_rate_limits_fall_back_to_each_process_never_to_none(fault_server):
    host = fault_server
    email = f"limited-{uuid.uuid4().hex[:6]}@example.com"
    with host.redis.down():
        client = requests.Session()
        codes = []
        for _ in range(2 * LOGIN_LIMIT + 1):  # two workers, each counting alone: the limit twice at most
            page = client.get(f"{host.url}/login", timeout=10)
            token = page.text.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
            answer = client.post(f"{host.url}/login", data={"email": email, "password": "wrong " + PASSWORD,
                                                            "csrf_token": token}, allow_redirects=False, timeout=10)
            codes.append(answer.status_code)
            if answer.status_code == 429:
                break
        assert codes[-1] == 429 and not [c for c in codes if c >= 500], codes
        assert len(codes) > LOGIN_LIMIT  # the first LOGIN_LIMIT of the pair pass, whichever worker counts
        assert _ready(host)["degraded"]["rate_limits"].startswith("per-process")
    assert "falling back to in-memory storage" in log_lines(host.server)


def _rule_for(app, email):
    """Give a subscriber a rule every release fires (world stocks-to-use below 100%); return the user id."""
    from extensions import db
    from models.accounts import User
    from models.alerts import AlertRule

    with app.app_context():
        user = User.by_email(email)
        db.session.add(AlertRule(user_id=user.id, kind="stocks_to_use", country_code="WORLD",
                                 metric="stocks_to_use_pct", year_choice="current", threshold_pct=100.0))
        db.session.commit()
        return user.id


def _outbox(app):
    """Return the outbox rows as (path, args)."""
    from extensions import db
    from jobqueue import OutboxJob

    with app.app_context():
        return [(row.path, row.args) for row in db.session.execute(db.select(OutboxJob)).scalars()]


def test_alert_jobs_kept_while_redis_is_down_are_queued_when_it_returns_and_sent_once(fault_server, smtp):
    from extensions import db
    from models.alerts import Delivery

    host = fault_server
    mailbox, port = smtp
    env = {**host.env, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port)}
    app = host_app(env)
    email = create_user(host.env, f"digest-{uuid.uuid4().hex[:6]}@example.com", "--comp")
    user_id = _rule_for(app, email)
    release = _ready(host)["release"]["served"]
    with host.redis.down():
        result = app.test_cli_runner().invoke(args=["alerts", "evaluate", "--release", release])
        assert result.exit_code == 0, result.output
        assert "kept in the users database" in result.output
        assert _outbox(app) == [("alerts.jobs.evaluate_job", json.dumps([release]))]
        # The same job kept twice (a flush whose delete was lost): the digest must still go out once.
        again = app.test_cli_runner().invoke(args=["alerts", "evaluate", "--release", release])
        assert again.exit_code == 0 and "kept in the users database" in again.output, again.output
        assert len(_outbox(app)) == 2
        assert mailbox.messages == []
    worker = flask_cli(env, "alerts", "worker", "--burst", timeout=180)
    assert worker.returncode == 0, worker.stderr[-3000:]
    assert [rcpt for rcpt, _ in mailbox.messages] == [[email]]
    assert _outbox(app) == []
    with app.app_context():
        [delivery] = db.session.execute(db.select(Delivery).where(Delivery.user_id == user_id)).scalars().all()
        assert delivery.status == "sent" and delivery.tries == 1
    assert flask_cli(env, "alerts", "worker", "--burst").returncode == 0
    assert len(mailbox.messages) == 1


def test_the_release_follower_falls_back_to_polling_while_redis_is_down(redis_gate, redis_url):
    import redis

    from data.lake import notice

    config = {"REDIS_URL": redis_gate.url("redis", "/0"), "REDIS_KEY_PREFIX": f"bf-notice-{uuid.uuid4().hex[:8]}"}
    direct = redis.Redis.from_url(redis_url)
    listener = notice.Listener(config)
    assert listener.wait(0.2) is None  # subscribed, nothing published
    direct.publish(notice.channel(config), "2099-01")
    assert listener.wait(5) == "2099-01"
    with redis_gate.down():
        started = time.monotonic()
        assert listener.wait(0.5) is None  # no notice can come: it waits out the poll interval, no error
        assert time.monotonic() - started >= 0.45
        notice.publish(config, "2099-02")  # the writer's notice is dropped with a warning, never an error
        assert listener.wait(0.3) is None
    # Back: it subscribes again, and a notice wakes it before its poll interval ends.

    def heard():
        listener.wait(0.1)  # a poll: subscribes again once Redis answers
        return direct.publish(notice.channel(config), "2099-03") and listener.wait(5.0)

    found, seconds = wait_until(heard, timeout=20)
    assert found == "2099-03"
    print(f"\nfigure: Redis back -> release notice heard after {seconds:.1f} s")
