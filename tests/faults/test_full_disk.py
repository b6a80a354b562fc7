"""A full disk (a small tmpfs holding the data dir) during an Iceberg write or the serving build: the last good file
keeps serving byte for byte, the error names the cause, nothing partial is left, and the next run completes."""
import hashlib
import os
import subprocess

import pytest

from app import create_app
from data import pipeline
from tests.conftest import RAW_ZIP, base_config
from tests.data.live_layout import to_live, write_zip
from tests.faults.test_killed_ingest import catalog, leftovers, served
from tests.harness.databases import copy_migrated
from tests.harness.releases import release_frames

SIZE_MB = 64


@pytest.fixture
def disk(tmp_path):
    """Yield a directory on a 64 MB tmpfs of this test's own (root mounts it), unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs (tests run as root): {done.stderr}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(mount, leave):
    """Fill the filesystem at mount until `leave` bytes are free; return the filler file."""
    filler = mount / "filler"
    stats = os.statvfs(mount)
    with open(filler, "wb") as out:
        out.truncate(0)
        chunk = b"\0" * (1 << 20)
        remaining = stats.f_bavail * stats.f_frsize - leave
        while remaining > 0:
            remaining -= out.write(chunk[:min(len(chunk), remaining)])
    return filler


def sha(path):
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("where, leave", [("the Iceberg write", 16 << 10), ("the serving build", 1 << 20)])
def test_a_full_disk_keeps_the_last_good_file_and_names_the_cause(disk, tmp_path, where, leave):
    data_dir = disk / "data"
    config = base_config(tmp_path, data_dir)
    pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(RAW_ZIP))
    old, before = served(data_dir), sha(data_dir / "serving.duckdb")
    newer = write_zip(to_live(release_frames()["2024-09"], 2027, 1), tmp_path / "psd_2027-01.zip")
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    runner = create_app(config).test_cli_runner()
    filler = fill(disk, leave)
    result = runner.invoke(args=["ingest", str(newer)])
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.output and "Traceback" not in result.output, result.output
    assert sha(data_dir / "serving.duckdb") == before and served(data_dir) == old
    assert leftovers(data_dir) == []
    stored = catalog(data_dir)
    assert stored == (old if where == "the Iceberg write" else sorted(old + [("0711100", "2027-01")]))
    filler.unlink()
    result = runner.invoke(args=["ingest", str(newer)])
    assert result.exit_code == 0, result.output
    assert served(data_dir) == catalog(data_dir) == sorted(old + [("0711100", "2027-01")])
