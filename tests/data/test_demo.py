"""Demo data: `ingest --demo` loads three DEMO releases of coffee and of wheat, then the next one of each per run;
each release holds every identity and revises a handful of countries, and what is served matches pandas over the
generated files."""
import io

import duckdb
import pandas as pd
import pytest
from flask_migrate import upgrade

from app import create_app
from data.cli.options import REAL_FILE_HINT
from data.queries import releases as release_queries
from data.sources import demo
from tests.conftest import RAW_ZIP, base_config
from tests.data.conftest import declared, read_serving

COFFEE, WHEAT = declared("coffee"), declared("wheat")
RELEASES = ["2024-06", "2024-12", "2025-06"]
WHEAT_RELEASES = ["2024-05", "2024-06", "2024-07"]
KEY = ["Country_Name", "Market_Year", "Attribute_ID"]
# Total attribute id -> the attribute ids it sums (USDA's PSD identities).
SUMS = {86: (20, 28, 57), 178: (88, 125, 176), 28: (29, 53, 56), 88: (90, 107, 114), 57: (58, 75, 82),
        125: (141, 154)}
COLUMNS = {20: "beginning_stocks", 28: "production", 29: "arabica_production", 53: "robusta_production",
           56: "other_production", 57: "imports", 58: "bean_imports", 75: "roast_ground_imports",
           82: "soluble_imports", 86: "total_supply", 88: "exports", 90: "bean_exports",
           107: "roast_ground_exports", 114: "soluble_exports", 125: "domestic_consumption",
           141: "roast_ground_dom_consumption", 154: "soluble_dom_consumption", 176: "ending_stocks",
           178: "total_distribution"}


def raw(index, commodity=COFFEE):
    """Return demo release index as pandas reads its CSV: every field as text."""
    return pd.read_csv(io.StringIO(demo.demo_csv(commodity, index)), dtype=str, keep_default_na=False)


def long(index, commodity=COFFEE):
    """Return demo release index as numbers, one row per country, market year and attribute."""
    frame = raw(index, commodity)
    return frame.assign(Market_Year=frame["Market_Year"].astype(int), Attribute_ID=frame["Attribute_ID"].astype(int),
                        Value=frame["Value"].astype(float))[KEY + ["Value"]]


def check_identities(wide, by):
    """Assert every PSD identity on a wide frame (columns named by `by`) and the stock carry-over."""
    for total, parts in SUMS.items():
        assert (wide[by[total]] == wide[[by[p] for p in parts]].sum(axis=1)).all(), total
    assert (wide[by[86]] == wide[by[178]]).all()
    assert (wide[[by[176], by[88], by[28], by[57]]] >= 0).all().all()
    ordered = wide.sort_index()
    previous_end = ordered.groupby(level=0)[by[176]].shift()
    carried = previous_end.notna()
    assert (ordered.loc[carried, by[20]] == previous_end[carried]).all()


@pytest.mark.parametrize("index", range(5))
def test_every_release_keeps_every_identity_and_is_labelled(index):
    frame = raw(index)
    assert (frame["Commodity_Description"] == "Coffee, Green (DEMO DATA)").all()
    year, month = demo.release_month(COFFEE, index)
    assert set(zip(frame["Calendar_Year"], frame["Month"])) == {(str(year), f"{month:02d}")}
    wide = long(index).pivot_table(index=["Country_Name", "Market_Year"], columns="Attribute_ID", values="Value")
    assert wide.notna().all().all() and set(wide.columns) == set(COLUMNS)
    check_identities(wide, {a: a for a in COLUMNS})


def test_served_releases_keep_every_identity(demo_releases_dir):
    history = read_serving(demo_releases_dir, "SELECT * FROM obt_commodity_metrics_history "
                                              "WHERE production IS NOT NULL AND commodity_code = '0711100'")
    assert sorted(history["release_id"].unique()) == RELEASES
    for _, published in history.groupby("release_id"):
        check_identities(published.set_index(["country_code", "market_year"]), COLUMNS)


def changes(old, new):
    """Return the values that differ between two demo releases, labelled revised, new or dropped, by pandas."""
    both = long(old).merge(long(new), on=KEY, how="outer", suffixes=("_old", "_new"))
    both = both[both["Value_old"].ne(both["Value_new"])].copy()
    both["kind"] = "revised"
    both.loc[both["Value_old"].isna(), "kind"] = "new"
    both.loc[both["Value_new"].isna(), "kind"] = "dropped"
    return both


@pytest.mark.parametrize("index", [1, 2, 3, 4])
def test_each_release_revises_a_handful_of_countries(index):
    found = changes(index - 1, index)
    revised = found[found["kind"] == "revised"]
    countries = set(revised["Country_Name"])
    assert {"Brazil", "Vietnam"} <= countries and 3 <= len(countries) <= 6, countries
    assert {28, 88, 176} <= set(revised["Attribute_ID"])  # production, exports and ending stocks
    assert set(revised["Market_Year"]) <= {demo.last_year(COFFEE, index) - 1, demo.last_year(COFFEE, index)}
    assert not (found["kind"] == "dropped").any()
    new = found[found["kind"] == "new"]
    if index == 1:  # Peru is reported for the first time, with its whole history
        assert set(new["Country_Name"]) == {"Peru"} and new["Market_Year"].min() == demo.FIRST_YEAR
    elif index % 2 == 0:  # June adds the market year that begins then, for every country
        assert set(new["Market_Year"]) == {demo.last_year(COFFEE, index)}
    else:
        assert new.empty


def test_served_revisions_match_pandas(demo_releases_dir):
    served = read_serving(demo_releases_dir, "SELECT release_id, country, market_year, attribute_id, old_value, "
                                             "new_value, kind FROM revisions WHERE commodity_code = '0711100'")
    for index in (1, 2):
        expected = changes(index - 1, index)
        got = served[served["release_id"] == RELEASES[index]]
        got = dict(zip(zip(got["country"], got["market_year"], got["attribute_id"]),
                       zip(got["old_value"], got["new_value"], got["kind"])))
        want = dict(zip(zip(expected["Country_Name"], expected["Market_Year"], expected["Attribute_ID"]),
                        zip(expected["Value_old"], expected["Value_new"], expected["kind"])))
        assert set(got) == set(want)
        for key, (old, new, kind) in want.items():
            assert got[key][2] == kind and got[key][1] == pytest.approx(new, nan_ok=True), key
            assert got[key][0] == pytest.approx(old, nan_ok=True), key


def test_track_record_steps_through_every_release(demo_releases_dir):
    con = duckdb.connect(str(demo_releases_dir / "serving.duckdb"), read_only=True)
    try:
        record = release_queries.track_record.uncached(con, "BRA", "production", 2024)
    finally:
        con.close()
    expected = [long(i).set_index(KEY).loc[("Brazil", 2024, 28), "Value"] for i in range(3)]
    assert record["release_id"].tolist() == RELEASES
    assert record["value"].tolist() == pytest.approx(expected) and len(set(expected)) == 3


def test_ingest_demo_loads_three_releases_then_one_more_each_time_until_the_real_file(tmp_path):
    data_dir = tmp_path / "data"
    app = create_app(base_config(tmp_path, data_dir))
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["ingest", "--demo"])
    assert first.exit_code == 0, first.output
    for release in RELEASES:
        assert f"coffee values (demo) as release {release}" in first.output
    for release in WHEAT_RELEASES:
        assert f"wheat values (demo) as release {release}" in first.output
    assert REAL_FILE_HINT in first.output and "ingest --demo` again" in first.output
    second = runner.invoke(args=["ingest", "--demo"])
    assert second.exit_code == 0, second.output
    assert "coffee values (demo) as release 2025-12" in second.output and "2025-06" not in second.output
    assert "wheat values (demo) as release 2024-08" in second.output
    releases = read_serving(data_dir, "SELECT commodity_code, release_id, source, source_kind FROM releases "
                                      "ORDER BY commodity_code, release_id")
    assert releases[releases["commodity_code"] == COFFEE.code]["release_id"].tolist() == RELEASES + ["2025-12"]
    assert releases[releases["commodity_code"] == WHEAT.code]["release_id"].tolist() == WHEAT_RELEASES + ["2024-08"]
    assert set(releases["source_kind"]) == {"demo"} and releases["source"].str.contains("DEMO DATA").all()
    commodities = read_serving(data_dir, "SELECT DISTINCT commodity FROM obt_commodity_metrics_history ORDER BY 1")
    assert commodities["commodity"].tolist() == ["Coffee, Green (DEMO DATA)", "Wheat (DEMO DATA)"]
    again = runner.invoke(args=["ingest", "--if-empty"])  # `make run` on a machine holding demo data
    assert again.exit_code == 0 and "skipping ingest" in again.output and REAL_FILE_HINT in again.output
    refused = runner.invoke(args=["ingest", "--demo", "--release", "2026-06"])
    assert refused.exit_code != 0 and "--release does not apply to --demo" in refused.output
    # The newcomer then loads the real file as the hint says: no --force, and coffee's demo releases leave
    # (wheat's stay until its real file is loaded).
    real = runner.invoke(args=["ingest", str(RAW_ZIP), "--release", "2026-11"])
    assert real.exit_code == 0, real.output
    releases = read_serving(data_dir, "SELECT commodity_code, release_id, source_kind FROM releases")
    assert releases[releases["commodity_code"] == COFFEE.code].values.tolist() == [[COFFEE.code, "2026-11", "file"]]
    assert set(releases[releases["commodity_code"] == WHEAT.code]["source_kind"]) == {"demo"}
    served = read_serving(data_dir, "SELECT count(DISTINCT country_code) AS n, max(commodity) AS c "
                                    "FROM obt_commodity_metrics WHERE commodity_code = '0711100'")
    assert served["n"][0] == 94 and "DEMO" not in served["c"][0]


# The wheat declaration's identities, and PSD's yield (production / area harvested, to 0.01 t/ha).
@pytest.mark.parametrize("index", range(4))
def test_every_wheat_release_keeps_the_declared_identities(index):
    frame = raw(index, WHEAT)
    assert (frame["Commodity_Description"] == "Wheat (DEMO DATA)").all()
    assert set(zip(frame["Calendar_Year"], frame["Month"])) == {tuple(WHEAT_RELEASES[index].split("-"))} \
        if index < 3 else {("2024", "08")}
    wide = long(index, WHEAT).pivot_table(index=["Country_Name", "Market_Year"], columns="Attribute_ID", values="Value")
    ids = {a.metric: a.id for a in WHEAT.attributes}
    assert wide.notna().all().all() and set(wide.columns) == set(ids.values())
    for identity in WHEAT.identities:
        total = wide[ids[identity.total]]
        assert (total == wide[[ids[p] for p in identity.parts]].sum(axis=1)).all(), identity.name
    grown = wide[wide[ids["area_harvested"]] > 0]
    assert ((grown[ids["production"]] / grown[ids["area_harvested"]]).round(2) == grown[ids["yield"]]).all()


def test_served_wheat_demo_releases(demo_releases_dir):
    history = read_serving(demo_releases_dir, "SELECT release_id, country_code, market_year, production, yield, "
                                              "unit FROM obt_commodity_metrics_history WHERE commodity_code = '0410000' "
                                              "AND reported")
    assert sorted(history["release_id"].unique()) == WHEAT_RELEASES
    assert set(history["unit"]) == {"(1000 MT)"}
    for index, release in enumerate(WHEAT_RELEASES):
        production = long(index, WHEAT)
        production = production[production["Attribute_ID"] == 28]
        assert history[history["release_id"] == release]["production"].sum() == pytest.approx(production["Value"].sum())
