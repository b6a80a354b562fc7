"""ENSO beside production over real HTTP: the Weather section, the shading toggle and the Overview's chart."""
import re

import numpy as np
import pytest
from scipy import stats

from callbacks import weather
from tests.conftest import create_user, login_session
from tests.data.enso_fixtures import oni_frame
from tests.data.test_enso_phases import OPENS, expected_phases
from tests.dashboards.test_callbacks import check_hostile_chart, check_hostile_download, spec_for
from tests.harness.charts import dashboard_pages, page_defaults
from tests.harness.dash_client import DashClient
from ui import filters


@pytest.fixture(scope="module")
def client(enso_server):
    """Return a Dash client of a subscriber on the server with the real USDA and ONI data."""
    session = login_session(enso_server, create_user(enso_server, "weather@example.com", "--comp"))
    session.get(f"{enso_server.url}/dashboards/overview", timeout=30)
    return DashClient(session, enso_server.url)


def raw_anomaly(raw_frame, code):
    """Return {market year: % against the centred 5-year mean} of a country's (or the world's) production."""
    rows = raw_frame[raw_frame["Attribute_ID"] == 28]
    if code != "WORLD":
        rows = rows[rows["Country_Code"] == code]
    production = rows.groupby("Market_Year")["Value"].sum()
    production = production.where(production != 0) if code != "WORLD" else production
    trend = production.rolling(5, center=True, min_periods=5).mean()
    return (100 * (production - trend) / trend).dropna().to_dict()


def window_oni(code, years):
    """Return {market year: mean ONI over its 12-season window} from the raw ONI file (None: window incomplete)."""
    oni = oni_frame()["oni"].to_numpy()
    found = {}
    for year in years:
        first = (year - 1 - 1950) * 12 + OPENS[code] - 1
        if first + 12 <= len(oni):
            found[year] = float(oni[first:first + 12].mean())
    return found


def _message(props, chart):
    """Return the text of a chart's message slot."""
    return str(props[chart.message]["children"])


@pytest.mark.parametrize("code", ["BRA", "VNM"])
def test_weather_correlation_equals_scipy_on_the_same_series(client, raw_frame, code):
    from callbacks import country

    props = client.page_props(f"/dashboards/country/{code}", "?start=1960&end=2023")
    anomaly = raw_anomaly(raw_frame, code)
    oni = window_oni(code, anomaly)
    years = sorted(set(anomaly) & set(oni))
    result = stats.pearsonr([oni[y] for y in years], [anomaly[y] for y in years])
    low, high = result.confidence_interval(0.95)
    text = _message(props, country.WEATHER_CHART)
    assert f"r = {result.statistic:+.2f} (n = {len(years)} market years" in text
    assert f"95% confidence interval {low:+.2f} to {high:+.2f}" in text
    assert "not a forecast" in text
    figure = props[country.WEATHER_CHART.view]["figure"]
    assert sum(len(trace["x"]) for trace in figure["data"]) == len(years)
    # The function itself, to full precision, on the same series.
    r, n, lo, hi = weather.correlation([oni[y] for y in years], [anomaly[y] for y in years])
    assert (r, n, lo, hi) == pytest.approx((result.statistic, len(years), low, high), rel=1e-12)


def test_correlation_handles_too_few_and_flat_series():
    assert weather.correlation([1, 2, 3], [1, 2, 4])[0] is None
    assert weather.correlation([1, 1, 1, 1, 1], [1, 2, 3, 4, 5])[0] is None
    x, y = [0.1, -0.4, 1.2, 0.3, -1.1, 0.8], [2.0, -1.0, 5.0, 1.5, -3.0, np.nan]
    expected = stats.pearsonr(x[:5], y[:5])
    assert weather.correlation(x, y)[:2] == (pytest.approx(expected.statistic), 5)


def test_shortfalls_are_the_largest_negative_anomalies_with_their_phase(client, raw_frame):
    from callbacks import country

    props = client.page_props("/dashboards/country/BRA", "?start=1960&end=2023")
    rows = props[country.SHORTFALLS_CHART.view]["rowData"]
    anomaly = raw_anomaly(raw_frame, "BRA")
    worst = sorted(anomaly, key=anomaly.get)[:10]
    phases = expected_phases("BRA", worst)
    assert [row["market_year"] for row in rows] == worst
    for row in rows:
        assert row["anomaly_pct"] == pytest.approx(anomaly[row["market_year"]])
        assert row["phase"] == phases[row["market_year"]][1]


def _shaded(figure):
    """Return {market year: 'El Niño' | 'La Niña'} of the shapes shading a figure."""
    colours = {colour: phase for phase, colour in weather.PHASE_COLOURS.items()}
    return {int(shape["x0"] + 0.5): colours[shape["fillcolor"]] for shape in figure["layout"].get("shapes", [])
            if shape.get("fillcolor") in colours}


def _rule_years(code, start, end):
    """Return {market year: phase} of the El Niño and La Niña years by the independent computation."""
    return {year: phase for year, (_, phase) in expected_phases(code, range(start, end + 1)).items()
            if phase != "Neutral"}


def test_shaded_years_are_the_rule_years_on_the_country_page(client):
    from callbacks import country

    plain = client.page_props("/dashboards/country/BRA", "?start=1990&end=2023")
    assert _shaded(plain[country.BALANCE_CHART.view]["figure"]) == {}
    props = client.page_props("/dashboards/country/BRA", "?start=1990&end=2023&enso=shade")
    assert _shaded(props[country.BALANCE_CHART.view]["figure"]) == _rule_years("BRA", 1990, 2023)
    assert "window" in _message(props, country.BALANCE_CHART)
    canonical = props[filters.canonical_id(country.PAGE.url)]["data"]["search"]
    assert "enso=shade" in canonical and "enso=" not in plain[filters.canonical_id(country.PAGE.url)]["data"]["search"]


def test_shaded_years_are_the_rule_years_on_the_production_page(client):
    from callbacks import production

    props = client.page_props("/dashboards/production", "?countries=BRA,VNM&start=1995&end=2023&enso=shade")
    assert _shaded(props[production.BY_COUNTRY_CHART.view]["figure"]) == _rule_years("WORLD", 1995, 2023)
    assert "October" in _message(props, production.BY_COUNTRY_CHART)


def test_the_overview_draws_world_production_against_the_oni(client, raw_frame):
    from callbacks import overview

    props = client.page_props("/dashboards/overview", "?start=1960&end=2023")
    anomaly = raw_anomaly(raw_frame, "WORLD")
    oni = window_oni("WORLD", anomaly)
    years = sorted(set(anomaly) & set(oni))
    expected = stats.pearsonr([oni[y] for y in years], [anomaly[y] for y in years])
    text = _message(props, overview.ENSO_CHART)
    assert f"r = {expected.statistic:+.2f} (n = {len(years)} market years" in text


def test_without_enso_data_the_pages_say_it_is_not_loaded(live_server, subscriber_session):
    from callbacks import country, overview

    client = DashClient(subscriber_session, live_server.url)
    props = client.page_props("/dashboards/country/BRA")
    assert "ENSO data is not loaded" in _message(props, country.WEATHER_CHART)
    # The production anomaly alone still draws, as bars by market year; the shortfalls have no phase.
    bars = props[country.WEATHER_CHART.view]["figure"]["data"]
    assert [trace["type"] for trace in bars] == ["bar"] and len(bars[0]["x"]) > 40
    rows = props[country.SHORTFALLS_CHART.view]["rowData"]
    assert len(rows) == 10 and all(row["phase"] is None for row in rows)
    assert "ENSO data is not loaded" in _message(props, country.SHORTFALLS_CHART)
    shaded = client.page_props("/dashboards/country/BRA", "?enso=shade")
    assert "ENSO data is not loaded" in _message(shaded, country.BALANCE_CHART)
    assert shaded[country.BALANCE_CHART.view]["figure"]["data"]  # the balance itself still draws
    assert "ENSO data is not loaded" in _message(client.page_props("/dashboards/overview"), overview.ENSO_CHART)
    page = subscriber_session.get(f"{live_server.url}/methodology", timeout=30).text
    assert re.search(r"ENSO data is not loaded", page)


@pytest.mark.parametrize("base", ["country-weather", "country-shortfalls", "overview-enso"])
def test_hostile_input_gets_a_message_and_no_download(client, base):
    spec = spec_for(base)
    defaults = {}
    for page in dashboard_pages():
        defaults.update(page_defaults(client, page))
    check_hostile_chart(client.post, client.dependencies(), defaults, spec)
    check_hostile_download(client.post, client.dependencies(), defaults, spec)
