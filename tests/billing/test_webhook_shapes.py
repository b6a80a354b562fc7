"""Signed events whose object has an unexpected shape: a 400 with the reason and an audit line, never a 500, and
nothing stored. Every handled event type is sent with its fields mutated (ids as numbers, lists where strings
belong, metadata as a string, objects without ids, null and missing fields)."""
import copy

import pytest

from extensions import db
from models.accounts import AuditLog
from models.stripe_events import StripeEvent
from models.teams import Team
from tests.billing.conftest import add_user, deliver, now

SUBSCRIPTION_TYPES = ["customer.subscription.created", "customer.subscription.updated",
                      "customer.subscription.deleted", "customer.subscription.paused",
                      "customer.subscription.resumed"]
MISSING = object()
# What Stripe never sends where a string id, a status or an object belongs.
WRONG = {"a number": 5, "a list": ["x"], "true": True, "a float": 1.5}
# Per object: (path, what belongs there) for each field the webhook reads.
FIELDS = {
    "subscription": [(("id",), "id"), (("status",), "text"), (("customer",), "expandable"),
                     (("metadata",), "metadata"), (("items",), "object"), (("items", "data"), "list"),
                     (("items", "data", 0, "quantity"), "count"), (("items", "data", 0, "price"), "object"),
                     (("items", "data", 0, "current_period_end"), "count"), (("cancel_at_period_end",), "flag"),
                     (("metadata", "plan"), "text"), (("start_date",), "count")],
    "session": [(("id",), "id"), (("mode",), "text"), (("subscription",), "expandable"),
                (("customer",), "expandable"), (("client_reference_id",), "text"), (("metadata",), "metadata"),
                (("metadata", "user_id"), "text")],
    "invoice": [(("id",), "id"), (("customer",), "expandable"), (("parent",), "object"),
                (("parent", "subscription_details"), "object"),
                (("parent", "subscription_details", "subscription"), "expandable"),
                (("parent", "subscription_details", "metadata"), "metadata")],
}
REQUIRED = {("id",), ("status",)}


def _mutations(kind):
    """Yield (label, path, value, must be refused) for every field of kind: wrong types, null and missing."""
    for path, belongs in FIELDS[kind]:
        wrong = dict(WRONG)
        if belongs in ("count", "flag"):
            wrong = {"a string": "3", "a list": [3], "an object": {"n": 3}}
        if belongs in ("object", "metadata", "list"):
            wrong = {**WRONG, "a string": "plan=team"}
        if belongs in ("id", "text", "expandable"):
            wrong = {**WRONG, "an object without an id": {"object": "customer"}}
        if belongs == "list":
            wrong.pop("a list")
            wrong["an object"] = {"quantity": 1}
        for label, value in wrong.items():
            yield f"{'.'.join(map(str, path))} as {label}", path, value, True
        for label, value in (("null", None), ("missing", MISSING)):
            yield f"{'.'.join(map(str, path))} {label}", path, value, path in REQUIRED


def _mutated(obj, path, value):
    """Return a deep copy of obj with the field at path set to value (removed for MISSING)."""
    changed = copy.deepcopy(obj)
    node = changed
    for step in path[:-1]:
        node = node[step]
    if value is MISSING:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return changed


@pytest.fixture
def bought(billing_app, fake_stripe):
    """Return (app, client, team subscription, checkout session, invoice) of a Team plan already applied."""
    user_id = add_user(billing_app, "shapes@example.com")
    customer = fake_stripe.dispatch("POST", "/v1/customers", {}, {"email": "shapes@example.com"},
                                    {"Authorization": f"Bearer {fake_stripe.api_key}"})[1]
    metadata = {"plan": "team", "user_id": str(user_id), "team_name": "Shapes"}
    subscription = fake_stripe.create_subscription(customer["id"], price_id=fake_stripe.team_price_id, quantity=3,
                                                   metadata=metadata)
    session = {"id": "cs_test_shapes", "object": "checkout.session", "mode": "subscription", "status": "complete",
               "customer": customer["id"], "subscription": subscription["id"], "client_reference_id": str(user_id),
               "metadata": metadata}
    client = billing_app.test_client()
    client.get("/healthz")
    response = deliver(client, fake_stripe.event("checkout.session.completed", session, created=now()))
    assert response.get_json()["outcome"] == "applied"
    return billing_app, client, subscription, session, fake_stripe.invoice(subscription["id"])


def _team(app):
    """Return the one team's stored state."""
    with app.app_context():
        (team,) = db.session.execute(db.select(Team)).scalars().all()
        return team.name, team.seats, team.subscription_status, team.stripe_subscription_id


# Every mutation for one event type of each object; the other types of the same object share its shape, and get a
# sample of the mutations (each type is still sent misshapen).
FULL = {"customer.subscription.updated", "checkout.session.completed", "invoice.paid"}
SAMPLE = {"id as a number", "customer as a list", "metadata as a string", "id null", "status missing",
          "parent as a string"}


@pytest.mark.parametrize("event_type", [*SUBSCRIPTION_TYPES, "checkout.session.completed", "invoice.paid",
                                        "invoice.payment_failed"])
def test_every_handled_event_type_with_a_misshapen_object_is_refused_and_audited(bought, fake_stripe, event_type):
    app, client, subscription, session, invoice = bought
    kind, obj = ("session", session) if event_type.startswith("checkout") else \
        ("invoice", invoice) if event_type.startswith("invoice") else ("subscription", subscription)
    before = _team(app)
    refused = []
    for label, path, value, must_refuse in _mutations(kind):
        if event_type not in FULL and label not in SAMPLE:
            continue
        event = fake_stripe.event(event_type, _mutated(obj, path, value), created=now() - 3600)
        response = deliver(client, event)
        assert response.status_code in (200, 400), (label, response.status_code, response.get_data(as_text=True))
        if must_refuse:
            assert response.status_code == 400, (label, response.get_json())
        if response.status_code == 400:
            assert "unexpected event shape" in response.get_json()["error"], label
            refused.append(event["id"])
    with app.app_context():
        details = db.session.execute(db.select(AuditLog.detail).where(AuditLog.action == "billing.webhook_refused")
                                     ).scalars().all()
        recorded = set(db.session.execute(db.select(StripeEvent.id)).scalars())
    assert all(any(event_id in detail for detail in details) for event_id in refused)
    assert not recorded & set(refused), "a refused event must be delivered again, not remembered"
    assert _team(app) == before


def test_the_reported_object_is_refused_and_the_whole_object_misshapen_too(bought, fake_stripe):
    app, client, *_ = bought
    odd = fake_stripe.event("customer.subscription.updated", {"id": 5, "customer": ["x"], "metadata": "plan=team"})
    response = deliver(client, odd)
    assert response.status_code == 400 and "unexpected event shape" in response.get_json()["error"]
    for obj in (["a", "list"], "text", None, 7):
        event = fake_stripe.event("invoice.paid", {})
        event["data"]["object"] = obj
        assert deliver(client, event).status_code == 400
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(AuditLog)
                                  .where(AuditLog.action == "billing.webhook_refused")).scalar_one() == 5
