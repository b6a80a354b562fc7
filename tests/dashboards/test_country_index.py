"""The country page's "next to the world" chart: one axis, volumes as an index of the first year shown."""
import pytest

from tests.harness import dash_client as dc

GRAPH = "country-vs-world-graph"


@pytest.fixture(scope="module")
def client(live_server, subscriber_session):
    """Return a Dash client as the subscriber."""
    subscriber_session.get(f"{live_server.url}/dashboards/overview", timeout=30)
    return dc.DashClient(subscriber_session, live_server.url)


def _figure(client, country, start, end, metric, units="bags"):
    """Return the chart's figure for the filters."""
    values = {("country-select", "value"): country, ("country-range", "value"): [start, end],
              ("country-units", "value"): units, ("country-metric", "value"): metric}
    response = client.call(GRAPH, values)
    assert response.status_code == 200
    return response.json()["response"][GRAPH]["figure"]


def _raw_series(raw_frame, attribute):
    """Return (Brazil's and the world's raw values by market year) of one attribute, with pandas."""
    coffee = raw_frame[(raw_frame["Commodity_Code"] == "0711100") & (raw_frame["Attribute_Description"] == attribute)]
    world = coffee.groupby("Market_Year")["Value"].sum()
    brazil = coffee[coffee["Country_Name"] == "Brazil"].set_index("Market_Year")["Value"]
    return brazil, world


@pytest.mark.parametrize("units", ["bags", "tonnes"])
def test_volumes_are_an_index_of_the_first_year_on_one_axis(client, raw_frame, units):
    figure = _figure(client, "BRA", 1990, 2020, "production", units)
    assert "yaxis2" not in figure["layout"] and all("yaxis" not in t for t in figure["data"])
    assert "index 1990/91 = 100" in figure["layout"]["title"]["text"]
    brazil, world = _raw_series(raw_frame, "Production")
    traces = {t["name"]: dict(zip(t["x"], t["y"])) for t in figure["data"]}
    assert set(traces) == {"Brazil", "World"}
    for year in range(1990, 2021):
        assert traces["Brazil"][year] == pytest.approx(100 * brazil[year] / brazil[1990], rel=1e-9)
        assert traces["World"][year] == pytest.approx(100 * world[year] / world[1990], rel=1e-9)


def test_index_starts_at_the_first_year_both_report(client, raw_frame):
    # Japan's imports are not reported before 2002 (all-zero rows): the index starts there.
    figure = _figure(client, "JPN", 1995, 2010, "imports")
    assert "index 2002/03 = 100" in figure["layout"]["title"]["text"]
    japan = dict(zip(figure["data"][0]["x"], figure["data"][0]["y"]))
    assert japan[2002] == pytest.approx(100) and japan[1999] is None


def test_percentages_share_one_axis_as_they_are(client):
    figure = _figure(client, "BRA", 2005, 2020, "stocks_to_use_pct")
    assert "yaxis2" not in figure["layout"] and all("yaxis" not in t for t in figure["data"])
    assert figure["layout"]["title"]["text"].endswith("and the world, %")
    assert "index" not in figure["layout"]["title"]["text"]
