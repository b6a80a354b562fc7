"""Check each header CSRF token once a second per worker: a page's burst of Dash callbacks sends the same one."""
import threading

from cachetools import TTLCache
from flask import current_app, g, request, session
from flask_wtf.csrf import CSRFProtect, same_origin

SECONDS = 1.0
MAX_ENTRIES = 10_000
HEADER = "X-CSRFToken"


class ReusedCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF check, keeping each (session token, header token) pair it accepted for SECONDS."""

    def __init__(self, app=None):
        self._accepted = TTLCache(MAX_ENTRIES, SECONDS)  # accepted (session's raw token, header token) pairs
        self._lock = threading.Lock()  # a TTLCache expires entries as it is read: not safe across threads
        super().__init__(app)

    def _pair(self):
        """Return the (session token, header token) pair of a JSON POST with a header token, else None."""
        token = request.headers.get(HEADER)
        if not token or not request.is_json:
            return None  # form posts carry their token in the body: always checked in full
        raw = session.get(current_app.config["WTF_CSRF_FIELD_NAME"])
        return (raw, token) if raw else None

    def protect(self, apply_exemptions=False):
        """Validate the request's CSRF token, skipping the signature check for a pair accepted just now."""
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        pair = self._pair()
        with self._lock:
            known = pair is not None and pair in self._accepted
        if not known:
            super().protect()  # aborts with CSRFError unless the token and referrer are good
            if pair is not None:
                with self._lock:
                    self._accepted[pair] = True
            return
        # The token is the one just accepted; the referrer is this request's own and is checked as Flask-WTF does.
        if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True
