"""Ctrl-C stops gunicorn at once, even with requests in flight (no worker left waiting for the master to kill it)."""
import os
import signal
import subprocess
import threading
import time

import pytest
import requests

from tests.conftest import migrate_database, start_server

# Longer than a clean stop takes on a loaded machine; far shorter than the master's kill after GRACEFUL_TIMEOUT.
STOPPED_WITHIN = 15
GRACEFUL_TIMEOUT = 120


def _hammer(url, stop):
    """Request url on a kept-alive connection until stop is set."""
    session = requests.Session()
    while not stop.is_set():
        try:
            session.get(url, timeout=2)
        except requests.RequestException:
            time.sleep(0.05)


@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_stops_every_worker_while_requests_arrive(tmp_path, real_data_dir, attempt):
    database_url = f"sqlite:///{tmp_path / 'users.db'}"
    migrate_database(database_url, real_data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(real_data_dir),
                           "GUNICORN_GRACEFUL_TIMEOUT": str(GRACEFUL_TIMEOUT)}, workers=2)
    stop = threading.Event()
    clients = [threading.Thread(target=_hammer, args=(f"{server.url}/login", stop), daemon=True) for _ in range(4)]
    try:
        for client in clients:
            client.start()
        time.sleep(0.5)
        # What a terminal's Ctrl-C does: SIGINT to the master and its workers; the master then sends SIGQUIT.
        os.killpg(server.proc.pid, signal.SIGINT)
        try:
            server.proc.wait(timeout=STOPPED_WITHIN)
        except subprocess.TimeoutExpired:
            pytest.fail(f"gunicorn still running {STOPPED_WITHIN} s after Ctrl-C: "
                        f"{server.log.read_text()[-1500:]}")
    finally:
        stop.set()
        server.stop()
