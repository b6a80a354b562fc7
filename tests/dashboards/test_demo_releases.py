"""On demo data, What changed shows the revisions between demo releases and the track record steps through them.

Expected values are computed with pandas from the generated release files (tests/data/test_demo.py)."""
import pytest

from callbacks import changes, country
from data.schema import ATTRIBUTES
from tests.dashboards.test_changes import call, changes_values
from tests.data.test_demo import RELEASES, changes as expected_changes, long
from tests.harness import dash_client as dc
from tests.harness.charts import page_defaults


@pytest.fixture(scope="module")
def client(demo_server, demo_session):
    """Return a Dash client of a subscriber on the demo releases."""
    demo_session.get(f"{demo_server.url}/dashboards/overview", timeout=30)
    return dc.DashClient(demo_session, demo_server.url)


def test_what_changed_shows_the_latest_demo_release_against_the_one_before(client):
    values = page_defaults(client, changes.PAGE)
    assert values[(changes.PAGE.component("new"), "value")] == RELEASES[-1]
    assert values[(changes.PAGE.component("old"), "value")] == RELEASES[-2]
    rows, message = call(client, changes.REVISIONS_CHART, values, "rowData")
    expected = expected_changes(1, 2)
    expected = expected[expected["Attribute_ID"].isin(ATTRIBUTES)]
    want = {(r.Country_Name, r.Market_Year, ATTRIBUTES[r.Attribute_ID]): r for r in expected.itertuples()}
    got = {(r["country"], int(r["market_year"]), r["metric"]): r for r in rows}
    assert set(got) == set(want) and any(r["kind"] == "revised" for r in rows)
    for key, row in want.items():
        assert got[key]["kind"] == row.kind, key
        if row.kind == "revised":
            assert got[key]["old_value"] == pytest.approx(row.Value_old)
            assert got[key]["new_value"] == pytest.approx(row.Value_new)
    revised = (expected["kind"] == "revised").sum()
    assert f"{revised:,} revised" in message


def test_the_newly_reported_country_is_new_not_a_change_from_zero(client):
    values = changes_values(client, old=RELEASES[0], new=RELEASES[1])
    rows, _ = call(client, changes.REVISIONS_CHART, values, "rowData")
    peru = [r for r in rows if r["country"] == "Peru"]
    assert peru and {r["kind"] for r in peru} == {"new"}


def test_the_track_record_steps_through_the_demo_releases(client):
    values = page_defaults(client, country.PAGE, "?track_year=2024")
    figure, message = call(client, country.TRACK_CHART, values)
    trace = figure["data"][0]
    expected = [long(i).set_index(["Country_Name", "Market_Year", "Attribute_ID"]).loc[("Brazil", 2024, 28), "Value"]
                for i in range(len(RELEASES))]
    assert trace["x"] == RELEASES and trace["y"] == pytest.approx(expected)
    assert f"{len(RELEASES)} releases" in message
