"""OpenID Connect providers and their Authlib clients: the configured ones (OIDC_PROVIDERS) and each team's own.

Authlib runs the authorization code flow with PKCE (S256), state and nonce, finds the endpoints and keys by discovery,
and checks the ID token's signature against the provider's JWKS and its audience, expiry and nonce; the issuer must be
the configured one, in the discovery document and in the token. State and PKCE verifier wait in the session cookie of
the browser that started, so a callback in another browser finds nothing to answer.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app

import registry
from auth.sealed import Unreadable, unseal
from extensions import db
from models.sign_in import TeamSignIn
from models.teams import Team

SCOPE = "openid email"
TEAM_PREFIX = "team-"
# How long a provider's discovery document and keys are kept per worker before they are read again.
METADATA_AGE = 3600


class ProviderError(RuntimeError):
    """A provider that cannot be used: not reachable, or its discovery document names another issuer."""


@dataclass(frozen=True)
class Provider:
    """An OpenID provider this site signs in with: its name in URLs, what buttons say, and the client's settings."""

    key: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    team_id: int | None = None

    @property
    def method(self) -> str:
        """Return the login method a sign-in through this provider records (auth/steps.py reads team ones)."""
        return f"team:{self.team_id}" if self.team_id is not None else f"oidc:{self.key}"


def configured():
    """Return the providers of OIDC_PROVIDERS, in their order."""
    return [Provider(entry["name"], entry["name"], entry["issuer"].rstrip("/"), entry["client_id"],
                     entry["client_secret"]) for entry in current_app.config["OIDC_PROVIDERS"]]


def team_provider(team_id):
    """Return the provider a team set up, or None (none set, or its secret unreadable with this SECRET_KEY)."""
    row = db.session.get(TeamSignIn, team_id)
    if row is None or not (row.issuer and row.client_id and row.client_secret):
        return None
    team = db.session.get(Team, team_id)
    try:
        secret = unseal(row.client_secret)
    except Unreadable:
        current_app.logger.error("team %s: its client secret cannot be read with this SECRET_KEY", team_id)
        return None
    return Provider(f"{TEAM_PREFIX}{team_id}", f"{team.name} single sign-on", row.issuer.rstrip("/"), row.client_id,
                    secret, team_id)


def find(key):
    """Return the provider named key (a configured name, or team-<id>), or None."""
    if key.startswith(TEAM_PREFIX):
        team_id = key[len(TEAM_PREFIX):]
        return team_provider(int(team_id)) if team_id.isdigit() and len(team_id) < 10 else None
    return next((provider for provider in configured() if provider.key == key), None)


def client(provider):
    """Return the Authlib client of provider, kept per worker while its settings and discovery document stay."""
    clients = registry.current().oidc_clients
    found = clients.get(provider.key)
    if found is not None and found[0] == provider and time.monotonic() - found[1] < METADATA_AGE:
        return found[2]
    # Authlib is imported when a provider is first used: it costs every process start 0.25 s of CPU otherwise.
    from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App

    app = FlaskOAuth2App(
        FlaskIntegration(f"oidc-{provider.key}"), f"oidc-{provider.key}", client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "timeout": 10})
    try:
        issuer = app.load_server_metadata().get("issuer", "")
    except Exception as exc:  # any network or parsing failure of the provider's document
        raise ProviderError(f"{provider.label} could not be reached ({type(exc).__name__})") from exc
    if issuer.rstrip("/") != provider.issuer:
        raise ProviderError(f"{provider.label}'s discovery document names another issuer ({issuer[:100]})")
    clients[provider.key] = (provider, time.monotonic(), app)
    return app


def claims_options(provider):
    """Return the ID-token claim checks Authlib applies beyond its own: the issuer is the configured one, and the
    audience holds our client id (Authlib alone accepts another audience when `azp` names us)."""
    return {"iss": {"essential": True, "values": [provider.issuer, provider.issuer + "/"]},
            "aud": {"essential": True, "values": [provider.client_id]}}
