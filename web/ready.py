"""GET /readyz: ready to serve when the serving data, the users database and Redis (if configured) answer."""
import logging

from flask import Blueprint, current_app, jsonify

from auth.access import PUBLIC, requires
from data import queries
from extensions import db

log = logging.getLogger(__name__)

bp = Blueprint("ready", __name__)


def _data():
    """Read the serving data's load record."""
    queries.load_info()


def _database():
    """Run a trivial query on the users database."""
    db.session.execute(db.text("SELECT 1")).scalar_one()


def _redis():
    """Ping Redis when REDIS_URL is set; return False when it is not configured."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return False
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    return True


@bp.get("/readyz")
@requires(PUBLIC)
def readyz():
    """Return 200 when every dependency answers, 503 naming the failing ones (never paths or secrets)."""
    checks = {}
    for name, check in (("data", _data), ("database", _database), ("redis", _redis)):
        try:
            checks[name] = "not configured" if check() is False else "ok"
        except Exception as exc:  # any failure of a dependency means not ready
            log.warning("readiness check failed", extra={"check": name, "error": type(exc).__name__})
            checks[name] = f"error: {type(exc).__name__}"
    ready = all(value in ("ok", "not configured") for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
