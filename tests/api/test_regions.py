"""GET /api/v1/metrics?country=REGION:<name> over real HTTP, checked against pandas sums of the raw CSV."""
import io

import pandas as pd
import pytest

from data.reference import regions
from tests.harness.releases import reported_values, release_frames

PRODUCTION, EXPORTS, CONSUMPTION, ENDING = 28, 88, 125, 176


@pytest.fixture
def get(live_server, subscriber_session):
    """Return a function that GETs the metrics API as the subscriber."""
    def _get(params):
        return subscriber_session.get(f"{live_server.url}/api/v1/metrics", params=params, timeout=30)
    return _get


def region_sum(raw, region, year, attribute):
    """Return a region's total of one attribute in one year, summed by pandas over reporting members."""
    block = raw[raw.index.get_level_values(0).isin(regions.members(region))].xs(year, level=1)
    return block[attribute].sum(min_count=1)


def test_a_region_answers_rows_named_after_it(get, raw_by_code):
    response = get({"metric": ["production", "stocks_to_use_pct"], "country": "region:south america",
                    "start": 2021, "end": 2023})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [(r["country_code"], r["country"], r["market_year"]) for r in rows] == [
        ("REGION:South America", "South America", y) for y in (2021, 2022, 2023)]
    for row in rows:
        year = row["market_year"]
        assert row["production"] == pytest.approx(region_sum(raw_by_code, "South America", year, PRODUCTION))
        use = (region_sum(raw_by_code, "South America", year, CONSUMPTION)
               + region_sum(raw_by_code, "South America", year, EXPORTS))
        assert row["stocks_to_use_pct"] == pytest.approx(
            100 * region_sum(raw_by_code, "South America", year, ENDING) / use)


def test_a_region_before_its_countries_report_is_null(get):
    response = get({"metric": "imports", "country": "REGION:Europe", "start": 2000, "end": 2002})
    assert [r["imports"] is None for r in response.json()["rows"]] == [True, True, False]


def test_countries_world_and_regions_together_as_csv(get, raw_by_code):
    response = get([("metric", "production"), ("country", "BRA,WORLD"), ("country", "REGION:ICO Africa"),
                    ("country", "REGION:Asia"), ("start", "2023"), ("end", "2023"), ("format", "csv")])
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(response.text))
    assert frame["country_code"].tolist() == ["BRA", "WORLD", "REGION:ICO Africa", "REGION:Asia"]
    got = dict(zip(frame["country_code"], frame["production"]))
    assert got["REGION:ICO Africa"] == pytest.approx(region_sum(raw_by_code, "ICO Africa", 2023, PRODUCTION))
    assert got["REGION:Asia"] == pytest.approx(region_sum(raw_by_code, "Asia", 2023, PRODUCTION))
    assert got["WORLD"] == pytest.approx(raw_by_code.xs(2023, level=1)[PRODUCTION].sum())


@pytest.mark.parametrize("value", ["REGION:Atlantis", "REGION:", "region:Africa;DROP TABLE x", "REGION:" + "x" * 500])
def test_an_unknown_region_is_a_400_listing_the_valid_names(get, value):
    response = get({"metric": "production", "country": value})
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(response.json()) == {"error"} and "unknown region" in error
    assert all(name in error for name in regions.REGIONS)


def test_an_unknown_country_is_still_a_400(get):
    response = get({"metric": "production", "country": "XXX"})
    assert response.status_code == 400 and "REGION:<name>" in response.json()["error"]


@pytest.fixture
def get_releases(releases_server, releases_session):
    """Return a function that GETs the metrics API on the three releases."""
    def _get(params):
        return releases_session.get(f"{releases_server.url}/api/v1/metrics", params=params, timeout=30)
    return _get


@pytest.mark.parametrize("release", ["2024-06", "2024-09"])
def test_as_of_gives_a_region_as_that_release_published_it(get_releases, release):
    values = reported_values(release_frames()[release])
    members = values[values["country_code"].isin(regions.members("ICO South America"))
                     & (values["market_year"] == 2020) & (values["attribute_id"] == PRODUCTION)]
    response = get_releases({"metric": "production", "country": "REGION:ICO South America", "start": 2020,
                             "end": 2020, "as_of": release})
    assert response.status_code == 200, response.text
    assert response.json()["rows"][0]["production"] == pytest.approx(members["value"].sum())
