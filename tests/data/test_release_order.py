"""The latest release is the highest release id, whatever order the loads commit in."""
import subprocess
import sys

import pandas as pd
import pytest

from app import create_app
from tests.conftest import base_config
from tests.data.conftest import read_serving
from tests.harness.databases import copy_migrated
from tests.data.live_layout import to_live, write_zip
from tests.harness.releases import long_values, release_frames

EARLY, LATE = "2024-06", "2024-09"
COFFEE = "0711100"


def release_zips(folder):
    """Write the early and late releases (tests/harness/releases.py) as USDA's zips; return {release id: path}."""
    frames = release_frames()
    return {rid: write_zip(to_live(frames[rid], *map(int, rid.split("-"))), folder / f"psd_{rid}.zip")
            for rid in (EARLY, LATE)}


def production(release_id):
    """Return a release's production by (country, year) with pandas alone; all-zero country-years not reported."""
    values = long_values(release_frames()[release_id])
    silent = (values["value"] == 0).groupby([values["country_code"], values["market_year"]]).all()
    found = values[values["attribute_id"] == 28].set_index(["country_code", "market_year"])["value"]
    return found.mask(silent.reindex(found.index)).sort_index()


def served_production(data_dir, table="obt_commodity_metrics", release_id=None):
    """Return production by (country, year) of a serving table, optionally of one release."""
    where = f" WHERE release_id = '{release_id}'" if release_id else ""
    rows = read_serving(data_dir, f"SELECT country_code, market_year, production FROM {table}{where}")
    return rows.set_index(["country_code", "market_year"])["production"].sort_index()


def assert_late_is_default(data_dir, listed):
    """Check the late release is the default everywhere and the early one is kept as published."""
    pd.testing.assert_series_equal(served_production(data_dir), production(LATE), check_names=False,
                                   check_index_type=False)
    early = served_production(data_dir, "obt_commodity_metrics_history", EARLY)
    pd.testing.assert_series_equal(early, production(EARLY), check_names=False, check_index_type=False)
    releases = read_serving(data_dir, "SELECT release_id FROM releases ORDER BY release_id")
    assert releases["release_id"].tolist() == [EARLY, LATE]
    source = read_serving(data_dir, "SELECT source FROM load_metadata ORDER BY release_id DESC, loaded_at DESC LIMIT 1")
    assert source["source"].iloc[0].endswith(f"psd_{LATE}.zip")
    assert listed.strip().splitlines()[-1] == (f"  This host serves coffee release {LATE}; "
                                               f"the catalog's latest is {LATE}.")


@pytest.mark.parametrize("order", [(EARLY, LATE), (LATE, EARLY)], ids=["in-order", "late-older-release"])
def test_latest_is_the_highest_release_whatever_the_commit_order(tmp_path, order):
    data_dir = tmp_path / "data"
    zips = release_zips(tmp_path)
    copy_migrated(base_config(tmp_path, data_dir)["SQLALCHEMY_DATABASE_URI"])  # ingest queues the alerts' job
    runner = create_app(base_config(tmp_path, data_dir)).test_cli_runner()
    for release_id in order:
        result = runner.invoke(args=["ingest", str(zips[release_id])])
        assert result.exit_code == 0, result.output
        assert f"as release {release_id}" in result.output
    assert_late_is_default(data_dir, runner.invoke(args=["releases"]).output)
    with create_app(base_config(tmp_path, data_dir)).app_context():
        from data.queries import metrics

        assert metrics.load_info(COFFEE)["source"].endswith(f"psd_{LATE}.zip")
    again = runner.invoke(args=["ingest", str(zips[order[0]])])  # a stored release loaded once more adds nothing
    assert again.exit_code == 0 and "No new release" in again.output, again.output
    assert len(read_serving(data_dir, "SELECT * FROM releases")) == 2


# A load whose commit waits for a flag file (the other load's commit) or writes it once committed: both loads run
# at once, and the commit order is the one the test names.
LOAD = """
import sys, time
from pathlib import Path
from data import pipeline
from data.lake import iceberg
data_dir, source, role, flag = sys.argv[1:]
write = iceberg.write_snapshot
def ordered(*args, **kwargs):
    while role == "second" and not Path(flag).exists():
        time.sleep(0.05)
    snapshot_id = write(*args, **kwargs)
    if role == "first":
        Path(flag).touch()
    return snapshot_id
iceberg.write_snapshot = ordered
pipeline.ingest({"BEANFLOWS_DATA_DIR": data_dir}, source)
"""


@pytest.mark.parametrize("first", [EARLY, LATE], ids=["early-commits-first", "late-commits-first"])
def test_concurrent_loads_serve_the_highest_release(tmp_path, first):
    zips = release_zips(tmp_path)
    data_dir, flag = tmp_path / "data", tmp_path / "committed"
    order = {first: "first", (LATE if first == EARLY else EARLY): "second"}
    loads = [subprocess.Popen([sys.executable, "-c", LOAD, str(data_dir), str(zips[rid]), role, str(flag)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for rid, role in order.items()]
    for load in loads:
        output = load.communicate(timeout=180)[0]
        assert load.returncode == 0, output
    copy_migrated(base_config(tmp_path, data_dir)["SQLALCHEMY_DATABASE_URI"])
    runner = create_app(base_config(tmp_path, data_dir)).test_cli_runner()
    assert_late_is_default(data_dir, runner.invoke(args=["releases"]).output)
    assert not [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")]
