"""The query and chart cache on Redis, off while Redis is unreachable: every answer is then computed, never an error.

Flask-Caching's `CACHE_IGNORE_ERRORS` covers only its decorators; the app calls `cache.get`/`cache.set`, so the
backend itself turns a Redis error into a miss (or a write not made) and leaves Redis alone for RETRY_SECONDS
before trying again. config.py names this class as `CACHE_TYPE` when `REDIS_URL` is set.
"""
import logging
import time
from typing import Any

from flask_caching.backends.rediscache import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# What each cache call answers while Redis is away: a miss, a write not made.
ANSWERS_WHEN_DOWN: dict[str, Any] = {"get": None, "get_many": None, "set": False, "add": False, "set_many": [], "delete": False,
                     "delete_many": [], "has": False, "clear": False, "inc": None, "dec": None, "unlink": None}


class FallbackRedisCache(RedisCache):
    """Flask-Caching's Redis cache, answering as an empty cache while Redis is unreachable (one process's view)."""

    down_since = None  # time.time() of the first error of an outage, None while Redis answers
    _rest_until = 0.0

    def _call(self, name, *args, **kwargs):
        """Run the cache method name on Redis; while Redis is away, answer as an empty cache does."""
        if self.down_since is not None and time.monotonic() < self._rest_until:
            return self._when_down(name, args)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as exc:
            if self.down_since is None:
                self.down_since = time.time()
                log.warning("cache off: Redis unreachable; pages are computed uncached",
                            extra={"error": type(exc).__name__})
            self._rest_until = time.monotonic() + RETRY_SECONDS
            return self._when_down(name, args)
        if self.down_since is not None:
            log.info("cache on: Redis answers again", extra={"down_seconds": round(time.time() - self.down_since, 1)})
            self.down_since = None
        return result

    @staticmethod
    def _when_down(name, args):
        """Return what an empty cache answers to name(args)."""
        if name == "get_many":
            return [None] * len(args)
        return ANSWERS_WHEN_DOWN[name]


def _wrapped(name):
    """Return a method that runs the cache method name through FallbackRedisCache._call."""
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"Run {name} on Redis, or answer as an empty cache while Redis is away."
    return method


for _name in ANSWERS_WHEN_DOWN:
    setattr(FallbackRedisCache, _name, _wrapped(_name))


def on_redis(backend):
    """Return True when backend is this Redis cache (not the in-process one used without REDIS_URL)."""
    return isinstance(backend, FallbackRedisCache)


def answering(backend):
    """Return True unless this process found Redis unreachable and has not reached it since."""
    return backend.down_since is None
