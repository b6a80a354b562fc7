"""Report each request's server time in a Server-Timing header: all of it, and the compression within it."""
import time

from flask import g


def start():
    """Note when the request reached the app."""
    g.started = time.perf_counter()


def finish(response):
    """Add the time spent in the app (compression included) and in compression, in milliseconds."""
    started = g.get("started")
    if started is not None:
        timing = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        if g.get("compress_ms") is not None:
            timing += f", compress;dur={g.compress_ms:.2f}"
        response.headers["Server-Timing"] = timing
    return response


def init_app(app):
    """Time every request of app (the pipeline makes this step enclose the others it counts)."""
    app.before_request(start)
    app.after_request(finish)
