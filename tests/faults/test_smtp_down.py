"""The mail server down: a digest is retried with a backoff for as long as it takes, and sent once when it returns."""
import signal
import subprocess
import sys
import tempfile
import uuid

import pytest

from tests.conftest import ROOT, create_user, free_port
from tests.faults.conftest import host_app, running_smtp
from tests.faults.test_redis_down import _rule_for
from tests.harness.gate import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
MAX_TRIES = 4  # what a failing email got before this drill's fix: then it was marked failed, never sent


def _delivery(app, user_id):
    """Return (status, tries) of the user's one delivery, or None before it exists."""
    from extensions import db
    from models.alerts import Delivery

    with app.app_context():
        row = db.session.execute(db.select(Delivery).where(Delivery.user_id == user_id)).scalar_one_or_none()
        result = None if row is None else (row.status, row.tries)
        db.session.remove()
        return result


def test_a_digest_waits_out_the_mail_server_and_goes_out_once(fault_server):
    host = fault_server
    port = free_port()  # nothing listens there yet: the mail server is down
    env = {**host.env, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "ALERTS_RETRY_INTERVALS": "1,2"}
    app = host_app(env)
    email = create_user(host.env, f"smtp-{uuid.uuid4().hex[:6]}@example.com", "--comp")
    user_id = _rule_for(app, email)
    release = app.test_client().get("/readyz").get_json()["release"]["served"]
    log = tempfile.NamedTemporaryFile(prefix="worker-", suffix=".log", delete=False)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "alerts", "worker"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        queued = app.test_cli_runner().invoke(args=["alerts", "evaluate", "--release", release])
        assert queued.exit_code == 0 and "queued as job" in queued.output, queued.output
        (status, tries), _ = wait_until(lambda: (lambda d: d if d and d[1] >= MAX_TRIES else None)(
            _delivery(app, user_id)), timeout=60)
        assert status in ("queued", "sending")  # waiting for its next try, or in it: not given up
        with running_smtp(port) as (mailbox, _):
            _, seconds = wait_until(lambda: mailbox.messages, timeout=30)
            wait_until(lambda: _delivery(app, user_id)[0] == "sent", timeout=10)
            # RQ's warm shutdown lets a job in hand finish; its command listener then stops within a second
            # (jobqueue.COMMANDS_SECONDS; the minute it once took here was RQ's 60 s poll, not the machine's load).
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
            assert [rcpt for rcpt, _ in mailbox.messages] == [[email]]
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    output = open(log.name).read()
    assert "next try in 1 s" in output and "next try in 2 s" in output, output[-3000:]  # the backoff
    print(f"\nfigure: mail server back -> digest delivered after {seconds:.2f} s (it had failed {tries} tries)")
