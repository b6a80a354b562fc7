"""Checkout, portal, the pages around them, and running without Stripe keys."""
import json
import re

import pytest

from tests.billing.conftest import BASE_URL, csrf_token, make_app, stripe_settings
from tests.billing.flow import Flow
from tests.conftest import free_port


@pytest.fixture
def flow(billing_app, fake_stripe):
    """Return a free user on a Stripe-configured app."""
    return Flow(billing_app, fake_stripe)


def customers_of(fake, email):
    """Return the fake's live customers with this email."""
    return [c for c in fake.customers.values() if c.get("email") == email and not c.get("deleted")]


def test_anonymous_checkout_goes_to_login(billing_app, fake_stripe):
    client = billing_app.test_client()
    sessions_before = len(fake_stripe.calls("POST", "/v1/checkout/sessions"))
    response = client.post("/billing/checkout", data={"csrf_token": csrf_token(client)})
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == sessions_before


def test_checkout_creates_one_customer_and_a_subscription_session(flow):
    session_id = flow.checkout()
    session = flow.fake.sessions[session_id]
    user = flow.user()
    customer = flow.fake.customers[user["stripe_customer_id"]]
    assert customer["metadata"] == {"user_id": str(flow.user_id)}
    assert customer["email"] == "payer@example.com"
    request = [c for c in flow.fake.calls("POST", "/v1/checkout/sessions") if c["params"].get("customer") == customer["id"]][-1]
    params = request["params"]
    assert params["mode"] == "subscription"
    assert params["line_items"] == [{"price": "price_test_analyst", "quantity": "1"}]
    assert params["client_reference_id"] == str(flow.user_id)
    assert params["success_url"] == BASE_URL + "/billing/success?session_id={CHECKOUT_SESSION_ID}"
    assert params["cancel_url"] == BASE_URL + "/billing/cancel"
    assert params["subscription_data"] == {"metadata": {"user_id": str(flow.user_id)}}
    assert request["idempotency_key"]
    assert session["customer"] == customer["id"]
    # The customer creation itself carried an idempotency key.
    create = [c for c in flow.fake.calls("POST", "/v1/customers") if c["params"].get("metadata") == {"user_id": str(flow.user_id)}
              and c["params"]["email"] == "payer@example.com"][-1]
    assert create["idempotency_key"].startswith("beanflows-customer-")


def test_second_click_reuses_the_customer_and_the_session(tmp_path, real_data_dir, fake_stripe):
    app = make_app(tmp_path, real_data_dir, **stripe_settings(fake_stripe))
    flow = Flow(app, fake_stripe, email="twice@example.com")
    first, second = flow.checkout(), flow.checkout()
    assert first == second
    assert len(customers_of(fake_stripe, "twice@example.com")) == 1


def test_a_customer_deleted_at_stripe_is_replaced(tmp_path, real_data_dir, fake_stripe):
    app = make_app(tmp_path, real_data_dir, **stripe_settings(fake_stripe))
    flow = Flow(app, fake_stripe, email="deleted@example.com")
    flow.checkout()
    old = flow.user()["stripe_customer_id"]
    fake_stripe.delete_customer(old)
    flow.checkout()
    new = flow.user()["stripe_customer_id"]
    assert new != old
    assert [c["id"] for c in customers_of(fake_stripe, "deleted@example.com")] == [new]


def test_success_page_waits_for_the_webhook(flow):
    session, subscription = flow.subscribe()
    page = flow.client.get(f"/billing/success?session_id={session['id']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Payment is being confirmed" in text and 'data-status="pending"' in text
    # The redirect back from Stripe alone grants nothing.
    assert not flow.access()
    assert flow.user()["subscription_status"] is None
    flow.send(flow.fake.event("checkout.session.completed", session))
    text = flow.client.get(f"/billing/success?session_id={session['id']}").get_data(as_text=True)
    assert "Your subscription is active" in text and 'data-status="active"' in text
    assert flow.access()


def test_cancel_page_says_nothing_was_charged(flow):
    flow.checkout()
    response = flow.client.get("/billing/cancel")
    assert response.status_code == 200
    assert "Nothing was charged" in response.get_data(as_text=True)
    assert not flow.access()


def test_portal_redirects_to_stripe_for_a_customer(flow):
    no_customer = flow.post("/billing/portal")
    assert no_customer.status_code == 409
    assert "nothing to manage" in no_customer.get_data(as_text=True)
    flow.checkout()
    response = flow.post("/billing/portal")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(flow.fake.url + "/p/session/")
    portal = flow.fake.portal_sessions[response.headers["Location"].rsplit("/", 1)[1]]
    assert portal["customer"] == flow.user()["stripe_customer_id"]
    assert portal["return_url"] == BASE_URL + "/account"


def test_a_subscriber_clicking_checkout_is_sent_to_the_portal(flow):
    session, _ = flow.subscribe()
    flow.send(flow.fake.event("checkout.session.completed", session))
    sessions_before = len(flow.fake.calls("POST", "/v1/checkout/sessions"))
    response = flow.post("/billing/checkout")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(flow.fake.url + "/p/session/")
    assert len(flow.fake.calls("POST", "/v1/checkout/sessions")) == sessions_before


def test_account_panel_shows_plan_status_and_renewal(flow):
    panel = flow.client.get("/account").get_data(as_text=True)
    assert 'id="billing-panel"' in panel
    assert re.search(r'id="billing-plan">\s*Free', panel)
    assert 'action="/billing/checkout"' in panel and 'name="csrf_token"' in panel
    assert 'action="/billing/portal"' not in panel
    session, subscription = flow.subscribe()
    flow.send(flow.fake.event("checkout.session.completed", session))
    panel = flow.client.get("/account").get_data(as_text=True)
    assert re.search(r'id="billing-plan">\s*Analyst', panel)
    assert re.search(r'id="billing-status" data-status="active">\s*Active', panel)
    from datetime import datetime, timezone

    renews = datetime.fromtimestamp(subscription["items"]["data"][0]["current_period_end"], timezone.utc)
    assert "Renews on" in panel and renews.strftime("%d %b %Y") in panel
    assert 'action="/billing/portal"' in panel and 'action="/billing/checkout"' not in panel


def test_stripe_down_at_checkout_shows_an_error_and_stores_nothing(tmp_path, real_data_dir, fake_stripe):
    app = make_app(tmp_path, real_data_dir, **{**stripe_settings(fake_stripe),
                                               "STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}"})
    flow = Flow(app, fake_stripe)
    response = flow.post("/billing/checkout")
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "payment provider is unreachable" in text and "nothing was changed" in text
    assert flow.user()["stripe_customer_id"] is None


# ----- without Stripe keys -----


@pytest.fixture
def unconfigured(tmp_path, real_data_dir, fake_stripe, monkeypatch):
    """Return a Flow on an app with no Stripe settings at all."""
    for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_ID", "STRIPE_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    return Flow(make_app(tmp_path, real_data_dir), fake_stripe)


def test_without_keys_the_app_runs_and_buttons_explain(unconfigured):
    calls_before = len(unconfigured.fake.requests)
    for path in ("/billing/checkout", "/billing/portal"):
        response = unconfigured.post(path)
        assert response.status_code == 503
        assert "Billing is not configured" in response.get_data(as_text=True)
    panel = unconfigured.client.get("/account").get_data(as_text=True)
    assert 'id="billing-not-configured"' in panel and "Billing is not configured" in panel
    assert 'action="/billing/checkout"' not in panel
    assert unconfigured.client.post("/billing/webhook", data="{}").status_code == 503
    assert unconfigured.client.get("/healthz").status_code == 200
    assert len(unconfigured.fake.requests) == calls_before


def test_without_keys_an_admin_grant_still_gives_access(tmp_path, real_data_dir, fake_stripe, monkeypatch):
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    flow = Flow(make_app(tmp_path, real_data_dir), fake_stripe, access_granted=True)
    assert flow.access()
    page = flow.client.get("/account").get_data(as_text=True)
    assert "granted by an administrator" in page
    # One plan on the page: the granted one, never "Free" or "No subscription" beside it.
    assert not re.search(r'id="billing-plan">\s*Free', page) and "No subscription" not in page


# ----- the pricing section on the landing page -----


def _pricing_html(app, user_id=None):
    """Return the landing page's pricing action rendered for a user (or anonymous) as text."""
    import flask_login
    import plotly

    import registry
    from models.accounts import User
    from extensions import db

    [landing] = [p for p in registry.of(app).dash_pages.values() if p["path"] == "/"]
    with app.test_request_context("/"):
        if user_id is not None:
            flask_login.login_user(db.session.get(User, user_id))
        return json.dumps(landing["layout"](), cls=plotly.utils.PlotlyJSONEncoder)


def test_pricing_offers_signup_to_visitors_and_checkout_to_users(flow):
    anonymous = _pricing_html(flow.app)
    assert "/signup" in anonymous and "/billing/checkout" not in anonymous
    logged_in = _pricing_html(flow.app, flow.user_id)
    assert "/billing/checkout" in logged_in and '"method": "POST"' in logged_in
    assert "csrf_token" in logged_in and "landing-checkout" in logged_in


def test_pricing_explains_when_billing_is_not_configured(unconfigured):
    text = _pricing_html(unconfigured.app, unconfigured.user_id)
    assert "Billing is not configured" in text and "/billing/checkout" not in text
