"""The Stripe API client of the current app, built from its configuration."""
from flask import current_app

import registry


class BillingNotConfigured(RuntimeError):
    """Raised when a Stripe call is needed but no keys are configured."""


def configured(app=None):
    """Return True when checkout can run: a secret key and a price are set."""
    config = (app or current_app).config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_PRICE_ID"))


def api_configured(app=None):
    """Return True when Stripe API calls can be made (a secret key is set)."""
    return bool((app or current_app).config.get("STRIPE_SECRET_KEY"))


def client():
    """Return the app's StripeClient; its base URL is per app, never global."""
    import stripe  # here, not at the top: workers serving charts never load the 7 MB SDK

    config = current_app.config
    key = config.get("STRIPE_SECRET_KEY")
    if not key:
        raise BillingNotConfigured("STRIPE_SECRET_KEY is not set")
    base = config.get("STRIPE_API_BASE") or None
    slots = registry.current()
    cached = slots.stripe
    if cached is None or cached[0] != (key, base):
        stripe_client = stripe.StripeClient(
            api_key=key,
            base_addresses={"api": base} if base else None,
            max_network_retries=2,
        )
        cached = ((key, base), stripe_client)
        slots.stripe = cached
    return cached[1]


def team_configured(app=None):
    """Return True when the Team plan can be bought: a secret key and a per-seat price are set."""
    config = (app or current_app).config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_TEAM_PRICE_ID"))


UNREACHABLE = "The payment provider is unreachable just now, so nothing was changed. Try again in a few minutes."
REFUSED = "The payment provider refused the request, so nothing was changed. Try again, or contact support."


def provider_problem(exc):
    """Return (HTTP status, message) for a failed Stripe call: 503 when Stripe cannot be reached, else 502."""
    import stripe  # here, not at the top: see client()

    if isinstance(exc, (stripe.APIConnectionError, stripe.RateLimitError)) or (exc.http_status or 0) >= 500:
        return 503, UNREACHABLE
    return 502, REFUSED
