"""Verify each signed session cookie once a second per worker: a page's burst of requests carries the same one."""
import threading
import time

from flask.sessions import SecureCookieSessionInterface

SECONDS = 1.0
MAX_ENTRIES = 10_000


class ReusedCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, keeping each verified cookie's contents for SECONDS."""

    def __init__(self):
        self._verified = {}  # exact cookie value -> (expiry, contents)
        self._lock = threading.Lock()

    def open_session(self, app, request):
        """Return the session of this request's cookie, verifying its signature once per SECONDS."""
        value = request.cookies.get(self.get_cookie_name(app))
        now = time.monotonic()
        entry = self._verified.get(value) if value else None
        if entry is not None and entry[0] > now:
            return self.session_class(entry[1])  # a fresh session object: changes stay in this request
        session = super().open_session(app, request)
        if value and session:  # only what verified; a bad signature opens an empty session, never kept
            with self._lock:
                if len(self._verified) >= MAX_ENTRIES:
                    self._verified.clear()
                self._verified[value] = (now + SECONDS, dict(session))
        return session
