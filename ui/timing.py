"""Report each request's server time in a Server-Timing header."""
import time

from flask import g


def _start():
    """Note when the request reached the app."""
    g.started = time.perf_counter()


def _finish(response):
    """Add the time spent in the app, in milliseconds, to the response."""
    started = g.get("started")
    if started is not None:
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
    return response


def init_app(app):
    """Time every request of app, outermost of the request hooks."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
