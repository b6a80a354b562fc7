"""Coverage: country-years the raw file holds as all zeros are gaps (null) in charts, CSV and API, and marked."""
import io

import pandas as pd
import pytest

from tests.harness import dash_client as dc

CODES = {"European Union": "EU", "Japan": "JPN", "United States": "USA"}


@pytest.fixture(scope="module")
def silent(raw_frame):
    """Return {(country name, market year)} whose every value is 0 in the raw file, with pandas."""
    coffee = raw_frame[raw_frame["Commodity_Code"] == "0711100"]
    zero = (coffee["Value"] == 0).groupby([coffee["Country_Name"], coffee["Market_Year"]]).all()
    return set(zero[zero].index)


@pytest.fixture(scope="module")
def entering_2002(raw_frame, silent):
    """Return the names of countries reporting in 2002 but not in 2001, with pandas."""
    names = set(raw_frame["Country_Name"])
    return {n for n in names if (n, 2001) in silent and (n, 2002) not in silent}


@pytest.fixture(scope="module")
def client(live_server, subscriber_session):
    """Return a Dash client as the subscriber."""
    subscriber_session.get(f"{live_server.url}/dashboards/overview", timeout=30)
    return dc.DashClient(subscriber_session, live_server.url)


def test_the_rule_matters_here(silent):
    # The raw file holds the EU and Japan as zero rows before 2002, not as absent ones.
    assert {("European Union", y) for y in range(1960, 2002)} <= silent
    assert {("Japan", y) for y in range(1960, 2002)} <= silent
    assert ("European Union", 2002) not in silent and ("Brazil", 1960) not in silent


def _consumption_values(client, search):
    """Return the supply consumption chart's figure and CSV for EU, Japan and the US over 1995-2005."""
    values = {("supply-countries", "value"): list(CODES.values()), ("supply-range", "value"): [1995, 2005],
              ("supply-units", "value"): "bags", ("supply-use", "value"): "domestic_consumption"}
    figure = client.call("supply-consumption-graph", values).json()["response"]["supply-consumption-graph"]["figure"]
    values[("supply-consumption-csv-button", "n_clicks")] = 1
    sent = client.call("supply-consumption-csv", values).json()["response"]["supply-consumption-csv"]["data"]
    return figure, pd.read_csv(io.StringIO(sent["content"]), skiprows=1)


def test_not_reported_is_null_in_chart_and_csv(client, silent, raw_frame):
    figure, csv = _consumption_values(client, "")
    traces = {t["name"]: dict(zip(t["x"], t["y"])) for t in figure["data"]}
    csv = csv.set_index(["country", "market_year"])["domestic_consumption"]
    for name in CODES:
        for year in range(1995, 2006):
            if (name, year) in silent:
                assert traces[name][year] is None, (name, year)
                assert pd.isna(csv[(name, year)]), (name, year)
            else:
                raw = raw_frame[(raw_frame["Country_Name"] == name) & (raw_frame["Market_Year"] == year)
                                & (raw_frame["Attribute_ID"] == 125)]["Value"].iloc[0]
                assert traces[name][year] == pytest.approx(raw)
                assert csv[(name, year)] == pytest.approx(raw)


def test_not_reported_is_null_in_the_api(live_server, subscriber_session, silent):
    response = subscriber_session.get(f"{live_server.url}/api/v1/metrics", timeout=30, params=[
        ("metric", "imports"), ("country", "EU"), ("country", "JPN"), ("country", "USA"),
        ("start", "1995"), ("end", "2005")])
    assert response.status_code == 200
    rows = response.json()["rows"]
    names = {v: k for k, v in CODES.items()}
    checked = 0
    for row in rows:
        if (names[row["country_code"]], row["market_year"]) in silent:
            assert row["imports"] is None, row
            checked += 1
        else:
            assert row["imports"] is not None, row
    assert checked == 2 * 7  # the EU and Japan, 1995 to 2001


def test_2002_annotation_lists_exactly_the_countries_entering(client, entering_2002):
    values = {("overview-range", "value"): [1960, 2023], ("overview-units", "value"): "bags",
              ("overview-coverage", "value"): "all"}
    figure = client.call("overview-production-graph", values).json()["response"]["overview-production-graph"]["figure"]
    note = next(a for a in figure["layout"]["annotations"] if a.get("name") == "coverage-2002")
    assert note["text"] == f"+{len(entering_2002)} countries enter PSD"
    entered = note["hovertext"].split("Enter (")[1].split("<br>")[0]
    count, names = entered.split("): ")
    assert int(count) == len(entering_2002) == 24
    assert set(names.split("; ")) == entering_2002


def test_constant_coverage_sums_only_countries_reporting_every_year(client, silent, raw_frame):
    values = {("overview-range", "value"): [1995, 2005], ("overview-units", "value"): "bags",
              ("overview-coverage", "value"): "constant"}
    figure = client.call("overview-production-graph", values).json()["response"]["overview-production-graph"]["figure"]
    names = set(raw_frame["Country_Name"])
    kept = {n for n in names if not any((n, y) in silent for y in range(1995, 2006))}
    coffee = raw_frame[raw_frame["Country_Name"].isin(kept) & (raw_frame["Attribute_ID"] == 125)]
    expected = coffee.groupby("Market_Year")["Value"].sum()
    line = next(t for t in figure["data"] if t["name"] == "Consumption")
    for year, value in zip(line["x"], line["y"]):
        assert value == pytest.approx(expected[year])
    assert f"constant coverage: {len(kept)} countries" in figure["layout"]["title"]["text"]
    assert not any(str(a.get("name", "")).startswith("coverage-") for a in figure["layout"].get("annotations", []))
