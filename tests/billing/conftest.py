"""Billing fixtures: the fake Stripe API, apps pointed at it, users, signed deliveries."""
import json
import time

import pytest

from tests.billing.fake_stripe import FakeStripe, sign
from tests.conftest import base_config

WEBHOOK_SECRET = "whsec_test_beanflows_0123456789abcdef"
API_KEY = "sk_test_beanflows_fake"
PRICE_ID = "price_test_analyst"
TEAM_PRICE_ID = "price_test_team"
# Return URLs come from this setting, never from the Host the test client sends (localhost).
BASE_URL = "http://shop.beanflows.example"


@pytest.fixture(scope="session")
def fake_stripe():
    """Return a fake Stripe API serving on a free loopback port for the session."""
    fake = FakeStripe(api_key=API_KEY, price_id=PRICE_ID, team_price_id=TEAM_PRICE_ID).start()
    yield fake
    fake.stop()


def stripe_settings(fake):
    """Return the STRIPE_* settings that point the app at fake."""
    return {
        "STRIPE_SECRET_KEY": API_KEY,
        "STRIPE_PRICE_ID": PRICE_ID,
        "STRIPE_TEAM_PRICE_ID": TEAM_PRICE_ID,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": fake.url,
    }


def make_app(tmp_path, data_dir, **overrides):
    """Return a migrated app with its own users database and the given settings."""
    from flask_migrate import upgrade

    from app import create_app
    from tests.harness.databases import copy_migrated, sqlite_path

    config = {**base_config(tmp_path, data_dir), **overrides}
    url = config["SQLALCHEMY_DATABASE_URI"]
    fresh_file = sqlite_path(url) is not None and not sqlite_path(url).exists()
    if fresh_file:
        copy_migrated(url)
    application = create_app(config)
    if not fresh_file:
        with application.app_context():
            upgrade()
    return application


@pytest.fixture
def billing_app(tmp_path, real_data_dir, fake_stripe):
    """Return an app whose Stripe SDK talks to the fake."""
    return make_app(tmp_path, real_data_dir, BASE_URL=BASE_URL, **stripe_settings(fake_stripe))


@pytest.fixture
def billing_client(billing_app):
    """Return a test client of billing_app."""
    return billing_app.test_client()


def add_user(app, email, **fields):
    """Insert a user straight into app's database and return its id."""
    from models.accounts import User
    from extensions import db

    with app.app_context():
        user = User(email=email, password_hash="!unusable", **fields)
        db.session.add(user)
        db.session.commit()
        return user.id


def get_user(app, user_id):
    """Return a detached copy of the user's row as a dict."""
    from models.accounts import User
    from extensions import db

    with app.app_context():
        user = db.session.get(User, user_id)
        return {c.name: getattr(user, c.name) for c in User.__table__.columns}


def login(client, app, user_id):
    """Log user_id in on client by writing the Flask-Login session."""
    from models.accounts import User
    from extensions import db

    from auth import login_sessions

    with app.app_context():
        user = db.session.get(User, user_id)
        login_sessions.start(user)
        db.session.commit()
        session_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def csrf_token(client):
    """Return a CSRF token bound to client's session."""
    from flask_wtf.csrf import generate_csrf

    with client.application.test_request_context():
        with client.session_transaction() as session:
            from flask import session as request_session

            request_session.update(session)
            token = generate_csrf()
            session.update(request_session)
    return token


def deliver(client, event, secret=WEBHOOK_SECRET, timestamp=None, payload=None, header=None):
    """POST an event to /billing/webhook signed as Stripe signs it; return the response."""
    body = payload if payload is not None else json.dumps(event, indent=2)
    signature = header if header is not None else sign(body, secret, timestamp)
    return client.post("/billing/webhook", data=body, headers={"Stripe-Signature": signature,
                                                               "Content-Type": "application/json"})


def now():
    """Return the current Unix time in seconds."""
    return int(time.time())
