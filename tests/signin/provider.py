"""A real OpenID provider on loopback (oidc-provider-mock) that a test can make misbehave, and the browser-less dance.

The provider runs in a thread of the test process; the app (in-process or gunicorn) reaches it over HTTP for
discovery, the token and the keys, as it would reach any provider. `tamper` rewrites the ID token the token endpoint
returns: re-signed with the provider's own key (so only the claim a test changed is wrong) or with another key.
"""
import json
import threading
import time
from urllib.parse import urlsplit

import flask
import oidc_provider_mock
import requests
import werkzeug.serving
from joserfc import jws, jwt
from joserfc.jwk import RSAKey


class MockProvider:
    """oidc-provider-mock serving on 127.0.0.1 (nonce required), with the ID tokens it issued and a tamper hook."""

    def __init__(self):
        self.app = oidc_provider_mock.app(require_nonce=True)
        self.tamper = None  # fn(claims) -> claims, re-signed with the provider's key; or "other key"
        self.issued = []
        self.app.after_request(self._rewrite)
        self.server = werkzeug.serving.make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def stop(self):
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def _rewrite(self, response):
        """Keep each issued ID token; hand out the tampered one when a test asks."""
        if flask.request.path != "/oauth2/token" or response.status_code != 200:
            return response
        body = json.loads(response.get_data())
        original = body.get("id_token")
        self.issued.append(original)
        if self.tamper is not None and original:
            body["id_token"] = self._resign(original)
            response.set_data(json.dumps(body))
        return response

    def _resign(self, token):
        """Return token with the tamper applied: its claims changed and re-signed, or a replayed earlier token."""
        if self.tamper == "replay":
            return self.issued[0]
        compact = jws.extract_compact(token.encode())
        header, claims = dict(compact.headers()), json.loads(compact.payload)
        own = RSAKey.import_key(flask.g.oidc_provider_mock_storage.jwk.as_dict(is_private=True))
        if self.tamper == "other key":
            return jwt.encode(header, claims, RSAKey.generate_key(2048))
        return jwt.encode(header, self.tamper(claims), own)

    def set_user(self, sub, **claims):
        """Make the provider's user sub assert claims (email, email_verified...)."""
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204, response.text


def expired(claims):
    """Return claims of a token that expired ten minutes ago (beyond Authlib's two-minute leeway)."""
    return {**claims, "iat": int(time.time()) - 3600, "exp": int(time.time()) - 600}


def authorize(url, sub):
    """Answer the provider's consent form for sub; return our callback URL it sends the browser to."""
    response = requests.post(url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert response.status_code in (302, 303), (response.status_code, response.text[:300])
    return response.headers["Location"]


def local(url):
    """Return the path and query of an absolute URL (a test client asks for those)."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def start(client, provider, **query):
    """Start signing in with provider on a test client; return the provider's authorize URL."""
    response = client.get(f"/auth/oidc/{provider}/start", query_string=query)
    assert response.status_code == 302, (response.status_code, response.get_data(as_text=True)[:300])
    return response.headers["Location"]


def sign_in(client, provider, idp, sub, **query):
    """Go through the provider as sub on a test client; return the callback's response."""
    return client.get(local(authorize(start(client, provider, **query), sub)))
