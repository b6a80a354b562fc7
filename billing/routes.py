"""Billing routes: checkout, customer portal, the post-checkout pages and the webhook."""
import hashlib
import logging
import time

from flask import Blueprint, current_app, jsonify, redirect, render_template, request
from flask_login import current_user, login_required

from auth.access import PUBLIC, USER, requires
from billing import webhook as webhooks
from billing.client import api_configured, client, configured, provider_problem, team_configured
from billing.customers import ensure_customer
from billing.forms import TeamCheckoutForm
from billing.team_subscriptions import PLAN as TEAM_PLAN
from links import base_url, external_url
from models.entitlement import has_live_subscription, is_subscriber, subscription_grants_access
from models.teams import membership

log = logging.getLogger(__name__)

bp = Blueprint("billing", __name__, url_prefix="/billing", template_folder="templates")

# Clicks inside one window reuse one Checkout Session (Stripe idempotency).
CHECKOUT_WINDOW_SECONDS = 600


def _not_configured():
    """Return the page that says billing is not set up on this server."""
    return render_template("billing/not_configured.html"), 503


def _provider_error(exc):
    """Return the page shown when Stripe cannot be reached (503) or refuses a call (502): nothing was changed."""
    log.error("stripe call failed: %s", exc)
    status, message = provider_problem(exc)
    headers = {"Retry-After": "60"} if status == 503 else {}
    return render_template("billing/provider_error.html", message=message), status, headers


def _checkout_key(customer_id, price_id, *choices):
    """Return the idempotency key shared by checkout clicks (with the same choices) in the same window."""
    window = int(time.time()) // CHECKOUT_WINDOW_SECONDS
    raw = "|".join(map(str, (customer_id, price_id, window, base_url(current_app.config), *choices)))
    return "beanflows-checkout-" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _account_url():
    """Return the absolute URL of the account page, where the portal returns to."""
    return external_url("auth.account")


def _portal_session(customer_id):
    """Return a Stripe customer portal session for customer_id."""
    return client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": _account_url()}
    )


@bp.post("/checkout")
@requires(USER)
@login_required
def checkout():
    """Send the user to Stripe Checkout for the configured plan (303)."""
    from stripe import StripeError  # here, not at the top: see billing.client.client()

    if request.form.get("plan") == TEAM_PLAN:
        return _team_checkout()
    if not configured():
        return _not_configured()
    try:
        if subscription_grants_access(current_user) and current_user.stripe_customer_id:
            # Already paying: manage the subscription instead of buying a second one.
            return redirect(_portal_session(current_user.stripe_customer_id).url, code=303)
        return _to_checkout(current_app.config["STRIPE_PRICE_ID"], 1, {"user_id": str(current_user.id)})
    except StripeError as exc:
        return _provider_error(exc)


def _to_checkout(price_id, quantity, metadata, *key_parts):
    """Create a Checkout session of quantity x price_id for the current user as customer; redirect to it (303)."""
    customer_id = ensure_customer(current_user.id)
    session = client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(current_user.id),
            "line_items": [{"price": price_id, "quantity": quantity}],
            "success_url": external_url("billing.success") + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": external_url("billing.cancel"),
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        },
        options={"idempotency_key": _checkout_key(customer_id, price_id, *key_parts)},
    )
    return redirect(session.url, code=303)


def _team_page(form, status=200, error=None):
    """Render the Team plan's checkout form: the team it pays for, or why it cannot be bought."""
    blocker, paid_for = _team_blocker()
    return render_template("billing/team.html", form=form, error=error or blocker, paid_for=paid_for,
                           configured=team_configured()), status


def _team_blocker():
    """Return (reason, the team paid for or None): why the user cannot buy a Team plan, else the team it pays for
    (the team the buyer owns; None: a new team with the buyer as owner)."""
    member = membership(current_user.id)
    if member is None:
        return None, None
    team = member.team
    if member.role != "owner":
        return (f"You are already in the team {team.name} (as {member.role}): manage it on the team page, or leave "
                "it before buying another."), None
    if has_live_subscription(team):
        return (f"{team.name} already pays through a live Team subscription "
                f"({(team.subscription_status or '').replace('_', ' ')}, {team.seats} seats): a second one would bill "
                "twice. Change its seats on the team page, or its payment method in the billing portal."), None
    return None, team  # the owner pays again for their team


@bp.get("/team")
@requires(USER)
def team_plan():
    """Show the Team plan: seats and team name, then Stripe Checkout."""
    return _team_page(TeamCheckoutForm(seats=3))


def _team_checkout():
    """Send the future owner to Stripe Checkout for the Team plan, quantity = seats (303)."""
    from stripe import StripeError  # here, not at the top: see billing.client.client()

    if not team_configured():
        return _not_configured()
    form = TeamCheckoutForm()
    if not form.validate_on_submit():
        return _team_page(form, 400)
    reason, renewed = _team_blocker()
    if reason:
        return _team_page(form, 409, error=reason)
    seats, name = form.seats.data, (form.team_name.data or "").strip()
    metadata = {"user_id": str(current_user.id), "plan": TEAM_PLAN, "team_name": name}
    if renewed is not None:
        metadata.update(team_id=str(renewed.id), team_name=renewed.name)
    try:
        return _to_checkout(current_app.config["STRIPE_TEAM_PRICE_ID"], seats, metadata,
                            seats, name, metadata.get("team_id"))
    except StripeError as exc:
        return _provider_error(exc)


@bp.post("/portal")
@requires(USER)
@login_required
def portal():
    """Send the user to the Stripe customer portal (303)."""
    from stripe import StripeError  # here, not at the top: see billing.client.client()

    if not api_configured():
        return _not_configured()
    if not current_user.stripe_customer_id:
        return render_template("billing/no_customer.html"), 409
    try:
        session = _portal_session(current_user.stripe_customer_id)
    except StripeError as exc:
        return _provider_error(exc)
    return redirect(session.url, code=303)


@bp.get("/success")
@requires(USER)
@login_required
def success():
    """Say payment is being confirmed; show access once the webhook has landed."""
    # Access comes only from the stored, webhook-fed state, never from this redirect.
    return render_template("billing/success.html", subscribed=is_subscriber(current_user))


@bp.get("/cancel")
@requires(USER)
@login_required
def cancel():
    """Tell the user checkout was cancelled and nothing was charged."""
    return render_template("billing/cancel.html")


@bp.post("/webhook")
@requires(PUBLIC)
def webhook():
    """Verify a Stripe webhook on its raw body and apply the event once."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        return jsonify(error="billing is not configured"), 503
    from stripe import StripeError  # here, not at the top: see billing.client.client()

    try:
        event = webhooks.verify(request.get_data(), request.headers.get("Stripe-Signature"), secret)
        outcome = webhooks.handle(event)
    except webhooks.BadShape as exc:
        log.warning("webhook refused", extra={"reason": str(exc)})
        webhooks.refused(exc)
        return jsonify(error=f"unexpected event shape: {exc}"), 400
    except webhooks.BadEvent as exc:
        log.warning("webhook refused", extra={"reason": str(exc)})
        return jsonify(error=f"invalid payload or signature: {exc}"), 400
    except StripeError as exc:
        # Stripe's current copy could not be read: nothing was stored; Stripe delivers the event again.
        log.error("webhook: stripe call failed: %s", exc)
        return jsonify(error=provider_problem(exc)[1]), 503
    log.info("webhook handled", extra={"event_id": event["id"], "event_type": event["type"], "outcome": outcome})
    return jsonify(received=True, outcome=outcome)
