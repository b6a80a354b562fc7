"""The users database down or restarting: accounts wait with a 503 and Retry-After, public pages answer,
connections come back by themselves, and a Stripe webhook sent meanwhile is applied once when Stripe retries it."""
import json
import time
import uuid

import psycopg
import pytest
import requests

from tests.billing.fake_stripe import sign
from tests.conftest import create_user, login_session
from tests.faults.conftest import WEBHOOK_SECRET, host_app, worker_pids
from tests.harness.charts import chart_bodies
from tests.harness.env import callback_headers
from tests.harness.gate import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
API = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2024"


def _token(env, email):
    """Return a new API token of the user with email."""
    from auth import api_tokens
    from extensions import db
    from models.accounts import User

    app = host_app(env)
    with app.app_context():
        _, raw = api_tokens.create(User.by_email(email))
        db.session.commit()
        db.engine.dispose()
    return raw


def test_accounts_answer_503_with_retry_after_public_pages_answer_and_connections_come_back(fault_server):
    host = fault_server
    email = create_user(host.env, f"pg-{uuid.uuid4().hex[:6]}@example.com", "--comp")
    session = login_session(host.server, email)
    bearer = {"Authorization": f"Bearer {_token(host.env, email)}"}
    assert session.get(f"{host.url}/account", timeout=10).status_code == 200
    _, chart = chart_bodies(host.server, session)[0]
    pids = worker_pids(host.server)
    with host.postgres.down():
        drawn = session.post(f"{host.url}/_dash-update-component", data=json.dumps(chart), timeout=10,
                             headers=callback_headers(session))  # a chart asks who is signed in too
        assert drawn.status_code == 503 and "unavailable" in drawn.json()["error"], drawn.text[:300]
        for path in ("/account", "/dashboards/production", "/alerts"):
            page = session.get(f"{host.url}{path}", allow_redirects=False, timeout=10)
            assert page.status_code == 503, (path, page.status_code, page.text[:300])
            assert page.headers["Retry-After"].isdigit() and "Accounts are unavailable" in page.text
        for answer in (session.get(f"{host.url}{API}", timeout=10), requests.get(f"{host.url}{API}", headers=bearer,
                                                                                   timeout=10)):
            assert answer.status_code == 503 and "Retry-After" in answer.headers
            assert "unavailable" in answer.json()["error"]
        login = requests.Session()
        form = login.get(f"{host.url}/login", timeout=10)
        assert form.status_code == 200
        token = form.text.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
        attempt = login.post(f"{host.url}/login", data={"email": email, "password": "whatever", "csrf_token": token},
                             allow_redirects=False, timeout=10)
        assert attempt.status_code == 503 and "Retry-After" in attempt.headers
        for path in ("/", "/methodology", "/docs/api"):
            assert requests.get(f"{host.url}{path}", timeout=10).status_code == 200, path
        health = requests.get(f"{host.url}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        ready = requests.get(f"{host.url}/readyz", timeout=10)
        assert ready.status_code == 503 and ready.json()["checks"]["database"].startswith("error")
    _, seconds = wait_until(lambda: session.get(f"{host.url}/account", timeout=10).status_code == 200, timeout=30)
    print(f"\nfigure: PostgreSQL back -> signed-in page answers after {seconds:.2f} s")
    assert requests.get(f"{host.url}{API}", headers=bearer, timeout=10).status_code == 200
    assert requests.get(f"{host.url}/readyz", timeout=10).json()["checks"]["database"] == "ok"
    assert worker_pids(host.server) == pids  # nothing restarted: the pools reconnected


def _subscription_event(user_id):
    """Return a Stripe customer.subscription.updated event making user_id's subscription active."""
    subscription = {"id": f"sub_{uuid.uuid4().hex[:14]}", "object": "subscription", "status": "active",
                    "customer": f"cus_{uuid.uuid4().hex[:14]}", "metadata": {"user_id": str(user_id)},
                    "cancel_at_period_end": False, "items": {"object": "list", "data": []}}
    return {"id": f"evt_{uuid.uuid4().hex[:14]}", "object": "event", "type": "customer.subscription.updated",
            "created": int(time.time()), "data": {"object": subscription}, "livemode": False}


def _post(host, event):
    """POST event to the webhook, signed as Stripe signs it."""
    body = json.dumps(event)
    return requests.post(f"{host.url}/billing/webhook", data=body, timeout=10,
                         headers={"Stripe-Signature": sign(body, WEBHOOK_SECRET), "Content-Type": "application/json"})


def test_a_stripe_webhook_during_the_outage_gets_a_5xx_and_is_applied_once_when_retried(fault_server):
    host = fault_server
    email = create_user(host.env, f"stripe-{uuid.uuid4().hex[:6]}@example.com")
    direct = host.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(direct) as conn:
        user_id = conn.execute("SELECT id FROM users WHERE email = %s", (email,)).fetchone()[0]
    event = _subscription_event(user_id)
    with host.postgres.down():
        refused = _post(host, event)
        assert refused.status_code == 503  # Stripe retries any non-2xx
    # Stripe's retries: the first that finds the database applies it, the next is a duplicate.
    first, seconds = wait_until(lambda: (lambda r: r if r.status_code == 200 else None)(_post(host, event)))
    assert first.json()["outcome"] == "applied"
    assert _post(host, event).json()["outcome"] == "duplicate"
    with psycopg.connect(direct) as conn:
        assert conn.execute("SELECT subscription_status FROM users WHERE id = %s", (user_id,)).fetchone()[0] == "active"
        assert conn.execute("SELECT count(*) FROM stripe_events WHERE id = %s", (event["id"],)).fetchone()[0] == 1
    print(f"\nfigure: PostgreSQL back -> webhook applied on Stripe's next try after {seconds:.2f} s")


def test_a_database_going_away_under_requests_answers_503_never_500(fault_server):
    import collections
    import threading

    host = fault_server
    session = login_session(host.server, create_user(host.env, f"flap-{uuid.uuid4().hex[:6]}@example.com", "--comp"))
    answers, stop = collections.Counter(), threading.Event()

    def client(path):
        browser = requests.Session()
        browser.cookies.update(session.cookies)
        browser.headers["User-Agent"] = session.headers["User-Agent"]
        while not stop.is_set():
            answers[browser.get(f"{host.url}{path}", timeout=10).status_code] += 1

    threads = [threading.Thread(target=client, args=(path,)) for path in (API, "/account") * 2]
    for thread in threads:
        thread.start()
    try:
        for _ in range(6):  # restarts in a row: connections cut in the middle of queries and transactions
            time.sleep(0.3)
            with host.postgres.down():
                time.sleep(0.3)
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert set(answers) <= {200, 503} and answers[503] and answers[200], answers
