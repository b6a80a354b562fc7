"""GET /readyz: ready when the serving data and users database answer; says what runs degraded; names the release.

Redis down leaves a host serving (cache off, rate limits per process, jobs kept in the users database): 200 with
status "degraded" and what is degraded; the data or the users database down: 503.
"""
import logging

from flask import Blueprint, current_app, jsonify

import jobqueue
from auth.access import PUBLIC, requires
from data.queries import metrics as queries
from data.serving import catalog_look, follow_state
from data.serving.reader import serving
from extensions import cache, db, limiter
from web import follower

log = logging.getLogger(__name__)

bp = Blueprint("ready", __name__)
OVERDUE_SECONDS = 60  # a kept job due this long and not queued: no worker is taking jobs


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


def _release():
    """Return the release this host serves and, following a shared catalog, the catalog's latest and the lag."""
    try:
        served = serving().fetchone("SELECT release_id, snapshot_id FROM releases "
                                    "ORDER BY release_id DESC, snapshot_id DESC LIMIT 1")
    except Exception:  # the data check names the failure
        served = None
    info = {"served": served[0] if served else None}
    if not follow_state.following(current_app.config):
        return {**info, "follower": "off (local catalog)"}
    state = follow_state.read(current_app.config["BEANFLOWS_DATA_DIR"])
    latest = state.get("latest") or {}
    info.update(latest=latest.get("release_id"), lag_seconds=follow_state.lag_seconds(state, served),
                checked_at=state.get("checked_at"))
    info.update(_catalog_lag())
    since = follow_state.seconds_since_look(state)
    poll = float(current_app.config["RELEASE_POLL_SECONDS"])
    if since is None or since > 3 * poll + 120:  # a build may take a while; beyond that no one is looking
        info["follower"] = "not running" if since is None else f"silent for {since:.0f} s"
    info.update(_supervised(current_app.config["BEANFLOWS_DATA_DIR"]))
    if state.get("building"):
        info["building"] = state["building"]["release_id"]
    if state.get("error"):  # the type and when only: messages may hold paths or addresses
        error = state["error"]
        info["error"] = {"stage": error["stage"], "type": error["type"], "since": error["since"]}
    return info


def _supervised(data_dir):
    """Return what gunicorn's follower supervisor saw: deaths, restarts, and a follower that is not running."""
    supervisor = follower.read(data_dir)
    if not supervisor:
        return {}
    found = {"follower_restarts": supervisor.get("restarts", 0)}
    if supervisor.get("last_exit"):
        found["follower_last_exit"] = supervisor["last_exit"]
    if supervisor.get("status") == "restarting":
        found["follower"] = f"died with {supervisor['last_exit']['how']}; restarting at {supervisor['restart_at']}"
    elif supervisor.get("status") == "running" and not follower.alive(supervisor["pid"]):
        found["follower"] = f"not running (pid {supervisor['pid']} is gone)"
    return found


def _catalog_lag():
    """Return the catalog's latest release and the lag from its first commit this host does not serve.

    Looked up here (every few seconds at most) rather than taken from the follower's last look, which may
    predate a commit; {} when the catalog cannot be read (the follower's view stands, its error says why).
    """
    try:
        catalog = catalog_look.releases(current_app.config)
        rows = serving().connection().execute("SELECT commodity_code, release_id, snapshot_id FROM releases").fetchall()
    except Exception as exc:  # catalog or bucket unreachable, or no serving file yet
        log.info("readiness could not look at the catalog", extra={"error": type(exc).__name__})
        return {}
    served = {(code, release_id): snapshot_id for code, release_id, snapshot_id in rows}
    return {"latest": catalog_look.latest(catalog), "lag_seconds": catalog_look.lag_seconds(catalog, served)}


def _rate_limits():
    """Return "shared" while the rate-limit store answers, else "per-process" (each process counts alone)."""
    # Flask-Limiter counts in its in-memory fallback while its storage fails, and moves back once it answers.
    if not limiter.storage.check():
        return "per-process (shared store unreachable)"
    return "shared"


def _degraded(checks):
    """Return what this process runs without while Redis or the users database is away."""
    found = {}
    if current_app.config.get("REDIS_URL"):
        from web import redis_cache  # only with Redis: a worker without it never imports the client

        if redis_cache.on_redis(cache.cache) and (checks["redis"] != "ok" or not redis_cache.answering(cache.cache)):
            found["cache"] = "off (Redis unreachable)"
    limits = _rate_limits()
    if limits != "shared":
        found["rate_limits"] = limits
    # Jobs kept while Redis is away, or due and not taken (no worker queues them): retries waiting their time
    # (an email after the mail server refused) are the queue working, not a degradation.
    redis_down = current_app.config.get("REDIS_URL") and checks["redis"] != "ok"
    if checks["database"] == "ok" and (redis_down or jobqueue.waiting(overdue=OVERDUE_SECONDS)):
        until = "Redis takes them" if current_app.config.get("REDIS_URL") else "`flask alerts evaluate` runs them"
        found["jobs"] = f"{jobqueue.waiting()} kept in the users database until {until}"
    return found


@bp.get("/readyz")
@requires(PUBLIC)
def readyz():
    """Return 200 when data and users database answer (naming what is degraded), 503 naming the failing ones."""
    checks = {}
    for name, check in (("data", _data), ("database", _database), ("redis", _redis)):
        try:
            checks[name] = "not configured" if check() is False else "ok"
        except Exception as exc:  # any failure of a dependency is reported, never raised
            log.warning("readiness check failed", extra={"check": name, "error": type(exc).__name__})
            checks[name] = f"error: {type(exc).__name__}"
    if checks["database"] != "ok":
        db.session.rollback()
    ready = checks["data"] == "ok" and checks["database"] == "ok"
    degraded = _degraded(checks)
    status = "not ready" if not ready else "degraded" if degraded else "ready"
    # A host behind the catalog still serves its last good release: it says so here but stays ready.
    body = {"status": status, "checks": checks, "release": _release()}
    if degraded:
        body["degraded"] = degraded
    return jsonify(body), 200 if ready else 503
