"""The Trade page's Form filter reaches every chart it can; the table says it covers all forms."""
import pytest

from tests.harness import dash_client as dc

SOLUBLE_EXPORTS, SOLUBLE_IMPORTS, SOLUBLE_USE = 114, 82, 154
VALUES = {("trade-countries", "value"): ["BRA", "JPN"], ("trade-range", "value"): [2015, 2020],
          ("trade-units", "value"): "bags", ("trade-flow", "value"): "soluble",
          ("trade-year", "value"): 2020, ("trade-top", "value"): 6}


@pytest.fixture(scope="module")
def client(live_server, subscriber_session):
    """Return a Dash client as the subscriber."""
    subscriber_session.get(f"{live_server.url}/dashboards/trade", timeout=30)
    return dc.DashClient(subscriber_session, live_server.url)


def figure(client, view):
    """Return the figure a trade chart draws for VALUES."""
    return client.call(view, VALUES).json()["response"][view]["figure"]


def test_net_and_dependency_follow_the_form(client, raw_by_code):
    net = {t["name"]: dict(zip(t["x"], t["y"])) for t in figure(client, "trade-net-graph")["data"]}
    dependency = {t["name"]: dict(zip(t["x"], t["y"])) for t in figure(client, "trade-dependency-graph")["data"]}
    for code, name in (("BRA", "Brazil"), ("JPN", "Japan")):
        for year in range(2015, 2021):
            raw = raw_by_code.loc[(code, year)]
            assert net[name][year] == pytest.approx(raw[SOLUBLE_EXPORTS] - raw[SOLUBLE_IMPORTS])
            if raw[SOLUBLE_USE]:
                assert dependency[name][year] == pytest.approx(100 * raw[SOLUBLE_IMPORTS] / raw[SOLUBLE_USE])
    assert "soluble" in figure(client, "trade-net-graph")["layout"]["title"]["text"]


def test_pool_follows_the_form_and_the_table_says_it_cannot(client, raw_by_code):
    pool = figure(client, "trade-pool-graph")
    assert "soluble" in pool["layout"]["title"]["text"]
    year = raw_by_code.xs(2020, level="Market_Year")
    assert sum(pool["data"][0]["link"]["value"]) == pytest.approx(
        year[SOLUBLE_EXPORTS].clip(lower=0).sum() + year[SOLUBLE_IMPORTS].clip(lower=0).sum())
    message = client.call("trade-table-grid", VALUES, output_prop="rowData").json()["response"]["trade-table-message"]
    assert "Form filter does not apply" in str(message)
