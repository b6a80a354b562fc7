"""Answer a request the users database cannot serve right now (down, restarting): 503 and Retry-After, never a 500.

The page is plain (no navbar: drawing it would ask the same database who is signed in); the API and Dash
callbacks get JSON. Errors that are not about reaching the database (a bad query) stay 500s.
"""
import logging

import sqlalchemy as sa
from flask import current_app, jsonify, request

from auth.access import API_PREFIX, CALLBACK_PATH
from data.commodities.site import brand
from extensions import database_unreachable, db

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15
MESSAGE = "The accounts database is not answering, so signing in and account pages wait; public pages still work."


def _answer(exc):
    """Return 503 with Retry-After for an unavailable database; let any other database error be a 500."""
    if not database_unreachable(exc):
        raise exc
    db.session.rollback()
    log.warning("users database unavailable", extra={"error": type(getattr(exc, "orig", exc)).__name__,
                                                     "path": request.path})
    if request.path.startswith(API_PREFIX) or request.path == CALLBACK_PATH:
        response = jsonify(error="The accounts database is unavailable for a moment; try again shortly.")
    else:
        # Straight from Jinja: Flask's context processors would ask the database who is signed in.
        response = current_app.jinja_env.get_template("web/unavailable.html").render(message=MESSAGE, site_name=brand())
    return response, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _end_session(exc):
    """Close the context's session before Flask-SQLAlchemy does: a connection the server cut is dropped, not a 500.

    Its rollback fails when the database went away during the request; the answer was made, so let it go.
    """
    try:
        db.session.remove()
    except sa.exc.SQLAlchemyError as error:
        if not database_unreachable(error):
            raise
        db.session.registry.clear()  # the connection is invalidated; the pool makes a new one
        log.warning("users database connection lost while closing a session", extra={"error": type(error).__name__})


def init_app(app):
    """Register the answer for every view (and request step) that cannot reach the users database.

    Call it after db.init_app: app-context teardowns run last-registered first, and this one goes first.
    """
    app.teardown_appcontext(_end_session)
    app.register_error_handler(sa.exc.DBAPIError, _answer)
    app.register_error_handler(sa.exc.TimeoutError, _answer)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        import psycopg  # a raw connection (models/prepared.py) raises the driver's own errors

        app.register_error_handler(psycopg.OperationalError, _answer)
        app.register_error_handler(psycopg.InterfaceError, _answer)
