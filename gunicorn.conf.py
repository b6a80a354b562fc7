"""gunicorn settings: each declared in config.py (see docs/operations.md)."""
import functools
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

# This project's config.py, whatever the working directory (gunicorn reads this file before its chdir).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from config import claim_metrics_dir, read  # noqa: E402

_settings = read()
bind = _settings["GUNICORN_BIND"]
workers = _settings["GUNICORN_WORKERS"]
threads = _settings["GUNICORN_THREADS"]
worker_class = "gthread" if threads > 1 else "sync"
timeout = _settings["GUNICORN_TIMEOUT"]
graceful_timeout = _settings["GUNICORN_GRACEFUL_TIMEOUT"]
# gunicorn's maximum: the app refuses long query strings itself, with a JSON answer on /api/.
limit_request_line = _settings["GUNICORN_LIMIT_REQUEST_LINE"]
keepalive = _settings["GUNICORN_KEEPALIVE"]
max_requests = _settings["GUNICORN_MAX_REQUESTS"]
max_requests_jitter = _settings["GUNICORN_MAX_REQUESTS_JITTER"]
accesslog = _settings["GUNICORN_ACCESS_LOG"]
errorlog = "-"
loglevel = _settings["GUNICORN_LOG_LEVEL"]
access_log_format = _settings["GUNICORN_ACCESS_LOG_FORMAT"]
# Load the app once in the master so workers share its memory copy-on-write.
preload_app = _settings["GUNICORN_PRELOAD"]

# /metrics sums every worker's counts from files in one directory (prometheus_client's multiprocess mode);
# it must be set before the app, and so prometheus_client, is imported.
_metrics_dir, _metrics_dir_is_ours = claim_metrics_dir()


# Each host its own control socket (gunicornc), in its own data dir: two hosts on one machine never share one.
def _control_socket(data_dir):
    """Return the control socket's path in data_dir, or a short one named after it (AF_UNIX paths are short)."""
    path = Path(data_dir).resolve() / "gunicorn.ctl"
    if len(str(path)) < 100:
        return str(path)
    return str(Path(tempfile.gettempdir()) / f"gunicorn-{hashlib.sha256(str(path).encode()).hexdigest()[:12]}.ctl")


control_socket = _control_socket(_settings["BEANFLOWS_DATA_DIR"])

_follower = None


def when_ready(server):
    """With a shared catalog, run this host's release follower beside the workers, restarted when it dies."""
    global _follower
    if _settings["ICEBERG_CATALOG_URI"]:
        from web.follower import Supervisor

        _follower = Supervisor(_settings["BEANFLOWS_DATA_DIR"], Path(__file__).resolve().parent, server.log)
        _follower.start()


def on_starting(server):
    """Start the counts from zero: files left by an earlier run would be summed in."""
    for path in Path(_metrics_dir).glob("*.db"):
        path.unlink()


def post_fork(server, worker):
    """Quit a worker on SIGINT/SIGQUIT without gthread's thread-pool shutdown inside the signal handler.

    That shutdown takes a lock that is not re-entrant; when the signal lands while the worker holds it (handing a
    request to the pool, or quitting on Ctrl-C's SIGINT when the master's SIGQUIT follows) the worker waits for
    ever, until the master kills it a graceful timeout later. Quitting unwinds the main thread instead; the
    pool's threads finish at interpreter exit.
    """
    from gunicorn.workers.base import Worker

    worker.handle_quit = functools.partial(Worker.handle_quit, worker)


def child_exit(server, worker):
    """Drop a dead worker's live gauges (its counters stay summed in)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Stop the release follower; remove the metrics directory this configuration made."""
    if _follower is not None:
        _follower.stop()
    if _metrics_dir_is_ours:
        shutil.rmtree(_metrics_dir, ignore_errors=True)
