"""Sign-in fixtures: two real OpenID providers on loopback (a public one, a team's), apps that use them, people."""
import re

import pytest

from tests.conftest import PASSWORD, base_config
from tests.signin.provider import MockProvider

PUBLIC = "acme"  # the configured provider's name (OIDC_PROVIDERS)


@pytest.fixture(scope="session")
def public_idp():
    """Return the public provider the site configures, for the whole session."""
    provider = MockProvider()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def team_idp():
    """Return a team's own provider, for the whole session."""
    provider = MockProvider()
    yield provider
    provider.stop()


@pytest.fixture
def idps(public_idp, team_idp):
    """Return both providers, with nothing tampered (reset after each test)."""
    yield public_idp, team_idp
    public_idp.tamper = team_idp.tamper = None
    public_idp.issued.clear()
    team_idp.issued.clear()


def provider_setting(idp, name=PUBLIC):
    """Return OIDC_PROVIDERS naming idp."""
    return [{"name": name, "issuer": idp.issuer, "client_id": f"beanflows-{name}", "client_secret": f"{name}-secret"}]


def make_app(tmp_path, **config):
    """Return an in-process app on a fresh, migrated users database and an empty data dir."""
    from app import create_app
    from tests.harness.databases import copy_migrated

    settings = base_config(tmp_path, tmp_path / "data")
    copy_migrated(settings["SQLALCHEMY_DATABASE_URI"])
    settings.update(ARGON2_PROFILE="CHEAPEST", **config)
    return create_app(settings)


@pytest.fixture
def plain_app(tmp_path):
    """Return an app without providers (two-factor only)."""
    return make_app(tmp_path)


@pytest.fixture
def oidc_app(tmp_path, idps):
    """Return an app offering the public provider."""
    return make_app(tmp_path, OIDC_PROVIDERS=provider_setting(idps[0]))


def add_user(app, email, password=PASSWORD, **fields):
    """Create a user with a password (and fields); return its id."""
    from auth.users import create_user
    from extensions import db

    with app.app_context():
        user = create_user(email, password)
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.commit()
        return user.id


def token(client, path="/login"):
    """Return the CSRF token of the page at path."""
    text = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text).group(1)


def login(client, email, password=PASSWORD, **extra):
    """Post the login form; return the response."""
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token(client), **extra})


def post(client, path, page="/account/mfa", **fields):
    """Post a form with the CSRF token of page; return the response."""
    return client.post(path, data={"csrf_token": token(client, page), **fields})


def signed_in(client):
    """Return True when the client's session opens /account (a complete sign-in)."""
    return client.get("/account").status_code == 200
