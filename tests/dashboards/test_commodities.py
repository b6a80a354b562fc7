"""The dashboards of wheat, corn and a test-only commodity against pandas over USDA's grains file; old URLs mean coffee."""
import re

import pytest

from callbacks import page as common
from tests.dashboards.conftest import TEST_ONLY
from tests.data import grains
from tests.data.grains import AREA, CORN, EXPORTS, PRODUCTION, WHEAT, YIELD
from tests.harness import dash_client as dc
from tests.harness.charts import dashboard_pages

# PSD attribute ids (USDA's numbering, ../shared/data/README.md) not in tests/data/grains.py.
FEED, TY_EXPORTS = 130, 113
OATS = "0452000"
POUND = 0.45359237  # kg, by definition


@pytest.fixture(scope="module")
def client(commodities_server, commodities_session):
    """Return a Dash client of the subscriber on the server of coffee, wheat, corn and the test-only commodity."""
    commodities_session.get(f"{commodities_server.url}/dashboards/overview", timeout=30)
    return dc.DashClient(commodities_session, commodities_server.url)


def lines(figure):
    """Return {trace name: {market year: value}} of a line chart (gaps, years not reported, left out)."""
    return {trace["name"]: {x: y for x, y in zip(trace["x"], trace["y"]) if y is not None} for trace in figure["data"]}


def world(code, attribute, start, end):
    """Return USDA's world total of an attribute by market year: the sum over every reporter of the year."""
    return grains.reported(code)[attribute].groupby(level=1).sum(min_count=1).loc[start:end].to_dict()


def country(code, usda, attribute, start, end):
    """Return one USDA reporter's attribute by market year."""
    return grains.reported(code).xs(usda, level=0)[attribute].loc[start:end].dropna().to_dict()


@pytest.mark.parametrize("slug, code, pounds", [("wheat", WHEAT, 60), ("corn", CORN, 56)])
def test_world_production_is_the_sum_over_usdas_reporters_in_both_units(client, slug, code, pounds):
    props = client.page_props("/dashboards/overview", f"?commodity={slug}&start=1990&end=2025")
    figure = props["overview-production-graph"]["figure"]
    assert lines(figure)["Production"] == pytest.approx(world(code, PRODUCTION, 1990, 2025), rel=1e-9)
    assert figure["layout"]["yaxis"]["title"]["text"] == "1000 t"
    # USDA's bushel: 60 lb of wheat, 56 lb of shelled corn; 1000 t are 10^6 kg.
    props = client.page_props("/dashboards/overview", f"?commodity={slug}&start=1990&end=2025&units=mbu")
    bushels = {y: v * 1e6 / (pounds * POUND) / 1e6 for y, v in world(code, PRODUCTION, 1990, 2025).items()}
    assert lines(props["overview-production-graph"]["figure"])["Production"] == pytest.approx(bushels, rel=1e-6)


@pytest.mark.parametrize("metric, attribute, unit", [("production", PRODUCTION, "1000 t"),
                                                     ("area_harvested", AREA, "1000 ha"), ("yield", YIELD, "t/ha")])
def test_wheat_production_area_and_yield_by_country_are_usdas(client, metric, attribute, unit):
    props = client.page_props("/dashboards/production",
                              f"?commodity=wheat&countries=USA,CHN,EU&start=2000&end=2024&metric={metric}")
    figure = props["production-by-country-graph"]["figure"]
    drawn = lines(figure)
    for usda, name in (("US", "United States"), ("CH", "China"), ("E4", "European Union")):
        assert drawn[name] == pytest.approx(country(WHEAT, usda, attribute, 2000, 2024), rel=1e-9), name
    assert figure["layout"]["yaxis"]["title"]["text"] == unit


def test_the_eu_15_and_the_ussr_are_reporters_of_their_own_years(client):
    props = client.page_props("/dashboards/production", "?commodity=wheat&countries=EU15,SUN,RUS&start=1980&end=2000")
    drawn = lines(props["production-by-country-graph"]["figure"])
    assert drawn["EU-15"] == pytest.approx(country(WHEAT, "E2", PRODUCTION, 1980, 2000))
    assert drawn["USSR"] == pytest.approx(country(WHEAT, "UR", PRODUCTION, 1980, 2000))
    assert drawn["Russia"] == pytest.approx(country(WHEAT, "RS", PRODUCTION, 1980, 2000))
    assert max(drawn["USSR"]) < min(drawn["Russia"])  # one after the other, never both in a year


def test_corn_trade_year_beside_marketing_year_trade(client):
    search = "?commodity=corn&countries=USA,BRA,ARG&start=2005&end=2024"
    marketing = lines(client.page_props("/dashboards/trade", search)["trade-flows-graph"]["figure"])
    trade_year = lines(client.page_props("/dashboards/trade", search + "&flow=trade_year")["trade-flows-graph"]["figure"])
    for usda, name in (("US", "United States"), ("BR", "Brazil"), ("AR", "Argentina")):
        assert marketing[f"{name} exports"] == pytest.approx(country(CORN, usda, EXPORTS, 2005, 2024)), name
        assert trade_year[f"{name} exports"] == pytest.approx(country(CORN, usda, TY_EXPORTS, 2005, 2024)), name


def test_corn_feed_use_by_country(client):
    props = client.page_props("/dashboards/supply", "?commodity=corn&countries=USA,CHN&start=2000&end=2024"
                                                    "&use=feed_dom_consumption")
    drawn = lines(props["supply-consumption-graph"]["figure"])
    assert drawn["United States"] == pytest.approx(country(CORN, "US", FEED, 2000, 2024))
    assert drawn["China"] == pytest.approx(country(CORN, "CH", FEED, 2000, 2024))


def test_each_commodity_offers_its_declared_choices_and_leaves_out_what_it_lacks(client):
    wheat = client.page_props("/dashboards/production", "?commodity=wheat")
    coffee = client.page_props("/dashboards/production", "")
    values = lambda props, component: [o["value"] for o in props[component]["options"]]  # noqa: E731
    assert values(wheat, "production-units") == ["kt", "mbu"] and values(coffee, "production-units") == [
        "bags", "tonnes"]
    assert values(wheat, "production-metric") == ["production", "area_harvested", "yield"]
    assert "arabica_production" in values(coffee, "production-metric")
    # Wheat declares no production by type: the chart is left out, not drawn empty.
    assert wheat["production-split-card"].get("style") == {"display": "none"}
    assert coffee["production-split-card"].get("style") is None and coffee["production-split-graph"]["figure"]["data"]
    trade = client.page_props("/dashboards/trade", "?commodity=wheat")
    assert [o["label"] for o in trade["trade-flow"]["options"]] == ["Marketing year", "Trade year (TY)"]
    overview = client.page_props("/dashboards/overview", "?commodity=corn")
    assert values(overview, "overview-grouping") == ["continents"]  # ICO groups are coffee's alone
    regions = [v for v in values(client.page_props("/dashboards/supply", "?commodity=corn"), "supply-countries")
               if v.startswith("REGION:")]
    assert "REGION:Europe" in regions and not any(v.startswith("REGION:ICO") for v in regions)


def test_urls_without_a_commodity_keep_meaning_coffee(client):
    old = client.page_props("/dashboards/production", "?countries=BRA,VNM&start=2000&end=2020")
    named = client.page_props("/dashboards/production", "?commodity=coffee&countries=BRA,VNM&start=2000&end=2020")
    assert old["production-commodity"]["children"] == "coffee"
    assert old["production-by-country-graph"]["figure"] == named["production-by-country-graph"]["figure"]
    assert "commodity" not in old["production-url-canonical"]["data"]["search"]  # the URL stays as it was
    wheat = client.page_props("/dashboards/production", "?commodity=wheat&countries=USA&start=2000&end=2020")
    assert "commodity=wheat" in wheat["production-url-canonical"]["data"]["search"]


def test_release_permalinks_are_per_commodity(client):
    coffee, wheat = (_latest_release(client, slug) for slug in ("coffee", "wheat"))
    # A coffee release permalink made before commodities: as published, coffee.
    old = client.page_props("/dashboards/overview", f"?release={coffee}")
    assert "As published in" in str(old["overview-release-banner"]["children"])
    if wheat != coffee:
        assert "is not known" in str(client.page_props("/dashboards/overview", f"?release={wheat}")
                                     ["overview-release-banner"]["children"])
    named = client.page_props("/dashboards/overview", f"?commodity=wheat&release={wheat}")
    assert "As published in" in str(named["overview-release-banner"]["children"])


def _latest_release(client, slug):
    """Return a commodity's latest release id, as the changes page offers it."""
    return client.page_props("/dashboards/changes", f"?commodity={slug}")["changes-new"]["options"][0]["value"]


def test_an_unknown_commodity_shows_the_default_with_a_notice_and_callbacks_refuse_it(client):
    props = client.page_props("/dashboards/production", "?commodity=cocoa%27;--")
    banner = str(props["production-release-banner"]["children"])
    assert "is not served here: showing Coffee" in banner
    assert props["production-commodity"]["children"] == "coffee"
    spec = next(s for s in common.CHARTS if s.ids.base == "production-by-country")
    values = {(c, p): props[c].get(p) for c, p in spec.inputs}
    response = client.call(spec.ids.view, {**values, ("production-commodity", "children"): "cocoa"},
                           output_prop="figure")
    assert response.status_code == 200
    assert "Check the filters: unknown commodity" in str(dc.response_props(response.json())
                                                         [(spec.ids.message, "children")])


def test_the_test_only_commodity_is_on_every_dashboard(client):
    slug, name = TEST_ONLY
    for page in dashboard_pages():
        path = page.route if page.name != "country" else "/dashboards/country/USA"
        props = client.page_props(path, f"?commodity={slug}")
        assert props[page.component("commodity")]["children"] == slug, page.name
        if not any(spec.ids.view in props for spec in page.charts):
            # The prices page of a commodity without World Bank series says so instead of drawing charts.
            assert "no price series for" in client.router(path, f"?commodity={slug}").text, page.name
            continue
        for spec in page.charts:
            if props.get(spec.ids.card, {}).get("style") == {"display": "none"}:
                continue  # a chart the declaration has nothing for (production by type): left out
            view = props[spec.ids.view].get(spec.view_prop)
            message = str(props[spec.ids.message].get("children"))
            assert "failed to load" not in message and "Check the filters" not in message, (spec.ids.base, message)
            if page.name != "changes":  # one release loaded: nothing to compare there
                assert view if spec.view_prop != "figure" else view["data"], spec.ids.base
    overview = client.page_props("/dashboards/overview", f"?commodity={slug}&start=1990&end=2025")
    assert lines(overview["overview-production-graph"]["figure"])["Production"] == pytest.approx(
        world(OATS, PRODUCTION, 1990, 2025))
    assert f"World {name.lower()} overview" in client.router("/dashboards/overview", f"?commodity={slug}").text


def test_the_switcher_lists_the_sites_commodities_and_marks_the_one_shown(commodities_server, commodities_session):
    page = commodities_session.get(f"{commodities_server.url}/account?commodity=corn", timeout=30).text
    switcher = re.search(r'<select[^>]*id="nav-commodity".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', switcher)
    assert [(v, n) for v, _, n in options] == [("coffee", "Coffee"), ("wheat", "Wheat"), ("corn", "Corn"),
                                               TEST_ONLY]
    assert [v for v, chosen, _ in options if chosen] == ["corn"]
    assert '<label class="visually-hidden" for="nav-commodity">Commodity</label>' in page


def test_the_map_lists_reporters_that_are_not_countries_beside_it(client):
    props = client.page_props("/dashboards/overview", "?commodity=wheat&year=1985")
    message = str(props["overview-map-message"]["children"])
    assert "not on the map: " in message and "EU-15" in message and "USSR" in message
    drawn = set(props["overview-map-graph"]["figure"]["data"][0]["locations"])
    raw = grains.reported(WHEAT).xs(1985, level=1)
    assert "USA" in drawn and not drawn & {"SUN", "EU15", "EU", "CSK", "YUG"}
    assert len(drawn) < len(raw.dropna(subset=[PRODUCTION]))  # the aggregates are off the map


def test_a_reporter_has_a_country_page_on_its_commodity(commodities_server, commodities_session):
    url = f"{commodities_server.url}/dashboards/country/SUN"
    assert commodities_session.get(f"{url}?commodity=wheat", timeout=30).status_code == 200
    assert commodities_session.get(url, timeout=30).status_code == 404  # coffee has no USSR
    client = dc.DashClient(commodities_session, commodities_server.url)
    props = client.page_props("/dashboards/country/SUN", "?commodity=wheat&start=1960&end=1990")
    drawn = lines(props["country-balance-graph"]["figure"])
    assert drawn["Production"] == pytest.approx(country(WHEAT, "UR", PRODUCTION, 1960, 1990))


def test_a_grain_page_and_its_downloads_name_the_grain_not_coffee(client):
    props = client.page_props("/dashboards/trade", "?commodity=wheat")
    page = client.router("/dashboards/trade", "?commodity=wheat").text
    footer = re.search(r'Source: USDA Foreign Agricultural Service.*?"', page).group(0)
    assert "Wheat (0410000)" in footer and "every month" in footer and "Coffee" not in footer, footer
    grid = props["trade-table-grid"]["csvExportParams"]["prependContent"]
    assert "Wheat (0410000)" in grid and "Coffee" not in grid, grid
    entry = client.find("trade-flows-csv", "data")
    values = {(i["id"], i["property"]): props[i["id"]][i["property"]] for i in entry["state"]}
    answer = client.post(dc.body(entry, {**values, ("trade-flows-csv-button", "n_clicks"): 1}))
    heading = dc.response_props(answer.json())[("trade-flows-csv", "data")]["content"].split("\n", 1)[0]
    assert heading.startswith("# Source: USDA FAS PSD, Wheat (0410000)"), heading
