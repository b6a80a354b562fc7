"""Stripe billing: checkout, portal, webhook, subscription state."""
from models import stripe_events  # noqa: F401  (registers the tables)

# The site layout when the accounts package provides one, else a plain one.
LAYOUTS = ["auth/layout.html", "billing/_layout.html"]


def init_app(app):
    """Register the billing routes and template helpers on app."""
    from billing import routes
    from billing.client import configured
    from models.plan import subscription_summary
    from extensions import csrf

    # Stripe signs webhooks; it cannot send a CSRF token.
    csrf.exempt(routes.webhook)
    app.register_blueprint(routes.bp)
    app.jinja_env.globals.update(
        billing_summary=lambda user: subscription_summary(user, with_team=True),
        billing_configured=configured,
        billing_layout=lambda: app.jinja_env.select_template(LAYOUTS),
    )
