"""A `limits` storage on the users database (scheme sqlalchemy://): one count for all workers and hosts without Redis."""
import os
import random
import time
from urllib.parse import parse_qs, urlencode, urlparse

import sqlalchemy as sa
from limits.storage import Storage

# Atomic on SQLite (>= 3.35) and PostgreSQL: a window that has ended starts again at amount.
INCR = sa.text(
    "INSERT INTO rate_limits (limit_key, hits, expires_at) VALUES (:key, :amount, :expires) "
    "ON CONFLICT (limit_key) DO UPDATE SET "
    "hits = CASE WHEN rate_limits.expires_at <= :now THEN :amount ELSE rate_limits.hits + :amount END, "
    "expires_at = CASE WHEN rate_limits.expires_at <= :now THEN :expires ELSE rate_limits.expires_at END "
    "RETURNING hits"
)


def storage_uri(database_url):
    """Return the storage URI naming the database: in the URI, since Flask-Limiter keeps storage options across apps."""
    return "sqlalchemy://?" + urlencode({"url": database_url})


class SqlStorage(Storage):
    """Fixed-window counters in the rate_limits table of the database its URI names (storage_uri)."""

    STORAGE_SCHEME = ["sqlalchemy"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.url = parse_qs(urlparse(uri).query)["url"][0]
        self._engine, self._pid = None, None

    @property
    def base_exceptions(self):
        """Return the errors a database may raise."""
        return sa.exc.SQLAlchemyError

    def _connect(self):
        """Return a transaction on this process's engine (gunicorn forks after the app is built)."""
        if self._engine is None or self._pid != os.getpid():
            # A database server that stops answering fails the count in 5 s (then Flask-Limiter counts in memory).
            args = {"timeout": 10} if self.url.startswith("sqlite") else {"connect_timeout": 5}
            self._engine, self._pid = sa.create_engine(self.url, connect_args=args, pool_pre_ping=True), os.getpid()
        return self._engine.begin()

    def incr(self, key, expiry, amount=1):
        """Add amount to key's count in its window (which starts now when none is open); return the count."""
        now = time.time()
        with self._connect() as conn:
            hits = conn.execute(INCR, {"key": key, "amount": amount, "expires": now + expiry, "now": now}).scalar_one()
            if random.random() < 0.01:  # now and then, forget windows that have ended
                conn.execute(sa.text("DELETE FROM rate_limits WHERE expires_at <= :now"), {"now": now})
        return hits

    def get(self, key):
        """Return key's count in its open window, 0 when none is open."""
        with self._connect() as conn:
            hits = conn.execute(sa.text("SELECT hits FROM rate_limits WHERE limit_key = :key AND expires_at > :now"),
                                {"key": key, "now": time.time()}).scalar()
        return hits or 0

    def get_expiry(self, key):
        """Return when key's window ends (now when none is open)."""
        with self._connect() as conn:
            expires = conn.execute(sa.text("SELECT expires_at FROM rate_limits WHERE limit_key = :key"),
                                   {"key": key}).scalar()
        return max(expires or 0, time.time())

    def check(self):
        """Return True when the database answers."""
        try:
            with self._connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self):
        """Forget every count; return how many there were."""
        with self._connect() as conn:
            return conn.execute(sa.text("DELETE FROM rate_limits")).rowcount

    def clear(self, key):
        """Forget key's count."""
        with self._connect() as conn:
            conn.execute(sa.text("DELETE FROM rate_limits WHERE limit_key = :key"), {"key": key})
