"""`make run` with REDIS_URL starts one alerts worker beside gunicorn, which evaluates the loaded release."""
import os
import signal
import subprocess
import time
import uuid

import pytest
import requests
from redis import Redis
from rq import Queue, Worker

from tests.conftest import ROOT, SECRET, free_port

pytestmark = pytest.mark.redis


def test_make_run_starts_a_worker_that_takes_the_evaluation_job(tmp_path, redis_url):
    port, queue_name = free_port(), f"test-run-{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "SECRET_KEY": SECRET, "PORT": str(port), "GUNICORN_WORKERS": "1",
           "BEANFLOWS_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": f"sqlite:///{tmp_path / 'users.db'}",
           "PSD_SOURCE_URL": "http://127.0.0.1:9/psd_coffee_csv.zip", "REDIS_URL": redis_url,
           "ALERTS_QUEUE": queue_name}
    log = tmp_path / "make-run.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    queue = Queue(queue_name, connection=Redis.from_url(redis_url))
    try:
        deadline, healthy, workers = time.monotonic() + 150, False, []
        while time.monotonic() < deadline and proc.poll() is None and not (healthy and workers and not len(queue)):
            try:
                healthy = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
            except requests.RequestException:
                pass
            workers = Worker.all(queue=queue)
            time.sleep(0.5)
        output = log.read_text()
        assert healthy and len(workers) == 1, output
        assert "one alerts worker" in output and f"queued as job" in output, output
        assert len(queue) == 0, output  # the worker took the evaluation of the demo release
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
