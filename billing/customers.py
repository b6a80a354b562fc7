"""One Stripe customer per user, even when checkout is clicked twice at once."""
import hashlib

from sqlalchemy import select, update

from auth.models import User
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


def _idempotency_key(user):
    """Return a key that names this user's one customer creation."""
    created = user.created_at.isoformat() if user.created_at else ""
    digest = hashlib.sha256(f"{user.id}|{user.email}|{created}".encode()).hexdigest()[:32]
    return f"beanflows-customer-{digest}"


def _find_existing(stripe_client, user):
    """Return the id of a customer made for this user earlier, if Stripe has one."""
    found = stripe_client.v1.customers.list(params={"email": user.email, "limit": 10})
    for customer in found.data:
        if (customer.get("metadata") or {}).get("user_id") == str(user.id):
            return customer.id
    return None


def ensure_customer(user_id):
    """Return the user's Stripe customer id, creating the customer once."""
    try:
        user = lock_user(user_id)
        if user.stripe_customer_id:
            db.session.commit()
            return user.stripe_customer_id
        stripe_client = client()
        customer_id = _find_existing(stripe_client, user)
        if customer_id is None:
            customer = stripe_client.v1.customers.create(
                params={"email": user.email, "metadata": {"user_id": str(user.id)}},
                options={"idempotency_key": _idempotency_key(user)},
            )
            customer_id = customer.id
        user.stripe_customer_id = customer_id
        db.session.commit()
        return customer_id
    except Exception:
        db.session.rollback()
        raise
