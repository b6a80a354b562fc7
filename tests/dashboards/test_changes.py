"""The changes page, its CSV, the overview strip, the track record and release= on three releases with known edits.

Every expected number is computed with pandas from the raw frames the releases were built from.
"""
import io

import pandas as pd
import pytest

from callbacks import changes, country, overview
from data.schema import ATTRIBUTES
from tests.dashboards.test_callbacks import check_hostile_chart, check_hostile_download
from tests.harness import dash_client as dc
from tests.harness.charts import page_defaults
from tests.harness.releases import expected_revisions, long_values, release_frames

OLD, NEW = "2024-09", "2024-12"


@pytest.fixture(scope="module")
def client(releases_server, releases_session):
    """Return a Dash client of the subscriber on the three releases."""
    releases_session.get(f"{releases_server.url}/dashboards/overview", timeout=30)
    return dc.DashClient(releases_session, releases_server.url)


@pytest.fixture(scope="module")
def frames():
    """Return the raw frame of each release."""
    return release_frames()


def expected_country(frames, old, new):
    """Return the country revisions between two releases with serving metric names, by pandas."""
    got = expected_revisions(frames[old], frames[new])
    got = got[got["attribute_id"].isin(ATTRIBUTES)].copy()
    got["metric"] = got["attribute_id"].map(ATTRIBUTES)
    return got


def expected_world(frames, old, new):
    """Return the world totals that differ between two releases, by pandas."""
    def totals(frame):
        values = long_values(frame)
        values = values[values["attribute_id"].isin(ATTRIBUTES)]
        return values.groupby(["market_year", "attribute_id"])["value"].sum()
    both = pd.concat([totals(frames[old]).rename("old"), totals(frames[new]).rename("new")], axis=1).reset_index()
    differ = ~((both["old"] - both["new"]).abs() < 1e-6)
    both = both[differ].copy()
    both["metric"] = both["attribute_id"].map(ATTRIBUTES)
    return both


def call(client, chart, values, prop="figure"):
    """Return (view, message) of a chart callback with values {(id, prop): value}."""
    response = client.call(chart.view, values, output_prop=prop)
    assert response.status_code == 200, response.text[:300]
    props = dc.response_props(response.json())
    return props[(chart.view, prop)], str(props[(chart.message, "children")])


def changes_values(client, **overrides):
    """Return the changes page's filter values, defaults first, then {field: value} overrides."""
    values = page_defaults(client, changes.PAGE)
    for name, value in overrides.items():
        values[(changes.PAGE.component(name), changes.PAGE.fields[name].prop)] = value
    return values


def keyed(rows):
    """Return rows keyed by (country_code, market_year, metric)."""
    return {(r["country_code"], int(r["market_year"]), r["metric"]): r for r in rows}


@pytest.mark.parametrize("chart", ["world", "revisions", "by-country"])
def test_hostile_input_gets_a_message_and_no_download(client, chart):
    spec = next(s for s in changes.PAGE.charts if s.ids.base == f"changes-{chart}")
    defaults = page_defaults(client, changes.PAGE)
    check_hostile_chart(client.post, client.dependencies(), defaults, spec)
    check_hostile_download(client.post, client.dependencies(), defaults, spec)


def test_default_pair_is_latest_against_the_one_before(client):
    values = page_defaults(client, changes.PAGE)
    assert values[(changes.PAGE.component("new"), "value")] == NEW
    assert values[(changes.PAGE.component("old"), "value")] == OLD


@pytest.mark.parametrize("pair", [("2024-06", "2024-09"), ("2024-09", "2024-12"), ("2024-06", "2024-12")])
def test_ranked_grid_matches_pandas(client, frames, pair):
    old, new = pair
    rows, message = call(client, changes.REVISIONS_CHART, changes_values(client, old=old, new=new), "rowData")
    expected = expected_country(frames, old, new)
    got = keyed(rows)
    assert set(got) == set(zip(expected["country_code"], expected["market_year"], expected["metric"]))
    for row in expected.to_dict("records"):
        shown = got[(row["country_code"], row["market_year"], row["metric"])]
        assert shown["kind"] == row["kind"]
        if row["kind"] == "revised":
            assert shown["old_value"] == pytest.approx(row["value_old"])
            assert shown["new_value"] == pytest.approx(row["value_new"])
            assert shown["change"] == pytest.approx(row["change"])
            assert shown["pct"] == pytest.approx(100 * row["change"] / abs(row["value_old"]))
        else:  # labelled new or dropped, never a change from zero
            assert shown["change"] is None
    revised = [r for r in rows if r["kind"] == "revised"]
    assert [abs(r["change"]) for r in revised] == sorted((abs(r["change"]) for r in revised), reverse=True)
    assert rows[:len(revised)] == revised  # revisions rank first, new and dropped values after
    counts = expected["kind"].value_counts()
    assert f"{counts.get('revised', 0):,} revised" in message and f"{counts.get('new', 0):,} new" in message


def test_market_year_added_is_new_and_country_dropped_is_dropped(client):
    rows, _ = call(client, changes.REVISIONS_CHART, changes_values(client, old="2024-06", new="2024-09"), "rowData")
    added = [r for r in rows if r["market_year"] == 2023]
    assert added and {r["kind"] for r in added} == {"new"}
    rows, _ = call(client, changes.REVISIONS_CHART, changes_values(client), "rowData")
    yemen = [r for r in rows if r["country"] == "Yemen (Sanaa)"]
    assert yemen and {r["kind"] for r in yemen} == {"dropped"}


def test_filters_narrow_the_grid(client, frames):
    old, new = "2024-06", "2024-12"
    expected = expected_country(frames, old, new)
    values = changes_values(client, old=old, new=new, attribute="production", countries=["BRA", "COL"],
                            min_change=500)
    rows, _ = call(client, changes.REVISIONS_CHART, values, "rowData")
    want = expected[(expected["metric"] == "production") & expected["country_code"].isin(["BRA", "COL"])]
    want = want[(want["kind"] != "revised") | (want["change"].abs() >= 500)]
    assert set(keyed(rows)) == set(zip(want["country_code"], want["market_year"], want["metric"]))
    # Brazil's 3% cut of 2020 passes 500 thousand bags; Colombia's 2% raise of 2022 does not.
    assert ("BRA", 2020, "production") in keyed(rows) and ("COL", 2022, "production") not in keyed(rows)


def test_world_revisions_match_pandas(client, frames):
    old, new = "2024-06", "2024-09"
    rows, _ = call(client, changes.WORLD_CHART, changes_values(client, old=old, new=new), "rowData")
    expected = expected_world(frames, old, new)
    got = {(r["market_year"], r["metric"]): r for r in rows}
    assert set(got) == set(zip(expected["market_year"], expected["metric"]))
    for row in expected.to_dict("records"):
        shown = got[(row["market_year"], row["metric"])]
        if pd.isna(row["old"]):
            assert shown["kind"] == "new" and shown["change"] is None
        else:
            assert shown["kind"] == "revised"
            assert shown["change"] == pytest.approx(row["new"] - row["old"])
            assert shown["pct"] == pytest.approx(100 * (row["new"] - row["old"]) / abs(row["old"]))
    assert {y for y, _ in got} == {2020, 2021, 2023}


def test_csv_holds_the_grid(client, frames):
    old, new = "2024-06", "2024-12"
    values = changes_values(client, old=old, new=new, attribute="production")
    values[(changes.REVISIONS_CHART.button, "n_clicks")] = 1
    response = client.call(changes.REVISIONS_CHART.download, values, output_prop="data")
    assert response.status_code == 200
    data = dc.response_props(response.json())[(changes.REVISIONS_CHART.download, "data")]
    assert data["filename"].endswith(f"{old}-to-{new}.csv")
    csv = pd.read_csv(io.StringIO(data["content"]), comment="#")
    expected = expected_country(frames, old, new)
    expected = expected[expected["metric"] == "production"].set_index(["country_code", "market_year"])
    assert len(csv) == len(expected)
    csv = csv.set_index(["country_code", "market_year"])
    for key, row in expected.iterrows():
        assert csv.loc[key, "kind"] == row["kind"]
        if row["kind"] == "revised":
            assert csv.loc[key, "change"] == pytest.approx(row["change"])
            assert csv.loc[key, "new_value"] == pytest.approx(row["value_new"])


def test_chart_by_country(client, frames):
    figure, _ = call(client, changes.BY_COUNTRY_CHART, changes_values(client, old="2024-06", new="2024-12"))
    bars = {(t["name"], y): x for t in figure["data"] for y, x in zip(t["y"], t["x"])}
    expected = expected_country(frames, "2024-06", "2024-12")
    expected = expected[(expected["metric"] == "production") & (expected["kind"] == "revised")]
    assert len(bars) == len(expected)
    for row in expected.to_dict("records"):
        year = f"{row['market_year']}/{(row['market_year'] + 1) % 100:02d}"
        assert bars[(year, row["country"])] == pytest.approx(row["change"])


def test_one_release_has_nothing_to_compare(live_server, subscriber_session):
    subscriber_session.get(f"{live_server.url}/dashboards/overview", timeout=30)
    single = dc.DashClient(subscriber_session, live_server.url)
    rows, message = call(single, changes.REVISIONS_CHART, page_defaults(single, changes.PAGE), "rowData")
    assert rows == [] and "nothing to compare yet" in message


def test_overview_strip_names_the_largest_revision(client, frames):
    props = client.page_props("/dashboards/overview")
    text = str(props["overview-release-strip"]["children"])
    expected = expected_country(frames, OLD, NEW)
    revised = expected[expected["kind"] == "revised"]
    largest = revised.loc[revised["change"].abs().idxmax()]
    year = f"{largest['market_year']}/{(largest['market_year'] + 1) % 100:02d}"
    verb = "raised" if largest["change"] > 0 else "cut"
    assert f"USDA release {NEW}" in text and f"{len(revised)} value" in text
    assert f"{largest['country']} production {year} {verb} by {abs(largest['change']):,.0f} (1000 60-kg bags)" in text
    assert "/dashboards/changes" in text


def test_track_record_steps_through_every_release(client, frames):
    values = page_defaults(client, country.PAGE, "?track_year=2020")
    figure, message = call(client, country.TRACK_CHART, values)
    trace = figure["data"][0]
    assert trace["line"]["shape"] == "hv"
    expected = [long_values(f).query("country_code == 'BRA' and market_year == 2020 and attribute_id == 28")
                ["value"].iloc[0] for f in frames.values()]
    assert trace["x"] == list(frames) and trace["y"] == pytest.approx(expected)
    assert expected[1] == pytest.approx(0.97 * expected[0])


def test_release_in_a_dashboard_url_shows_those_numbers(client, frames):
    props = client.page_props("/dashboards/overview", "?release=2024-06&start=2019&end=2023")
    banner = str(props["overview-release-banner"]["children"])
    assert "As published in 2024-06" in banner and "see the latest" in banner
    values = page_defaults(client, overview.PAGE, "?release=2024-06&start=2019&end=2023")
    assert values[(overview.PAGE.component("release"), "children")] == "2024-06"
    assert values[(overview.PAGE.component("year"), "value")] == 2022  # 2023 came with the next release
    figure, _ = call(client, overview.BALANCE_CHART, values)
    line = next(t for t in figure["data"] if t["name"] == "Production")
    world = long_values(frames["2024-06"]).query("attribute_id == 28").groupby("market_year")["value"].sum()
    assert line["x"] == [2019, 2020, 2021, 2022]
    assert line["y"] == pytest.approx(world.loc[2019:2022].tolist())
    latest, _ = call(client, overview.BALANCE_CHART, {**values, (overview.PAGE.component("release"), "children"): None,
                                                      (overview.PAGE.component("years"), "value"): [2019, 2023]})
    assert next(t for t in latest["data"] if t["name"] == "Production")["x"][-1] == 2023


def test_unknown_release_in_a_url_falls_back_to_latest(client):
    props = client.page_props("/dashboards/overview", "?release=1999-01")
    assert "not known" in str(props["overview-release-banner"]["children"])
    assert props[overview.PAGE.component("release")].get("children") is None


def test_world_csv_matches_pandas(client, frames):
    old, new = "2024-09", "2024-12"
    values = changes_values(client, old=old, new=new)
    values[(changes.WORLD_CHART.button, "n_clicks")] = 1
    response = client.call(changes.WORLD_CHART.download, values, output_prop="data")
    data = dc.response_props(response.json())[(changes.WORLD_CHART.download, "data")]
    csv = pd.read_csv(io.StringIO(data["content"]), comment="#").set_index(["market_year", "metric"])
    expected = expected_world(frames, old, new).set_index(["market_year", "metric"])
    assert set(csv.index) == set(expected.index)
    for key, row in expected.iterrows():
        assert csv.loc[key, "old_value"] == pytest.approx(row["old"])
        assert csv.loc[key, "new_value"] == pytest.approx(row["new"])
        assert csv.loc[key, "change"] == pytest.approx(row["new"] - row["old"])
