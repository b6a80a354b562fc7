"""A user on a test app with the fake Stripe behind it, driven step by step."""
from urllib.parse import urlsplit

from extensions import db
from tests.billing.conftest import add_user, csrf_token, deliver, get_user, login
from tests.billing.gate import api_allows, has_subscriber_access


class Flow:
    """One logged-in user, their test client, and the fake Stripe account."""

    def __init__(self, app, fake, email="payer@example.com", **fields):
        self.app, self.fake = app, fake
        self.client = app.test_client()
        self.client.get("/healthz")
        self.user_id = add_user(app, email, **fields)
        login(self.client, app, self.user_id)

    def post(self, path):
        """POST a form with a valid CSRF token to path."""
        return self.client.post(path, data={"csrf_token": csrf_token(self.client)})

    def checkout(self):
        """Click Subscribe and return the Checkout Session id the app redirected to."""
        response = self.post("/billing/checkout")
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        location = response.headers["Location"]
        assert location.startswith(self.fake.url + "/c/pay/")
        return urlsplit(location).path.rsplit("/", 1)[1]

    def subscribe(self, status="active", now=None):
        """Check out and pay; return (session, subscription) as Stripe now holds them."""
        return self.fake.complete_checkout(self.checkout(), status=status, now=now)

    def send(self, event, expect=200, **signing):
        """Deliver a signed event and return the outcome the app reported."""
        response = deliver(self.client, event, **signing)
        assert response.status_code == expect, response.get_data(as_text=True)[:500]
        return response.get_json().get("outcome") if expect == 200 else response

    def user(self):
        """Return the stored user row as a dict."""
        return get_user(self.app, self.user_id)

    def events_recorded(self):
        """Return the ids of Stripe events the app has recorded."""
        from models.stripe_events import StripeEvent

        with self.app.app_context():
            return [e.id for e in db.session.execute(db.select(StripeEvent)).scalars()]

    def access(self):
        """Return whether the gate opens subscriber pages and the API to this user (they must agree)."""
        page = has_subscriber_access(self.client)
        api = api_allows(self.client)
        assert page == api, f"page gate says {page}, API gate says {api}"
        return page
