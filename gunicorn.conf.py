"""gunicorn settings: each declared in config.py (see docs/operations.md)."""
import functools
import shutil
import subprocess
import sys
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


_follower = None


def when_ready(server):
    """With a shared catalog, start this host's release follower (`flask --app app follow`) beside the workers."""
    global _follower
    if _settings["ICEBERG_CATALOG_URI"]:
        _follower = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "follow"],
                                     cwd=Path(__file__).resolve().parent)
        server.log.info("release follower started (pid %s)", _follower.pid)


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
    if _follower is not None and _follower.poll() is None:
        _follower.terminate()
        try:
            _follower.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _follower.kill()
    if _metrics_dir_is_ours:
        shutil.rmtree(_metrics_dir, ignore_errors=True)
