"""Stripe billing: checkout, portal, webhook, subscription state."""
from billing import models  # noqa: F401  (registers the tables)


def init_app(app):
    """Register the billing routes on app."""
