"""Signed webhooks: verification, idempotency, and out-of-order events, checked through the gate."""
import json
import logging
from datetime import datetime, timezone

import pytest

from tests.billing.conftest import WEBHOOK_SECRET, deliver, make_app, now, stripe_settings
from tests.billing.fake_stripe import sign
from tests.billing.flow import Flow


@pytest.fixture
def flow(billing_app, fake_stripe):
    """Return a free user on a Stripe-configured app."""
    return Flow(billing_app, fake_stripe)


def created_event(flow, subscription, at):
    """Return customer.subscription.created for subscription at time `at`."""
    return flow.fake.event("customer.subscription.created", subscription, created=at)


# ----- signature verification -----


def test_valid_signature_applies_the_event_and_opens_the_gate(flow):
    session, subscription = flow.subscribe()
    assert not flow.access()
    assert flow.send(flow.fake.event("checkout.session.completed", session)) == "applied"
    user = flow.user()
    assert (user["subscription_status"], user["stripe_subscription_id"]) == ("active", subscription["id"])
    assert user["subscription_plan"] == "Analyst"
    period_end = subscription["items"]["data"][0]["current_period_end"]
    assert user["current_period_end"].replace(tzinfo=timezone.utc) == datetime.fromtimestamp(period_end, timezone.utc)
    assert flow.access()


@pytest.mark.parametrize("attack", ["tampered", "wrong_secret", "stale", "future", "missing", "garbage", "no_v1"])
def test_bad_signatures_are_refused_and_change_nothing(flow, attack):
    _, subscription = flow.subscribe()
    event = created_event(flow, subscription, now())
    body = json.dumps(event)
    before = flow.user()
    if attack == "tampered":
        # Signed by Stripe, then altered on the way.
        header = sign(body, WEBHOOK_SECRET)
        body = body.replace('"active"', '"trialing"')
        response = deliver(flow.client, event, payload=body, header=header)
    elif attack == "wrong_secret":
        response = deliver(flow.client, event, secret="whsec_someone_else")
    elif attack == "stale":
        response = deliver(flow.client, event, timestamp=now() - 3600)
    elif attack == "future":
        response = deliver(flow.client, event, timestamp=now() + 3600)
    elif attack == "missing":
        response = flow.client.post("/billing/webhook", data=body, content_type="application/json")
    elif attack == "garbage":
        response = deliver(flow.client, event, header="t=abc,v1=zzz")
    else:
        response = deliver(flow.client, event, header=sign(body, WEBHOOK_SECRET).replace("v1=", "v0="))
    assert response.status_code == 400
    assert "error" in response.get_json()
    assert flow.user() == before
    assert flow.events_recorded() == []
    assert not flow.access()


@pytest.mark.parametrize("damage", [
    lambda e: e.pop("id"), lambda e: e.pop("created"), lambda e: e.pop("data"), lambda e: e.pop("type"),
    lambda e: e.update(created="yesterday"), lambda e: e.update(id=12), lambda e: e.update(data=[]),
    lambda e: e["data"].update(object="sub_123"),
], ids=["no_id", "no_created", "no_data", "no_type", "text_created", "int_id", "list_data", "str_object"])
def test_signed_but_malformed_events_get_400_and_change_nothing(flow, damage):
    _, subscription = flow.subscribe()
    event = created_event(flow, subscription, now())
    damage(event)
    before = flow.user()
    response = deliver(flow.client, event)
    assert response.status_code == 400
    assert "event has no" in response.get_json()["error"]
    assert flow.user() == before
    assert flow.events_recorded() == []


def test_webhook_decisions_are_logged_with_their_reason(flow, caplog):
    _, subscription = flow.subscribe()
    event = created_event(flow, subscription, now())
    broken = {k: v for k, v in event.items() if k != "created"}
    with caplog.at_level(logging.INFO, logger="billing.routes"):
        assert deliver(flow.client, broken).status_code == 400
        assert deliver(flow.client, event).status_code == 200
    refused, handled = [r for r in caplog.records if r.name == "billing.routes"]
    assert refused.message == "webhook refused" and refused.reason == "event has no created time"
    assert handled.message == "webhook handled" and handled.outcome and handled.event_id == event["id"]


def test_signature_covers_the_exact_raw_body(flow):
    """Re-serialising the JSON (other whitespace) breaks the signature, as at Stripe."""
    _, subscription = flow.subscribe()
    event = created_event(flow, subscription, now())
    signed_body = json.dumps(event, indent=2)
    header = sign(signed_body, WEBHOOK_SECRET)
    assert deliver(flow.client, event, payload=json.dumps(event), header=header).status_code == 400
    assert deliver(flow.client, event, payload=signed_body, header=header).status_code == 200
    assert flow.access()


def test_webhook_needs_no_csrf_token_but_checkout_does(flow):
    sessions_before = len(flow.fake.calls("POST", "/v1/checkout/sessions"))
    assert flow.client.post("/billing/checkout").status_code == 400
    assert len(flow.fake.calls("POST", "/v1/checkout/sessions")) == sessions_before
    _, subscription = flow.subscribe()
    assert flow.send(created_event(flow, subscription, now())) == "applied"


def test_unconfigured_webhook_secret_refuses(tmp_path, real_data_dir, fake_stripe):
    app = make_app(tmp_path, real_data_dir, **{**stripe_settings(fake_stripe), "STRIPE_WEBHOOK_SECRET": None})
    flow = Flow(app, fake_stripe)
    _, subscription = flow.subscribe()
    assert flow.send(created_event(flow, subscription, now()), expect=503)
    assert flow.events_recorded() == []
    assert not flow.access()


# ----- idempotency -----


def test_duplicate_delivery_is_acknowledged_and_ignored(flow):
    _, subscription = flow.subscribe()
    t0 = now() - 100
    created = created_event(flow, subscription, t0)
    assert flow.send(created) == "applied"
    assert flow.access()

    flow.fake.update_subscription(subscription["id"], status="canceled", ended_at=t0 + 50, canceled_at=t0 + 50)
    deleted = flow.fake.event("customer.subscription.deleted", flow.fake.subscriptions[subscription["id"]], created=t0 + 50)
    assert flow.send(deleted) == "applied"
    assert not flow.access()

    fetches = len(flow.fake.calls("GET", "/v1/subscriptions/"))
    # Stripe retries the old "created" delivery (a fresh signature, same event id).
    assert flow.send(created) == "duplicate"
    assert flow.send(deleted) == "duplicate"
    assert len(flow.fake.calls("GET", "/v1/subscriptions/")) == fetches
    assert sorted(flow.events_recorded()) == sorted([created["id"], deleted["id"]])
    assert flow.user()["subscription_status"] == "canceled"
    assert not flow.access()


# ----- out of order and late events -----


def test_updated_before_created(flow):
    _, subscription = flow.subscribe()
    t0 = now() - 100
    created = created_event(flow, subscription, t0)
    current = flow.fake.update_subscription(subscription["id"], cancel_at_period_end=True)
    updated = flow.fake.event("customer.subscription.updated", current, created=t0 + 5)
    assert flow.send(updated) == "applied"
    assert flow.send(created) == "stale"
    user = flow.user()
    assert (user["subscription_status"], user["cancel_at_period_end"], user["subscription_updated_at"]) == ("active", True, t0 + 5)
    assert flow.access()
    page = flow.client.get("/account").get_data(as_text=True)
    assert "Ends on" in page


def test_deleted_then_a_late_updated(flow):
    _, subscription = flow.subscribe()
    t0 = now() - 100
    active_snapshot = flow.fake.update_subscription(subscription["id"])
    assert flow.send(created_event(flow, subscription, t0)) == "applied"
    assert flow.access()
    ended = flow.fake.update_subscription(subscription["id"], status="canceled", ended_at=t0 + 60, canceled_at=t0 + 60)
    assert flow.send(flow.fake.event("customer.subscription.deleted", ended, created=t0 + 60)) == "applied"
    assert not flow.access()
    # An "updated" from before the cancellation, showing the subscription active, arrives last.
    assert flow.send(flow.fake.event("customer.subscription.updated", active_snapshot, created=t0 + 30)) == "stale"
    assert flow.user()["subscription_status"] == "canceled"
    assert not flow.access()


def test_snapshot_alone_never_regresses_when_stripe_has_no_copy(flow):
    """With no subscription to re-fetch, the event times alone keep the newest state."""
    _, subscription = flow.subscribe()
    t0 = now() - 100
    active = flow.fake.update_subscription(subscription["id"])
    canceled = flow.fake.update_subscription(subscription["id"], status="canceled", ended_at=t0 + 60)
    del flow.fake.subscriptions[subscription["id"]]
    assert flow.send(flow.fake.event("customer.subscription.created", active, created=t0)) == "applied"
    assert flow.access()
    assert flow.send(flow.fake.event("customer.subscription.deleted", canceled, created=t0 + 60)) == "applied"
    assert flow.send(flow.fake.event("customer.subscription.updated", active, created=t0 + 30)) == "stale"
    assert flow.user()["subscription_status"] == "canceled"
    assert not flow.access()


def test_late_event_is_answered_with_stripes_current_state(flow):
    """A stale snapshot is not trusted: the app stores what Stripe holds now."""
    _, subscription = flow.subscribe()
    t0 = now() - 100
    old_active = flow.fake.update_subscription(subscription["id"])
    flow.fake.update_subscription(subscription["id"], status="unpaid")
    # The first event the app ever sees is an old one claiming "active".
    assert flow.send(flow.fake.event("customer.subscription.updated", old_active, created=t0)) == "applied"
    assert flow.user()["subscription_status"] == "unpaid"
    assert not flow.access()


def test_payment_failed_then_paid(flow):
    _, subscription = flow.subscribe()
    t0 = now() - 100
    assert flow.send(created_event(flow, subscription, t0)) == "applied"
    flow.fake.update_subscription(subscription["id"], status="past_due")
    failed = flow.fake.event("invoice.payment_failed", flow.fake.invoice(subscription["id"], "open"), created=t0 + 10)
    assert flow.send(failed) == "applied"
    user = flow.user()
    assert user["subscription_status"] == "past_due"
    assert user["past_due_since"].replace(tzinfo=timezone.utc) == datetime.fromtimestamp(t0 + 10, timezone.utc)
    assert flow.access(), "past_due keeps access inside the grace period"
    assert "Payment failed" in flow.client.get("/account").get_data(as_text=True)

    flow.fake.update_subscription(subscription["id"], status="active")
    paid = flow.fake.event("invoice.paid", flow.fake.invoice(subscription["id"], "paid"), created=t0 + 20)
    assert flow.send(paid) == "applied"
    user = flow.user()
    assert (user["subscription_status"], user["past_due_since"]) == ("active", None)
    assert flow.access()


def test_paid_arriving_before_an_older_payment_failed(flow):
    _, subscription = flow.subscribe()
    t0 = now() - 100
    flow.fake.update_subscription(subscription["id"], status="active")
    paid = flow.fake.event("invoice.paid", flow.fake.invoice(subscription["id"], "paid"), created=t0 + 20)
    failed = flow.fake.event("invoice.payment_failed", flow.fake.invoice(subscription["id"], "open"), created=t0 + 10)
    assert flow.send(paid) == "applied"
    assert flow.send(failed) == "stale"
    assert (flow.user()["subscription_status"], flow.user()["past_due_since"]) == ("active", None)
    assert flow.access()


def test_past_due_beyond_the_grace_period_loses_access(tmp_path, real_data_dir, fake_stripe):
    app = make_app(tmp_path, real_data_dir, **stripe_settings(fake_stripe), PAST_DUE_GRACE_DAYS=2)
    flow = Flow(app, fake_stripe)
    _, subscription = flow.subscribe()
    three_days_ago = now() - 3 * 24 * 3600
    flow.fake.update_subscription(subscription["id"], status="past_due")
    # Stripe kept retrying this delivery for three days; the failure itself is that old.
    failed = flow.fake.event("invoice.payment_failed", flow.fake.invoice(subscription["id"], "open"), created=three_days_ago)
    assert flow.send(failed) == "applied"
    assert flow.user()["subscription_status"] == "past_due"
    assert not flow.access()


@pytest.mark.parametrize("status", ["unpaid", "incomplete_expired", "canceled"])
def test_ending_statuses_remove_access(flow, status):
    _, subscription = flow.subscribe()
    t0 = now() - 100
    assert flow.send(created_event(flow, subscription, t0)) == "applied"
    assert flow.access()
    current = flow.fake.update_subscription(subscription["id"], status=status, ended_at=t0 + 10)
    assert flow.send(flow.fake.event("customer.subscription.updated", current, created=t0 + 10)) == "applied"
    assert not flow.access()


def test_paused_then_resumed(flow):
    _, subscription = flow.subscribe()
    t0 = now() - 100
    assert flow.send(created_event(flow, subscription, t0)) == "applied"
    paused = flow.fake.update_subscription(subscription["id"], status="paused")
    assert flow.send(flow.fake.event("customer.subscription.paused", paused, created=t0 + 10)) == "applied"
    assert not flow.access()
    resumed = flow.fake.update_subscription(subscription["id"], status="active")
    assert flow.send(flow.fake.event("customer.subscription.resumed", resumed, created=t0 + 20)) == "applied"
    assert flow.access()


def test_admin_grant_survives_a_cancellation(tmp_path, real_data_dir, fake_stripe):
    app = make_app(tmp_path, real_data_dir, **stripe_settings(fake_stripe))
    flow = Flow(app, fake_stripe, access_granted=True)
    _, subscription = flow.subscribe()
    t0 = now() - 100
    ended = flow.fake.update_subscription(subscription["id"], status="canceled", ended_at=t0)
    assert flow.send(flow.fake.event("customer.subscription.deleted", ended, created=t0)) == "applied"
    assert flow.user()["subscription_status"] == "canceled"
    assert flow.access()


def test_a_dead_second_subscription_does_not_hide_the_live_one(flow):
    _, live = flow.subscribe()
    t0 = now() - 100
    assert flow.send(created_event(flow, live, t0)) == "applied"
    customer = flow.user()["stripe_customer_id"]
    stray = flow.fake.create_subscription(customer, status="incomplete_expired")
    assert flow.send(flow.fake.event("customer.subscription.updated", stray, created=t0 + 10)) == "ignored"
    assert flow.user()["stripe_subscription_id"] == live["id"]
    assert flow.access()


def test_unknown_customer_and_unhandled_types_are_acknowledged(flow):
    stranger = flow.fake.create_subscription("cus_test_nobody")
    assert flow.send(flow.fake.event("customer.subscription.created", stranger)) == "no user"
    assert flow.send(flow.fake.event("charge.refunded", {"id": "ch_test_1", "object": "charge"})) == "ignored"
    assert len(flow.events_recorded()) == 2
    assert flow.user()["subscription_status"] is None
    assert not flow.access()


def test_stripe_unreachable_during_a_webhook_records_nothing_so_the_retry_applies(tmp_path, real_data_dir, fake_stripe):
    from tests.conftest import free_port

    settings = {**stripe_settings(fake_stripe)}
    broken = make_app(tmp_path, real_data_dir, **{**settings, "STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}"})
    flow = Flow(broken, fake_stripe)
    # The customer and session come from the fake directly; the app's own API base is dead.
    customer = fake_stripe.dispatch("POST", "/v1/customers", {}, {"email": "payer@example.com"},
                                    {"Authorization": f"Bearer {fake_stripe.api_key}"})[1]
    with broken.app_context():
        from models.accounts import User
        from extensions import db

        db.session.get(User, flow.user_id).stripe_customer_id = customer["id"]
        db.session.commit()
    subscription = fake_stripe.create_subscription(customer["id"])
    event = created_event(flow, subscription, now())
    refused = deliver(flow.client, event)
    # 5xx, so Stripe delivers the event again; the reason is given, never a bare 500.
    assert refused.status_code == 503 and "payment provider is unreachable" in refused.get_json()["error"]
    assert flow.events_recorded() == []
    broken.config["STRIPE_API_BASE"] = fake_stripe.url
    assert flow.send(event) == "applied"
    assert flow.access()


def deliver_concurrently(app, event, copies=2):
    """Deliver the same signed event from several threads at once; return the outcomes."""
    import threading

    barrier = threading.Barrier(copies)
    outcomes = [None] * copies

    def send(i):
        client = app.test_client()
        barrier.wait()
        response = deliver(client, event)
        outcomes[i] = (response.status_code, response.get_json().get("outcome"))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_simultaneous_duplicate_deliveries_apply_once(flow):
    session, _ = flow.subscribe()
    event = flow.fake.event("checkout.session.completed", session)
    outcomes = deliver_concurrently(flow.app, event)
    assert sorted(outcomes) == [(200, "applied"), (200, "duplicate")]
    assert flow.events_recorded() == [event["id"]]
    assert flow.access()


@pytest.mark.postgres
def test_out_of_order_and_duplicates_on_postgres(tmp_path, real_data_dir, fake_stripe, postgres_database):
    app = make_app(tmp_path, real_data_dir, **stripe_settings(fake_stripe), SQLALCHEMY_DATABASE_URI=postgres_database())
    flow = Flow(app, fake_stripe)
    session, subscription = flow.subscribe()
    t0 = now() - 100
    completed = flow.fake.event("checkout.session.completed", session, created=t0)
    assert sorted(deliver_concurrently(app, completed)) == [(200, "applied"), (200, "duplicate")]
    assert flow.access()
    active_snapshot = flow.fake.update_subscription(subscription["id"])
    ended = flow.fake.update_subscription(subscription["id"], status="canceled", ended_at=t0 + 60)
    assert flow.send(flow.fake.event("customer.subscription.deleted", ended, created=t0 + 60)) == "applied"
    assert flow.send(flow.fake.event("customer.subscription.updated", active_snapshot, created=t0 + 30)) == "stale"
    assert flow.user()["subscription_status"] == "canceled"
    assert not flow.access()


def test_price_quantity_and_dates_are_recorded_for_mrr_and_churn(flow):
    session, subscription = flow.subscribe()
    assert flow.send(flow.fake.event("checkout.session.completed", session)) == "applied"
    item = subscription["items"]["data"][0]
    user = flow.user()
    assert (user["subscription_price_id"], user["subscription_unit_amount"], user["subscription_currency"],
            user["subscription_interval"], user["subscription_interval_count"], user["subscription_quantity"]) == (
        item["price"]["id"], item["price"]["unit_amount"], item["price"]["currency"],
        item["price"]["recurring"]["interval"], item["price"]["recurring"]["interval_count"], item["quantity"])
    assert user["subscription_started_at"].replace(tzinfo=timezone.utc) == datetime.fromtimestamp(
        subscription["start_date"], timezone.utc)
    assert user["subscription_ended_at"] is None
    with flow.fake._lock:
        flow.fake.subscriptions[subscription["id"]]["items"]["data"][0]["quantity"] = 4
    ended_at = now() + 60
    ended = flow.fake.update_subscription(subscription["id"], status="canceled", ended_at=ended_at)
    assert flow.send(flow.fake.event("customer.subscription.deleted", ended, created=now() + 61)) == "applied"
    user = flow.user()
    assert user["subscription_quantity"] == 4
    assert user["subscription_ended_at"].replace(tzinfo=timezone.utc) == datetime.fromtimestamp(ended_at, timezone.utc)
