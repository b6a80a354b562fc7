"""Security headers (flask-talisman): a CSP fit for Dash and Plotly, no framing, HSTS and Secure cookies on https."""
from flask import has_request_context, request
from flask_talisman import Talisman


def content_security_policy():
    """Return the CSP: own origin only (init_app adds Dash's inline scripts by hash)."""
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        # Plotly and Dash components set style attributes and inject <style> at run time.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "worker-src": ["'self'", "blob:"],
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
    }


def _secure_cookies_on_https(response_class):
    """Return a response class whose cookies are all Secure when the request came over https."""

    class Response(response_class):
        def set_cookie(self, key, *args, **kwargs):
            """Set a cookie, Secure on https whatever the configuration says."""
            if has_request_context() and request.is_secure:
                kwargs["secure"] = True
            return super().set_cookie(key, *args, **kwargs)

    return Response


def init_app(server, dash_app):
    """Send the security headers on every response of server (dash_app set up: its inline scripts are final)."""
    policy = content_security_policy()
    # Dash's inline scripts (the renderer, clientside callbacks) by hash; set-up has registered them all.
    policy["script-src"] = ["'self'", *dash_app.csp_hashes()]
    Talisman(  # one per app: Talisman keeps its settings on itself
        server,
        content_security_policy=policy,
        force_https=False,  # the proxy redirects; HSTS (sent on https only) keeps browsers there
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=server.config["SESSION_COOKIE_SECURE"],
        session_cookie_samesite=server.config["SESSION_COOKIE_SAMESITE"],
        strict_transport_security_include_subdomains=False,
    )
    # The session, remember and CSRF cookies are all set through the response class.
    server.response_class = _secure_cookies_on_https(server.response_class)
