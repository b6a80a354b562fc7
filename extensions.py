"""Unbound Flask extensions, bound to an app in create_app; and what tells an unreachable users database."""
import sqlalchemy as sa
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

db = SQLAlchemy()
login_manager = LoginManager()
csrf = CSRFProtect()
cache = Cache()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# SQLSTATEs of a server not there or not taking work: connection failures (08...), shutting down or starting up
# (57P01-57P03), too many connections (53300). SQLite: a file locked or gone.
UNREACHABLE_STATES = ("57P01", "57P02", "57P03", "53300")
SQLITE_BUSY = ("database is locked", "unable to open database file", "disk i/o error")


def database_unreachable(exc):
    """Return True when exc says the users database cannot be reached or is not taking work (not a bad query).

    exc is SQLAlchemy's wrapper of a driver error, or the driver's own (raw connections raise those).
    """
    if isinstance(exc, sa.exc.TimeoutError):  # every pooled connection busy for pool_timeout
        return True
    if isinstance(exc, sa.exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        if not isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)):
            return False
        exc = exc.orig
    elif not any(kind.__name__ in ("OperationalError", "InterfaceError") for kind in type(exc).__mro__):
        return False
    state = getattr(exc, "sqlstate", None)
    if state:
        return state.startswith("08") or state in UNREACHABLE_STATES
    if type(exc).__module__.startswith("psycopg"):  # no SQLSTATE: the connection itself failed
        return True
    return any(words in str(exc).lower() for words in SQLITE_BUSY)
