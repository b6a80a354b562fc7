"""Billing against a running gunicorn: two fast clicks, and the whole upgrade in a browser."""
import json
import re
import sqlite3
import threading

import pytest
import requests

from tests.billing.conftest import WEBHOOK_SECRET, stripe_settings
from tests.billing.fake_stripe import sign
from tests.billing.gate import subscriber_page
from tests.conftest import browser_cookies, create_user, login_session, migrate_database, start_server


@pytest.fixture(scope="module")
def billing_server(tmp_path_factory, real_data_dir, fake_stripe):
    """Return a gunicorn server (SQLite, 4 threads) whose Stripe is the fake."""
    tmp = tmp_path_factory.mktemp("billing-live")
    database_url = f"sqlite:///{tmp / 'users.db'}"
    migrate_database(database_url, real_data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(real_data_dir),
                           **stripe_settings(fake_stripe)}, workers=1, threads=4)
    server.database_path = tmp / "users.db"
    yield server
    server.stop()


def account_csrf(session, server):
    """Return the CSRF token of the account page's billing forms."""
    page = session.get(f"{server.url}/account", timeout=10)
    assert page.status_code == 200
    return re.search(r'action="/billing/checkout"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
                     page.text).group(1)


def post_event(server, event, secret=WEBHOOK_SECRET):
    """Deliver a signed event to the live server's webhook."""
    body = json.dumps(event)
    return requests.post(f"{server.url}/billing/webhook", data=body, timeout=10,
                         headers={"Stripe-Signature": sign(body, secret), "Content-Type": "application/json"})


def double_click(server, fake, email):
    """Send two checkout POSTs at the same moment; return their responses."""
    create_user(server, email)
    session = login_session(server, email)
    token = account_csrf(session, server)
    barrier = threading.Barrier(2)
    responses = [None, None]

    def click(i):
        clicker = requests.Session()
        clicker.cookies.update(session.cookies)
        barrier.wait()
        responses[i] = clicker.post(f"{server.url}/billing/checkout", data={"csrf_token": token},
                                    allow_redirects=False, timeout=30)

    fake.customer_create_delay = 0.5
    try:
        threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        fake.customer_create_delay = 0.0
    return responses


def test_two_fast_clicks_make_one_customer(billing_server, fake_stripe):
    email = "doubleclick@example.com"
    first, second = double_click(billing_server, fake_stripe, email)
    assert (first.status_code, second.status_code) == (303, 303)
    customers = [c for c in fake_stripe.customers.values() if c.get("email") == email]
    assert len(customers) == 1
    sessions = [fake_stripe.sessions[r.headers["Location"].rsplit("/", 1)[1]] for r in (first, second)]
    assert {s["customer"] for s in sessions} == {customers[0]["id"]}
    with sqlite3.connect(billing_server.database_path) as con:
        stored = con.execute("SELECT stripe_customer_id FROM users WHERE email = ?", (email,)).fetchone()[0]
    assert stored == customers[0]["id"]


@pytest.mark.postgres
def test_two_fast_clicks_make_one_customer_on_postgres_with_two_workers(postgres_database, real_data_dir, fake_stripe):
    import psycopg

    database_url = postgres_database()
    migrate_database(database_url, real_data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(real_data_dir),
                           **stripe_settings(fake_stripe)}, workers=2, threads=2)
    try:
        email = "doubleclick-pg@example.com"
        first, second = double_click(server, fake_stripe, email)
    finally:
        server.stop()
    assert (first.status_code, second.status_code) == (303, 303)
    customers = [c for c in fake_stripe.customers.values() if c.get("email") == email]
    assert len(customers) == 1
    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as con:
        stored = con.execute("SELECT stripe_customer_id FROM users WHERE email = %s", (email,)).fetchone()[0]
    assert stored == customers[0]["id"]


@pytest.mark.browser
def test_free_user_upgrades_in_the_browser(browser, billing_server, fake_stripe, billing_app):
    email = "upgrader@example.com"
    create_user(billing_server, email)
    session = login_session(billing_server, email)
    context = browser.new_context(base_url=billing_server.url)
    context.add_cookies(browser_cookies(session, billing_server))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        locked = subscriber_page()
        response = page.goto(locked)
        assert response.status == 403, "a free user must not open a subscriber dashboard"

        page.goto("/")
        page.locator("#landing-checkout").click()
        page.wait_for_url(re.compile(re.escape(fake_stripe.url) + r"/c/pay/cs_test_\w+"))
        assert page.locator("#fake-checkout").inner_text() == "Fake Stripe Checkout"
        session_id = page.url.rsplit("/", 1)[1]

        # The customer pays at Stripe; Stripe sends the webhooks and redirects back.
        paid_session, subscription = fake_stripe.complete_checkout(session_id)
        page.goto(paid_session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id))
        assert "Payment is being confirmed" in page.locator("#billing-status").inner_text()
        for event in (fake_stripe.event("checkout.session.completed", paid_session),
                      fake_stripe.event("customer.subscription.created", subscription)):
            assert post_event(billing_server, event).status_code == 200
        # The success page reloads itself and shows the access the webhook granted.
        page.wait_for_selector('#billing-status[data-status="active"]', timeout=10000)

        response = page.goto(locked)
        assert response.status == 200
        page.wait_for_selector("._dash-loading", state="detached", timeout=20000)
        page.wait_for_selector(".js-plotly-plot", timeout=20000)
        assert "lock" not in (page.locator(f'a[href="{locked}"]').first.inner_html() or "")
        assert errors == []
    finally:
        context.close()
