"""An ingest killed (SIGKILL) at each stage leaves the catalog and the serving file consistent; the next run completes.

Stages: parsing (before the commit), the Iceberg commit, the serving-file build (its temp copy written), the swap
(built and checked, not yet renamed). The coffee file, a local catalog: a few seconds each.
"""
import subprocess
import sys

import duckdb
import pytest

from data import pipeline
from data.lake import iceberg
from data.serving.releases import listing
from tests.conftest import RAW_ZIP, ROOT
from tests.data.live_layout import to_live, write_zip
from tests.harness.releases import release_frames

HOOKED = """
import os, signal, sys
from data import pipeline
data_dir, source, stage = sys.argv[1:]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if stage == "parse":
    pipeline.write = die
elif stage == "commit":
    from pyiceberg.table import Transaction
    Transaction.commit_transaction = die
elif stage == "build":
    from data.serving import releases
    releases.add = die
elif stage == "swap":
    from data.serving import export
    export.check = die
pipeline.ingest({"BEANFLOWS_DATA_DIR": data_dir}, source)
"""


def served(data_dir):
    """Return the serving file's releases (commodity, release id)."""
    with duckdb.connect(str(data_dir / "serving.duckdb"), read_only=True) as con:
        return sorted(con.execute("SELECT commodity_code, release_id FROM releases").fetchall())


def catalog(data_dir):
    """Return the catalog's served releases (commodity, release id)."""
    table = iceberg.open_table(iceberg.open_catalog({"BEANFLOWS_DATA_DIR": str(data_dir)}))
    return sorted((r["commodity_code"], r["release_id"]) for r in listing(table, {"0711100"})[0])


def leftovers(data_dir):
    """Return temp files in the data dir."""
    return sorted(p.name for p in data_dir.iterdir() if ".tmp" in p.name)


@pytest.fixture(scope="module")
def newer(tmp_path_factory):
    """Return a release of the coffee file after the real file's own (2027-01, with known edits)."""
    folder = tmp_path_factory.mktemp("newer")
    return write_zip(to_live(release_frames()["2024-09"], 2027, 1), folder / "psd_2027-01.zip")


@pytest.mark.parametrize("stage", ["parse", "commit", "build", "swap"])
def test_an_ingest_killed_at_a_stage_leaves_old_or_new_and_the_next_run_completes(tmp_path, newer, stage):
    data_dir = tmp_path / "data"
    pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(RAW_ZIP))
    old = served(data_dir)
    killed = subprocess.run([sys.executable, "-c", HOOKED, str(data_dir), str(newer), stage], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr
    committed = stage in ("build", "swap")
    assert catalog(data_dir) == (sorted(old + [("0711100", "2027-01")]) if committed else old)
    assert served(data_dir) == old  # the last good file, whole
    pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(newer))  # the next run
    assert served(data_dir) == catalog(data_dir) == sorted(old + [("0711100", "2027-01")])
    assert leftovers(data_dir) == []
