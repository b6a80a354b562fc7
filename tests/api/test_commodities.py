"""Commodities in the API over real HTTP: GET /api/v1/commodities, metrics?commodity= by slug or code, the site's
subset (SITE_COMMODITIES), as_of per commodity; numbers checked with pandas over USDA's grains file."""
import io

import pandas as pd
import pytest

from tests.conftest import create_user, login_session, migrate_database, start_server
from tests.data import grains

DECLARED = ("coffee", "wheat", "corn", "rice", "barley", "sorghum", "oats", "rye", "millet", "mixed-grain")


def _serve(tmp, data_dir, **env):
    """Start gunicorn on data_dir with env settings; return (server, a subscriber's session)."""
    database_url = f"sqlite:///{tmp / 'users.db'}"
    migrate_database(database_url, data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(data_dir), **env})
    return server, login_session(server, create_user(server, "grain@example.com", "--comp"))


@pytest.fixture(scope="module")
def grains_server(tmp_path_factory, grains_data_dir):
    """Return (server, subscriber session) on coffee and the nine grains, every commodity served."""
    server, session = _serve(tmp_path_factory.mktemp("grains-api"), grains_data_dir)
    yield server, session
    server.stop()


@pytest.fixture(scope="module")
def subset_server(tmp_path_factory, grains_data_dir):
    """Return (server, subscriber session) of a site serving wheat and corn only, as wheat.supply."""
    server, session = _serve(tmp_path_factory.mktemp("subset-api"), grains_data_dir,
                             SITE_COMMODITIES="wheat,corn", SITE_NAME="wheat.supply")
    yield server, session
    server.stop()


def _get(served, path, params=None):
    """GET path on a served site as its subscriber."""
    server, session = served
    return session.get(f"{server.url}{path}", params=params, timeout=30)


def _release_of(code):
    """Return a grain's release id as pandas reads it: the latest Calendar_Year-Month of its rows."""
    rows = grains.frame()
    rows = rows[rows["Commodity_Code"] == code]
    latest = (rows["Calendar_Year"].astype(int) * 100 + rows["Month"].astype(int)).max()
    return f"{latest // 100:04d}-{latest % 100:02d}"


def test_commodities_lists_every_served_commodity_with_units_metrics_releases(grains_server):
    response = _get(grains_server, "/api/v1/commodities")
    assert response.status_code == 200
    found = {c["slug"]: c for c in response.json()["commodities"]}
    assert tuple(found) == DECLARED
    assert found["coffee"]["default"] and not found["wheat"]["default"]
    wheat = found["wheat"]
    assert (wheat["code"], wheat["name"], wheat["volume_unit"]) == (grains.WHEAT, "Wheat", "(1000 MT)")
    assert {u["key"] for u in wheat["units"]} == {"kt", "mbu"}
    bushels = next(u for u in wheat["units"] if u["key"] == "mbu")
    # 1000 t = 1e6 kg in million bushels of 60 lb
    assert bushels["factor"] == pytest.approx(1e6 / (60 * 0.45359237) / 1e6, rel=1e-6)
    metrics = {m["metric"]: m for m in wheat["metrics"]}
    assert metrics["area_harvested"]["unit"] == "(1000 HA)" and metrics["yield"]["unit"] == "(MT/HA)"
    assert metrics["production"]["unit"] == "(1000 MT)" and metrics["stocks_to_use_pct"]["unit"] == "(PERCENT)"
    assert "arabica_production" not in metrics and "arabica_production" in {m["metric"] for m in
                                                                            found["coffee"]["metrics"]}
    assert wheat["releases"] == [_release_of(grains.WHEAT)]
    assert found["corn"]["releases"] == [_release_of(grains.CORN)]
    assert wheat["release_cadence"] == "monthly" and found["coffee"]["release_cadence"] == "twice a year"


def test_commodities_needs_a_subscriber(grains_server):
    import requests

    server, _ = grains_server
    assert requests.get(f"{server.url}/api/v1/commodities", timeout=10).status_code == 401


def test_wheat_by_slug_and_by_code_answer_the_same_usda_numbers(grains_server):
    query = {"metric": ["production", "area_harvested", "ending_stocks"], "country": ["WORLD", "USA", "EU"],
             "start": 2000, "end": 2003}
    by_slug = _get(grains_server, "/api/v1/metrics", {**query, "commodity": "wheat"})
    by_code = _get(grains_server, "/api/v1/metrics", {**query, "commodity": grains.WHEAT})
    assert by_slug.status_code == by_code.status_code == 200
    assert by_slug.json() == by_code.json()
    body = by_slug.json()
    assert (body["commodity"], body["slug"], body["unit"]) == (grains.WHEAT, "wheat", "(1000 MT)")
    rows = {(r["country_code"], r["market_year"]): r for r in body["rows"]}
    raw = grains.reported(grains.WHEAT)
    for year in range(2000, 2004):
        world = raw.xs(year, level=1)
        assert rows[("WORLD", year)]["production"] == pytest.approx(world[grains.PRODUCTION].sum())
        assert rows[("WORLD", year)]["ending_stocks"] == pytest.approx(world[grains.ENDING].sum())
        assert rows[("USA", year)]["production"] == pytest.approx(raw.loc[("US", year), grains.PRODUCTION])
        assert rows[("USA", year)]["area_harvested"] == pytest.approx(raw.loc[("US", year), grains.AREA])
        assert rows[("EU", year)]["production"] == pytest.approx(raw.loc[("E4", year), grains.PRODUCTION])


def test_without_commodity_the_answer_is_coffee_as_before(grains_server):
    query = {"metric": "production", "country": "BRA", "start": 2020, "end": 2021}
    default = _get(grains_server, "/api/v1/metrics", query).json()
    assert (default["commodity"], default["slug"], default["unit"]) == ("0711100", "coffee", "(1000 60 KG BAGS)")
    assert default == _get(grains_server, "/api/v1/metrics", {**query, "commodity": "COFFEE"}).json()


@pytest.mark.parametrize("params, words", [
    ({"commodity": "cocoa"}, "unknown commodity 'cocoa'"),
    ({"commodity": "0711101"}, "unknown commodity '0711101'"),
    ({"commodity": "wheat", "metric": "arabica_production"}, "unknown metric 'arabica_production' for wheat"),
])
def test_unknown_commodity_or_metric_is_a_400(grains_server, params, words):
    response = _get(grains_server, "/api/v1/metrics", {"metric": "production", **params})
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_as_of_is_a_release_of_the_commodity_asked_for(grains_server):
    wheat, coffee = _release_of(grains.WHEAT), _get(grains_server, "/api/v1/commodities").json()["commodities"][0]
    response = _get(grains_server, "/api/v1/metrics", {"commodity": "wheat", "metric": "production",
                                                         "country": "USA", "start": 2010, "end": 2010, "as_of": wheat})
    assert response.status_code == 200 and response.json()["as_of"] == wheat
    assert response.json()["rows"][0]["production"] == pytest.approx(
        grains.reported(grains.WHEAT).loc[("US", 2010), grains.PRODUCTION])
    others = [r for r in coffee["releases"] if r != wheat]
    assert others, "the coffee file's release should differ from the grains file's"
    refused = _get(grains_server, "/api/v1/metrics", {"commodity": "wheat", "metric": "production",
                                                        "as_of": others[0]})
    assert refused.status_code == 400 and "not a release of wheat" in refused.json()["error"]


def test_csv_filename_carries_the_slug(grains_server):
    response = _get(grains_server, "/api/v1/metrics", {"commodity": grains.CORN, "metric": "production",
                                                         "country": "WORLD", "start": 2015, "end": 2016,
                                                         "format": "csv"})
    assert response.status_code == 200
    assert 'filename="beanflows-corn-2015-2016.csv"' in response.headers["Content-Disposition"]
    frame = pd.read_csv(io.StringIO(response.text)).set_index("market_year")
    raw = grains.reported(grains.CORN)
    for year in (2015, 2016):
        assert frame.loc[year, "production"] == pytest.approx(raw.xs(year, level=1)[grains.PRODUCTION].sum())


def test_a_site_serving_wheat_and_corn(subset_server):
    listed = _get(subset_server, "/api/v1/commodities").json()["commodities"]
    assert [c["slug"] for c in listed] == ["wheat", "corn"] and listed[0]["default"]
    default = _get(subset_server, "/api/v1/metrics", {"metric": "production", "country": "WORLD", "start": 2020,
                                                        "end": 2020})
    assert default.status_code == 200 and (default.json()["commodity"], default.json()["slug"]) == \
        (grains.WHEAT, "wheat")
    assert default.json()["rows"][0]["production"] == pytest.approx(
        grains.reported(grains.WHEAT).xs(2020, level=1)[grains.PRODUCTION].sum())
    for coffee in ("coffee", "0711100"):
        refused = _get(subset_server, "/api/v1/metrics", {"metric": "production", "commodity": coffee})
        assert refused.status_code == 400 and "this site serves: wheat, corn" in refused.json()["error"]
    server, session = subset_server
    landing = session.get(f"{server.url}/", timeout=30).text
    assert 'content="wheat.supply: wheat and corn market analytics"' in landing
    assert "· wheat.supply</title>" in session.get(f"{server.url}/account", timeout=30).text


def test_the_openapi_document_lists_the_sites_commodities(subset_server):
    server, session = subset_server
    document = session.get(f"{server.url}/docs/api/openapi.json", timeout=30).json()
    operation = document["paths"]["/api/v1/metrics"]["get"]
    commodity = next(p for p in operation["parameters"] if p["name"] == "commodity")
    assert commodity["schema"]["enum"] == ["wheat", "corn", grains.WHEAT, grains.CORN]
    assert commodity["schema"]["default"] == "wheat" and "slug" in commodity["description"]
    metric = next(p for p in operation["parameters"] if p["name"] == "metric")
    assert "area_harvested" in metric["schema"]["items"]["enum"]
    assert "arabica_production" not in metric["schema"]["items"]["enum"]
    assert "/api/v1/commodities" in document["paths"]
    assert "Commodities" in document["components"]["schemas"]


def test_methodology_of_wheat(grains_server):
    from tests.web.html_rows import table_rows

    server, session = grains_server
    response = requests_get(f"{server.url}/methodology?commodity=wheat")
    assert response.status_code == 200
    page = response.text
    assert "Methodology: Wheat" in page and 'data-cadence="monthly"' in page
    assert 'id="methodology-trade-year"' in page and "July – June" in page
    assert "psd_grains_pulses_csv.zip" in page and 'id="methodology-ico-groups"' not in page
    units = {r["attrs"]["unit"]: r["cells"] for r in table_rows(page, "methodology-units")}
    assert float(units["mbu"][1]) == pytest.approx(1e6 / (60 * 0.45359237) / 1e6, rel=1e-5)
    years = {r["attrs"]["country"]: r["cells"] for r in table_rows(page, "methodology-marketing-years")}
    assert years["USA"][:3] == ["United States", "USA", "June – May"]
    metrics = {r["attrs"]["attribute-id"]: r["cells"] for r in table_rows(page, "methodology-metrics")}
    raw = grains.reported(grains.WHEAT)
    for attribute in (grains.AREA, grains.PRODUCTION, grains.YIELD):
        reported = raw[attribute].dropna()
        codes, years_seen = reported.index.get_level_values(0), reported.index.get_level_values(1)
        assert metrics[str(attribute)][-1] == f"{codes.nunique()} countries, {years_seen.min()}–{years_seen.max()}"
    assert metrics[str(grains.AREA)][4] == "(1000 HA)"
    coffee = requests_get(f"{server.url}/methodology").text
    assert "Methodology: Coffee" in coffee and 'id="methodology-ico-groups"' in coffee


def test_methodology_of_a_site_serving_wheat_and_corn(subset_server):
    server, _ = subset_server
    assert "Methodology: Wheat" in requests_get(f"{server.url}/methodology").text
    assert "Methodology: Corn" in requests_get(f"{server.url}/methodology?commodity=0440000").text
    assert requests_get(f"{server.url}/methodology?commodity=coffee").status_code == 404


def requests_get(url):
    """GET a public page anonymously."""
    import requests

    return requests.get(url, timeout=30)
