"""One Stripe customer per user, even when checkout is clicked twice at once."""
import hashlib

from sqlalchemy import select, update

from models.accounts import User
from billing.client import client
from extensions import db


def lock_user(user_id):
    """Take the user's row lock for this transaction and return the fresh row."""
    # A no-op UPDATE locks the row on PostgreSQL and the database on SQLite,
    # so concurrent requests for one user run one after the other.
    db.session.execute(
        update(User).where(User.id == user_id).values(stripe_customer_id=User.stripe_customer_id)
    )
    return db.session.execute(
        select(User).where(User.id == user_id).execution_options(populate_existing=True)
    ).scalar_one()


def _idempotency_key(user, replacing=None):
    """Return a key that names this user's one customer creation (or its one replacement)."""
    created = user.created_at.isoformat() if user.created_at else ""
    raw = f"{user.id}|{user.email}|{created}|{replacing or ''}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"beanflows-customer-{digest}"


def _still_exists(stripe_client, customer_id):
    """Return True unless Stripe says the customer was deleted."""
    import stripe  # here, not at the top: see billing.client.client()

    try:
        customer = stripe_client.v1.customers.retrieve(customer_id)
    except stripe.InvalidRequestError as exc:
        if exc.code == "resource_missing":
            return False
        raise
    return not customer.to_dict().get("deleted")


def ensure_customer(user_id):
    """Return the user's Stripe customer id, creating the customer once."""
    try:
        user = lock_user(user_id)
        stripe_client = client()
        if user.stripe_customer_id and _still_exists(stripe_client, user.stripe_customer_id):
            db.session.commit()
            return user.stripe_customer_id
        customer = stripe_client.v1.customers.create(
            params={"email": user.email, "metadata": {"user_id": str(user.id)}},
            options={"idempotency_key": _idempotency_key(user, replacing=user.stripe_customer_id)},
        )
        user.stripe_customer_id = customer.id
        db.session.commit()
        return customer.id
    except Exception:
        db.session.rollback()
        raise
