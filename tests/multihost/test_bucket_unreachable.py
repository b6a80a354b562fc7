"""A warehouse bucket that refuses connections, or accepts them and never answers: commands fail soon, in one line."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import SETTINGS
from tests.conftest import RAW_ZIP, ROOT, SECRET

BUDGET = 30  # seconds docs/operations.md promises for a bucket that never answers


def flask(env, *args):
    """Run a flask command; return (exit code, stdout + stderr, seconds taken)."""
    started = time.monotonic()
    result = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", *args], cwd=ROOT,
                            env={**os.environ, **env}, capture_output=True, text=True, timeout=180)
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


@pytest.fixture(scope="module")
def published(tmp_path_factory, s3_store):
    """Return the settings of a SQLite catalog whose warehouse is a moto bucket holding the real coffee release."""
    tmp = tmp_path_factory.mktemp("bucket")
    env = {"SECRET_KEY": SECRET, "ICEBERG_CATALOG_URI": f"sqlite:///{tmp / 'catalog.db'}", **s3_store.warehouse(),
           "BEANFLOWS_DATA_DIR": str(tmp / "publisher")}
    code, output, _ = flask({**env, "ICEBERG_S3_ENDPOINT": s3_store.direct}, "ingest", str(RAW_ZIP))
    assert code == 0, output
    return env, env["ICEBERG_WAREHOUSE"].split("/")[2]


def one_error_line(output):
    """Return the one `Error:` line of a command's output, checking there is no traceback."""
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    return errors[0]


@pytest.fixture
def silent_endpoint():
    """Yield the URL of a port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # the kernel completes each handshake; nobody reads or writes
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_the_documented_timeouts_fail_a_silent_bucket_within_the_budget():
    defaults = {setting.key: setting.default for setting in SETTINGS}
    from data.lake.reach import ATTEMPTS

    assert ATTEMPTS * (defaults["ICEBERG_S3_CONNECT_TIMEOUT"] + defaults["ICEBERG_S3_READ_TIMEOUT"]) <= BUDGET
    docs = (ROOT / "docs" / "operations.md").read_text()
    assert "ICEBERG_S3_CONNECT_TIMEOUT" in docs and "ICEBERG_S3_READ_TIMEOUT" in docs


def test_releases_on_a_silent_bucket_fails_within_the_budget_naming_the_bucket(published, silent_endpoint, s3_store,
                                                                              tmp_path):
    env, bucket = published
    host = {**env, "BEANFLOWS_DATA_DIR": str(tmp_path / "host")}
    code, output, start = flask({**host, "ICEBERG_S3_ENDPOINT": s3_store.direct}, "releases")
    assert code == 0, output  # the same command on a bucket that answers: its own start-up time
    code, output, took = flask({**host, "ICEBERG_S3_ENDPOINT": silent_endpoint}, "releases")
    line = one_error_line(output)
    assert code == 1 and took - start <= BUDGET, (took, start, output)
    assert line.startswith(f"Error: cannot read the catalog: warehouse bucket {bucket} at {silent_endpoint}:"), line
    print(f"releases failed after {took:.1f} s ({start:.1f} s when the bucket answers): {line}")


def test_ingest_and_the_follower_on_a_refusing_bucket_say_so_in_one_line(published, s3_store, tmp_path):
    env, bucket = published
    host = {**env, "BEANFLOWS_DATA_DIR": str(tmp_path / "host"), "ICEBERG_S3_CONNECT_TIMEOUT": "2",
            "ICEBERG_S3_READ_TIMEOUT": "2"}
    s3_store.gate.shut()
    try:
        code, output, took = flask(host, "ingest", str(RAW_ZIP), "--force")
        line = one_error_line(output)
        assert code == 1 and line.startswith(f"Error: ingest failed: warehouse bucket {bucket} at "
                                             f"{s3_store.endpoint}:"), output
        code, output, _ = flask(host, "follow", "--once")
        line = one_error_line(output)
        assert code == 1 and f"warehouse bucket {bucket} at {s3_store.endpoint}:" in line, output
        assert not (tmp_path / "host" / "serving.duckdb").exists()
    finally:
        s3_store.gate.open()
