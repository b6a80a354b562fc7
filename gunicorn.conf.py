"""gunicorn settings: each declared in config.py (see docs/operations.md)."""
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
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

# The follower's record, read by /readyz (web/follower.py reads the same name).
_FOLLOWER_STATE = "follower.json"
_FIRST_BACKOFF, _MAX_BACKOFF = 1.0, 60.0  # seconds before a restart: doubled after each quick death
_STEADY_SECONDS = 300  # a follower that ran this long before dying starts the backoff afresh
# Held while the master forks a worker and while a follower starts: Popen waits on a pipe until its child execs,
# and a worker forked meanwhile would inherit that pipe's other end and keep the wait going for its whole life.
_forking = threading.RLock()


class _Supervisor:
    """Start `flask --app app follow`, wait on it in a thread, and start it again with a backoff when it dies."""

    def __init__(self, data_dir, log):
        self.data_dir, self.log = Path(data_dir), log
        self.stopping = threading.Event()
        self.process = None
        self.state = {"status": "starting", "restarts": 0}

    def _write(self):
        """Replace the follower's record atomically."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.data_dir / f".{_FOLLOWER_STATE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(self.state, indent=2))
        os.replace(tmp, self.data_dir / _FOLLOWER_STATE)

    def spawn(self):
        """Start one follower and record it; return when it started (monotonic seconds)."""
        with _forking:
            self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "follow"],
                                            cwd=Path(__file__).resolve().parent)
        self.state.update(status="running", pid=self.process.pid, started_at=_utc())
        self.state.pop("restart_at", None)
        self._write()
        self.log.info("release follower started (pid %s)", self.process.pid)
        return time.monotonic()

    def _wait(self):
        """Wait for the follower to end; return how, in words."""
        try:
            _, status = os.waitpid(self.process.pid, 0)
        except ChildProcessError:  # gunicorn's master reaped it first (it waits on any child)
            self.process.returncode = -1
            return "an unknown status"
        self.process.returncode = os.waitstatus_to_exitcode(status)
        code = self.process.returncode
        return f"signal {-code}" if code < 0 else f"exit code {code}"

    def watch(self, started):
        """Keep a follower running until stop() (run in a thread; the first one is already started)."""
        backoff = _FIRST_BACKOFF
        while True:
            how = self._wait()
            if self.stopping.is_set():
                return
            if time.monotonic() - started > _STEADY_SECONDS:
                backoff = _FIRST_BACKOFF
            restart = datetime.fromtimestamp(time.time() + backoff, timezone.utc).isoformat(timespec="seconds")
            self.state.update(status="restarting", last_exit={"how": how, "at": _utc()}, restart_at=restart,
                              restarts=self.state["restarts"] + 1)
            self._write()
            self.log.warning("release follower (pid %s) died with %s; restarting in %.0f s", self.process.pid, how,
                             backoff)
            if self.stopping.wait(backoff):
                return
            backoff = min(_MAX_BACKOFF, backoff * 2)
            started = self.spawn()

    def stop(self):
        """Stop the follower and do not start it again."""
        self.stopping.set()
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            deadline = time.monotonic() + 10
            while self.process.returncode is None and time.monotonic() < deadline:
                time.sleep(0.1)
            if self.process.returncode is None:
                self.process.kill()
        self.state.update(status="stopped")
        self._write()


def _utc():
    """Return the current UTC time as ISO 8601 seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


_follower = None


def when_ready(server):
    """With a shared catalog, run this host's release follower beside the workers, started again when it dies."""
    global _follower
    if _settings["ICEBERG_CATALOG_URI"]:
        os.register_at_fork(before=_forking.acquire, after_in_parent=_forking.release,
                            after_in_child=_forking.release)
        _follower = _Supervisor(_settings["BEANFLOWS_DATA_DIR"], server.log)
        started = _follower.spawn()
        threading.Thread(target=_follower.watch, args=(started,), name="follower-supervisor", daemon=True).start()


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
