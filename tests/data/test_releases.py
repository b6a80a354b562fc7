"""Three releases with known edits: the release list, revisions and per-release values."""
import pandas as pd
import pytest

from app import create_app
from data.lake import iceberg
from data.lake.psd import tag_name
from tests.conftest import base_config
from tests.data.conftest import read_serving
from tests.harness.releases import KEY, expected_revisions, long_values, release_frames

@pytest.fixture(scope="module")
def loaded(releases_loaded):
    """Return (data dir, CLI outputs) after loading the three releases through the CLI (once per run)."""
    return releases_loaded


def test_each_release_is_a_tagged_snapshot(loaded):
    data_dir, outputs = loaded
    releases = read_serving(data_dir, "SELECT * FROM releases ORDER BY release_id")
    assert releases["release_id"].tolist() == list(release_frames())
    table = iceberg.open_table(iceberg.open_catalog({"BEANFLOWS_DATA_DIR": str(data_dir)}))
    refs = table.refs()
    for release_id, snapshot_id in zip(releases["release_id"], releases["snapshot_id"]):
        assert refs[tag_name("0711100", release_id)].snapshot_id == snapshot_id
        assert f"as release {release_id}, Iceberg snapshot {snapshot_id}" in outputs[release_id]
    assert releases["previous_release_id"].fillna("").tolist() == ["", "2024-06", "2024-09"]
    assert releases["rows"].tolist() == [len(frame) for frame in release_frames().values()]


def test_identical_content_adds_no_release(loaded):
    data_dir, outputs = loaded
    assert "No new release: the content is identical to release 2024-12" in outputs["again"]
    assert len(read_serving(data_dir, "SELECT * FROM releases")) == 3


@pytest.mark.parametrize("pair", [("2024-06", "2024-09"), ("2024-09", "2024-12")])
def test_revisions_match_pandas(loaded, pair):
    data_dir, _ = loaded
    frames = release_frames()
    expected = expected_revisions(frames[pair[0]], frames[pair[1]])
    got = read_serving(
        data_dir,
        "SELECT * FROM revisions WHERE release_id = ? ORDER BY country_code, market_year, attribute_id"
        .replace("?", f"'{pair[1]}'"),
    )
    assert (got["previous_release_id"] == pair[0]).all()
    assert got[KEY].astype({"market_year": int, "attribute_id": int}).values.tolist() == expected[KEY].values.tolist()
    pd.testing.assert_series_equal(got["old_value"], expected["value_old"], check_names=False)
    pd.testing.assert_series_equal(got["new_value"], expected["value_new"], check_names=False)
    assert got["kind"].tolist() == expected["kind"].tolist()
    revised = expected["kind"] == "revised"
    change = expected["value_new"] - expected["value_old"]
    pd.testing.assert_series_equal(got["change"][revised], change[revised], check_names=False)
    pct = 100 * change / expected["value_old"].abs()
    nonzero = revised & (expected["value_old"] != 0)
    pd.testing.assert_series_equal(got["pct"][nonzero], pct[nonzero], check_names=False)
    assert got["pct"][~nonzero].isna().all()


def test_known_edits_are_labelled(loaded):
    data_dir, _ = loaded
    rows = read_serving(data_dir, "SELECT release_id, country_code, market_year, metric, kind, pct FROM revisions")
    brazil = rows[(rows["country_code"] == "BRA") & (rows["market_year"] == 2020) & (rows["metric"] == "production")]
    assert brazil["release_id"].tolist() == ["2024-09"] and brazil["pct"].iloc[0] == pytest.approx(-3, abs=1e-3)
    added = rows[(rows["release_id"] == "2024-09") & (rows["market_year"] == 2023)]
    assert len(added) > 0 and set(added["kind"]) == {"new"}
    dropped = rows[(rows["release_id"] == "2024-12") & (rows["country_code"] == "XYS")]
    assert len(dropped) > 0 and set(dropped["kind"]) == {"dropped"}


def test_release_list_command(loaded):
    data_dir, outputs = loaded
    releases = read_serving(data_dir, "SELECT * FROM releases ORDER BY release_id")
    frames = release_frames()
    lines = outputs["releases"].strip().splitlines()
    assert len(lines) == 6  # the commodity, a header, three releases, what this host serves
    assert lines[0] == "coffee (0711100)"
    assert lines[-1] == "  This host serves coffee release 2024-12; the catalog's latest is 2024-12."
    for line, (release_id, frame) in zip(lines[2:-1], frames.items(), strict=True):
        previous = list(frames)[list(frames).index(release_id) - 1] if release_id != "2024-06" else None
        expected_changed = "-" if previous is None else f"{len(expected_revisions(frames[previous], frame)):,}"
        fields = line.split()
        assert fields[0] == release_id
        assert fields[3] == f"{len(frame):,}"
        assert fields[4] == expected_changed
        assert fields[5] == str(releases.set_index("release_id").loc[release_id, "snapshot_id"])
        assert fields[6].endswith(f"psd_{release_id}.zip")


def test_values_as_each_release_published_them(loaded):
    data_dir, _ = loaded
    history = read_serving(data_dir, "SELECT * FROM obt_commodity_metrics_history")
    for release_id, frame in release_frames().items():
        values = long_values(frame)
        silent = (values["value"] == 0).groupby([values["country_code"], values["market_year"]]).all()
        production = values[values["attribute_id"] == 28].set_index(["country_code", "market_year"])["value"]
        production = production.mask(silent.reindex(production.index))  # a country-year of all zeros: not reported
        served = history[history["release_id"] == release_id].set_index(["country_code", "market_year"])
        assert len(served) == frame["Country_Name"].nunique() * frame["Market_Year"].nunique()
        pd.testing.assert_series_equal(served["production"].sort_index(), production.sort_index(), check_names=False,
                                       check_index_type=False)
        world = read_serving(data_dir, f"SELECT market_year, production FROM obt_world_metrics_history "
                                       f"WHERE release_id = '{release_id}' ORDER BY market_year")
        sums = production.groupby(level="market_year").sum()
        assert world["market_year"].tolist() == sums.index.tolist()
        assert world["production"].tolist() == pytest.approx(sums.tolist())
    latest = history[history["release_id"] == "2024-12"].drop(columns="release_id")
    current = read_serving(data_dir, "SELECT * FROM obt_commodity_metrics")
    pd.testing.assert_frame_equal(latest.reset_index(drop=True), current)


def test_release_commands_refuse_bad_input(tmp_path):
    data_dir = tmp_path / "data"
    runner = create_app(base_config(tmp_path, data_dir)).test_cli_runner()
    listed = runner.invoke(args=["releases"])
    assert listed.exit_code != 0 and "no releases in the catalog" in listed.output
    bad = runner.invoke(args=["ingest", "--demo", "--release", "2024-13"])
    assert bad.exit_code != 0 and "expected YYYY-MM" in bad.output
    assert not data_dir.exists() or not (data_dir / "serving.duckdb").exists()
