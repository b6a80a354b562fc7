"""GET /api/v1/metrics over real HTTP, checked against the raw USDA CSV with pandas."""
import csv
import io

import pytest


PRODUCTION, IMPORTS, EXPORTS, CONSUMPTION, ENDING = 28, 57, 88, 125, 176


@pytest.fixture(scope="module")
def raw(raw_by_code):
    """Return the raw values by (ISO3 code, market year) x attribute id."""
    return raw_by_code


@pytest.fixture
def get(live_server, subscriber_session):
    """Return a function that GETs the metrics API as the subscriber."""
    def _get(params):
        return subscriber_session.get(f"{live_server.url}/api/v1/metrics", params=params, timeout=30)
    return _get


def rows_by_key(rows):
    """Return rows keyed by (country_code, market_year)."""
    return {(r["country_code"], r["market_year"]): r for r in rows}


def test_production_by_country_json(get, raw):
    response = get([("metric", "production"), ("country", "BRA"), ("country", "VNM"), ("country", "EU"),
                    ("start", "2020"), ("end", "2023")])
    assert response.status_code == 200
    body = response.json()
    assert body["commodity"] == "0711100" and body["unit"] == "(1000 60 KG BAGS)"
    rows = rows_by_key(body["rows"])
    assert len(rows) == 3 * 4
    for code in ("BRA", "VNM", "EU"):
        for year in range(2020, 2024):
            assert rows[(code, year)]["production"] == pytest.approx(raw.loc[(code, year), PRODUCTION])
    assert rows[("EU", 2023)]["country"] == "European Union"


def test_world_totals_and_stocks_to_use(get, raw):
    response = get({"metric": ["production", "ending_stocks", "stocks_to_use_pct"], "country": "WORLD",
                    "start": 1990, "end": 1992})
    assert response.status_code == 200
    rows = rows_by_key(response.json()["rows"])
    for year in (1990, 1991, 1992):
        world = raw.xs(year, level="Market_Year").sum()
        row = rows[("WORLD", year)]
        assert row["production"] == pytest.approx(world[PRODUCTION])
        assert row["ending_stocks"] == pytest.approx(world[ENDING])
        assert row["stocks_to_use_pct"] == pytest.approx(100 * world[ENDING] / world[CONSUMPTION])


def test_country_stocks_to_use_and_net_exports(get, raw):
    response = get({"metric": ["stocks_to_use_pct", "net_exports"], "country": ["JPN", "CIV"],
                    "start": 2015, "end": 2015})
    rows = rows_by_key(response.json()["rows"])
    for code in ("JPN", "CIV"):
        v = raw.loc[(code, 2015)]
        assert rows[(code, 2015)]["stocks_to_use_pct"] == pytest.approx(100 * v[ENDING] / (v[CONSUMPTION] + v[EXPORTS]))
        assert rows[(code, 2015)]["net_exports"] == pytest.approx(v[EXPORTS] - v[IMPORTS])


def test_undefined_ratio_is_null(get, raw):
    use = raw[CONSUMPTION] + raw[EXPORTS]
    code, year = use[use == 0].index[0]
    response = get({"metric": "stocks_to_use_pct", "country": code, "start": int(year), "end": int(year)})
    assert response.status_code == 200
    assert response.json()["rows"][0]["stocks_to_use_pct"] is None


def test_csv_format(get, raw):
    response = get({"metric": ["production", "exports"], "country": ["COL", "WORLD"], "start": 2000,
                    "end": 2003, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["country_code", "country", "market_year", "production", "exports"]
    assert len(rows) == 8
    col = {int(r["market_year"]): r for r in rows if r["country_code"] == "COL"}
    world = {int(r["market_year"]): r for r in rows if r["country_code"] == "WORLD"}
    for year in range(2000, 2004):
        assert float(col[year]["exports"]) == pytest.approx(raw.loc[("COL", year), EXPORTS])
        total = raw.xs(year, level="Market_Year")[PRODUCTION].sum()
        assert float(world[year]["production"]) == pytest.approx(total)


def test_defaults_span_every_year_and_country(get, raw):
    response = get({"metric": "production"})
    assert response.status_code == 200
    body = response.json()
    assert body["start"] == 1960 and body["end"] == 2023
    assert len(body["rows"]) == len(raw)


@pytest.mark.parametrize("params,needle", [
    ({"metric": "yield", "country": "BRA"}, "unknown metric"),
    ({"metric": "production; DROP TABLE obt_world_metrics", "country": "BRA"}, "unknown metric"),
    ({"metric": "production", "country": "XXX"}, "unknown country"),
    ({"metric": "production", "country": "BRA' OR '1'='1"}, "unknown country"),
    ({"metric": "production", "start": 2020, "end": 2010}, "start must not be after end"),
    ({"metric": "production", "start": "abc"}, "integer"),
    ({"metric": "production", "end": "2020.5"}, "integer"),
    ({"metric": "production", "start": "1e3"}, "integer"),
    ({"metric": "production", "format": "xml"}, "format"),
    ({"country": "BRA"}, "metric is required"),
    ({"metric": "production", "commodity": "0000000"}, "unknown commodity"),
    ({"metric": ["x"] * 301}, "too many"),
])
def test_bad_parameters_are_400_with_json_error(get, params, needle):
    response = get(params)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/json")
    assert needle in response.json()["error"]


def test_anonymous_is_refused(live_server):
    import requests

    response = requests.get(f"{live_server.url}/api/v1/metrics", params={"metric": "production"}, timeout=10)
    assert response.status_code == 401
    assert "error" in response.json()
