"""Downloads open in pandas as plain tables: names, ISO3 codes, numbers, a heading line with units and release."""
import base64
import io

import pandas as pd
import pytest

from tests.harness import dash_client as dc

PRODUCTION = 28
VALUES = {("production-countries", "value"): ["BRA", "VNM", "EU"], ("production-range", "value"): [2000, 2023],
          ("production-units", "value"): "bags", ("production-metric", "value"): "production",
          ("production-enso", "value"): "off"}


@pytest.fixture(scope="module")
def client(live_server, subscriber_session):
    """Return a Dash client as the subscriber."""
    subscriber_session.get(f"{live_server.url}/dashboards/production", timeout=30)
    return dc.DashClient(subscriber_session, live_server.url)


def download(client, button):
    """Click a download button of the production-by-country chart and return the sent data."""
    values = {**VALUES, (f"production-by-country-{button}-button", "n_clicks"): 1}
    response = client.call("production-by-country-csv", values, changed=[f"production-by-country-{button}-button.n_clicks"])
    return response.json()["response"]["production-by-country-csv"]["data"]


def check_against_raw(frame, raw_by_code):
    """Assert frame holds each country's production as numbers, equal to the raw file's."""
    assert set(frame["metric"]) == {"production"} and pd.api.types.is_numeric_dtype(frame["value"])
    assert set(frame["country_code"]) == {"BRA", "VNM", "EU"}
    assert "European Union" in set(frame["country"])
    for row in frame.itertuples():
        assert row.value == pytest.approx(raw_by_code.loc[(row.country_code, row.market_year), PRODUCTION], nan_ok=True)
    assert len(frame) == 3 * 24
    eu = frame[frame["country_code"] == "EU"].set_index("market_year")["value"]
    assert pd.isna(eu[2001]) and eu[2002] == 0  # not reported before 2002; a real 0 after


def test_csv_and_xlsx_match_the_raw_file(client, raw_by_code):
    sent = download(client, "csv")
    assert sent["filename"].endswith(".csv")
    heading = sent["content"].split("\n", 1)[0]
    assert heading.startswith("# Source: USDA") and "release" in heading and "units: 1000 60-kg bags" in heading
    assert "\u2212" not in sent["content"] and "[" not in sent["content"]
    check_against_raw(pd.read_csv(io.StringIO(sent["content"]), skiprows=1), raw_by_code)

    sent = download(client, "xlsx")
    assert sent["filename"].endswith(".xlsx") and sent["base64"]
    raw = base64.b64decode(sent["content"])
    heading = pd.read_excel(io.BytesIO(raw), header=None, nrows=1).iloc[0, 0]
    assert heading.startswith("Source: USDA") and "release" in heading
    check_against_raw(pd.read_excel(io.BytesIO(raw), skiprows=1), raw_by_code)


@pytest.mark.browser
@pytest.mark.xdist_group("dashboards-browser")
def test_grid_export_view_is_plain(browser, live_server, subscriber_session, raw_by_code):
    from tests.conftest import open_page

    with open_page(browser, live_server, subscriber_session) as page:
        page.goto("/dashboards/trade?year=2020&units=bags")
        page.wait_for_selector("#trade-table-grid .ag-row", state="attached", timeout=60000)
        with page.expect_download(timeout=60000) as info:
            page.click("#trade-table-export")
        text = open(info.value.path(), encoding="utf-8-sig").read()
    heading, body = text.split("\n", 1)
    assert heading.startswith("# Source: USDA") and "release" in heading
    assert "\u2212" not in body and "](" not in body
    frame = pd.read_csv(io.StringIO(body))
    assert list(frame.columns[:2]) == ["country", "country_code"]
    assert pd.api.types.is_numeric_dtype(frame["Exports"]) and pd.api.types.is_numeric_dtype(frame["Net exports"])
    for code, exports in zip(frame["country_code"], frame["Exports"]):
        assert exports == pytest.approx(raw_by_code.loc[(code, 2020), 88])
    assert (frame["Net exports"] < 0).any() and set(frame["unit"]) == {"1000 60-kg bags"}
