"""Answer a request the users database cannot serve right now (down, restarting): 503 and Retry-After, never a 500.

The page is plain (no navbar: drawing it would ask the same database who is signed in); the API and Dash
callbacks get JSON. Errors that are not about reaching the database (a bad query) stay 500s.
"""
import logging

import sqlalchemy as sa
from flask import current_app, jsonify, request

from auth.access import API_PREFIX, CALLBACK_PATH
from extensions import db

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15
MESSAGE = "The accounts database is not answering, so signing in and account pages wait; public pages still work."
# SQLSTATEs of a server that is not there or not taking work: connection failures (08), shutdown or starting
# up (57P01-57P03), too many connections (53300).
UNAVAILABLE_STATES = ("57P01", "57P02", "57P03", "53300")
SQLITE_BUSY = ("database is locked", "unable to open database file", "disk i/o error")


def unavailable(exc):
    """Return True when exc says the users database cannot be reached or is not taking work right now."""
    if isinstance(exc, sa.exc.TimeoutError):  # every pooled connection busy for pool_timeout
        return True
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    if state:
        return state.startswith("08") or state in UNAVAILABLE_STATES
    if type(exc.orig).__module__.startswith("psycopg"):  # no SQLSTATE: the connection itself failed
        return True
    return any(words in str(exc.orig).lower() for words in SQLITE_BUSY)


def _answer(exc):
    """Return 503 with Retry-After for an unavailable database; let any other database error be a 500."""
    if not unavailable(exc):
        raise exc
    db.session.rollback()
    log.warning("users database unavailable", extra={"error": type(exc.orig if hasattr(exc, "orig") else exc).__name__,
                                                     "path": request.path})
    if request.path.startswith(API_PREFIX) or request.path == CALLBACK_PATH:
        response = jsonify(error="The accounts database is unavailable for a moment; try again shortly.")
    else:
        # Straight from Jinja: Flask's context processors would ask the database who is signed in.
        response = current_app.jinja_env.get_template("web/unavailable.html").render(message=MESSAGE)
    return response, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def init_app(app):
    """Register the answer for every view (and request step) that cannot reach the users database."""
    app.register_error_handler(sa.exc.DBAPIError, _answer)
    app.register_error_handler(sa.exc.TimeoutError, _answer)
