"""Downloads of the map and the regional charts: the rows drawn, checked against pandas over the raw CSV."""
import base64
import io

import pandas as pd
import pytest

from data.reference import regions
from tests.harness import dash_client as dc

PRODUCTION, IMPORTS, CONSUMPTION = 28, 57, 125


@pytest.fixture(scope="module")
def client(live_server, subscriber_session):
    """Return a Dash client as the subscriber."""
    subscriber_session.get(f"{live_server.url}/dashboards/overview", timeout=30)
    return dc.DashClient(subscriber_session, live_server.url)


def download(client, chart, values, kind="csv"):
    """Click a chart's CSV (or XLSX) button and return the downloaded table."""
    button = f"{chart}-{kind}-button"
    response = client.call(f"{chart}-csv", {**values, (button, "n_clicks"): 1}, changed=[f"{button}.n_clicks"])
    sent = response.json()["response"][f"{chart}-csv"]["data"]
    if kind == "xlsx":
        return sent["filename"], pd.read_excel(io.BytesIO(base64.b64decode(sent["content"])), skiprows=1)
    return sent["filename"], pd.read_csv(io.StringIO(sent["content"]), skiprows=1)


def test_map_csv_holds_the_countries_drawn(client, raw_by_code):
    values = {("overview-metric", "value"): "production", ("overview-year", "value"): 2023,
              ("overview-units", "value"): "bags"}
    name, frame = download(client, "overview-map", values)
    assert name.startswith("beanflows-overview-world-map")
    produced = raw_by_code.xs(2023, level=1)[PRODUCTION].dropna()
    assert "EU" not in set(frame["country_code"]) and "SGP" not in set(frame["country_code"])
    assert set(frame["country_code"]) == set(produced.index) - {"EU", "SGP", "XKX"}
    for code, value in zip(frame["country_code"], frame["production"]):
        assert value == produced[code]


def test_regions_xlsx_holds_each_region_by_year(client, raw_by_code):
    values = {("overview-metric", "value"): "imports", ("overview-grouping", "value"): "continents",
              ("overview-range", "value"): [2010, 2023], ("overview-units", "value"): "bags",
              ("overview-coverage", "value"): "all"}
    _, frame = download(client, "overview-regions", values, kind="xlsx")
    assert list(dict.fromkeys(frame["country"])) == list(regions.CONTINENTS)
    assert len(frame) == len(regions.CONTINENTS) * 14
    for row in frame.itertuples():
        members = raw_by_code[raw_by_code.index.get_level_values(0).isin(regions.members(row.country))]
        assert row.imports == pytest.approx(members.xs(row.market_year, level=1)[IMPORTS].sum())


def test_trade_dependency_csv_with_a_region(client, raw_by_code):
    values = {("trade-countries", "value"): ["JPN", "REGION:Europe"], ("trade-range", "value"): [2020, 2023],
              ("trade-units", "value"): "bags", ("trade-flow", "value"): "total"}
    _, frame = download(client, "trade-dependency", values)
    europe = frame[frame["country_code"] == "REGION:Europe"].set_index("market_year")
    members = raw_by_code[raw_by_code.index.get_level_values(0).isin(regions.members("Europe"))]
    for year in range(2020, 2024):
        block = members.xs(year, level=1)
        assert europe.loc[year, "dependency_pct"] == pytest.approx(100 * block[IMPORTS].sum() / block[CONSUMPTION].sum())
    assert set(europe["country"]) == {"Europe"}
