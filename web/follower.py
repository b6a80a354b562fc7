"""Run a host's release follower beside gunicorn's workers and start it again, after a backoff, when it dies.

A thread of gunicorn's master waits on the follower process, so a death (SIGKILL included) is noticed at once;
what it saw goes to follower.json in the data dir, which /readyz reads (web/ready.py).
"""
import json
import os
import signal
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

STATE_NAME = "follower.json"
FIRST_BACKOFF, MAX_BACKOFF = 1.0, 60.0  # seconds before a restart: doubled after each quick death
STEADY_SECONDS = 300  # a follower that ran this long before dying starts the backoff afresh


def _now():
    """Return the current UTC time as ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def read(data_dir):
    """Return what the supervisor last wrote, {} when no supervisor runs on this data dir."""
    try:
        return json.loads((Path(data_dir) / STATE_NAME).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _write(data_dir, state):
    """Replace the supervisor's state atomically."""
    path = Path(data_dir) / STATE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{STATE_NAME}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, indent=2))
    os.replace(tmp, path)


def alive(pid):
    """Return True while a process with pid exists (and is not a zombie)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


class Supervisor:
    """Start `flask --app app follow`, wait on it in a thread, and restart it with a backoff when it dies.

    posix_spawn, not subprocess: Popen waits on a pipe until its child execs, and a worker gunicorn forks at that
    moment inherits the pipe's other end and holds it open for its whole life.
    """

    def __init__(self, data_dir, cwd, log):
        self.data_dir, self.cwd, self.log = data_dir, str(cwd), log
        self.stopping = threading.Event()
        self.pid = None
        self.state = {"status": "starting", "restarts": 0}

    def start(self):
        """Start the follower and the thread that watches it."""
        threading.Thread(target=self._watch, name="follower-supervisor", daemon=True).start()

    def _spawn(self):
        """Start one follower process and record it."""
        code = (f"import os, sys; os.chdir({self.cwd!r}); sys.path.insert(0, {self.cwd!r}); "
                "sys.argv = ['flask', '--app', 'app', 'follow']; from flask.cli import main; main()")
        self.pid = os.posix_spawn(sys.executable, [sys.executable, "-c", code], os.environ)
        self.state.update(status="running", pid=self.pid, started_at=_now())
        self.state.pop("restart_at", None)
        _write(self.data_dir, self.state)
        self.log.info("release follower started (pid %s)", self.pid)
        return time.monotonic()

    def _wait(self):
        """Wait for the follower to end; return how, in words."""
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:  # gunicorn's master reaped it first (it waits on any child)
            return "an unknown status"
        code = os.waitstatus_to_exitcode(status)
        return f"signal {-code}" if code < 0 else f"exit code {code}"

    def _watch(self):
        """Keep a follower running until stop()."""
        backoff = FIRST_BACKOFF
        while not self.stopping.is_set():
            started = self._spawn()
            how = self._wait()
            if self.stopping.is_set():
                return
            if time.monotonic() - started > STEADY_SECONDS:
                backoff = FIRST_BACKOFF
            self.state.update(status="restarting", last_exit={"how": how, "at": _now()},
                              restart_at=datetime.fromtimestamp(time.time() + backoff, timezone.utc)
                              .isoformat(timespec="seconds"), restarts=self.state["restarts"] + 1)
            _write(self.data_dir, self.state)
            self.log.warning("release follower (pid %s) died with %s; restarting in %.0f s", self.pid, how, backoff)
            if self.stopping.wait(backoff):
                return
            backoff = min(MAX_BACKOFF, backoff * 2)

    def stop(self):
        """Stop the follower and do not restart it."""
        self.stopping.set()
        if self.pid is not None and alive(self.pid):
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while alive(self.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if alive(self.pid):
                os.kill(self.pid, signal.SIGKILL)
        self.state.update(status="stopped")
        _write(self.data_dir, self.state)
