"""A dashboard's layout carries its charts drawn: the first /_dash-layout and the page router alike."""
import pytest

from tests.harness.charts import declared_pages
from tests.harness.dash_client import ROUTER_OUTPUT, DashClient, walk_props
from tests.harness.env import dashboard_paths
from tests.harness.releases import long_values, release_frames

PRODUCTION = 28  # USDA attribute id
TONNES = 0.06  # thousand tonnes per thousand 60-kg bags
QUERY = "?countries=BRA,VNM&start=2001&end=2020&units=tonnes"


def first_layout(server, session, path):
    """Return {component id: props} of the first /_dash-layout a browser on path receives."""
    response = session.get(f"{server.url}/_dash-layout", headers={"Referer": server.url + path}, timeout=60)
    response.raise_for_status()
    return walk_props(response.json())


def line(props, graph, name):
    """Return {market year: y} of the named trace of a drawn graph."""
    traces = [t for t in props[graph]["figure"]["data"] if t.get("name") == name]
    assert len(traces) == 1, [t.get("name") for t in props[graph]["figure"]["data"]]
    return dict(zip(traces[0]["x"], traces[0]["y"]))


def drawn(props, spec):
    """Return True when a chart's view in props holds something drawn (traces, rows or cards)."""
    view = props.get(spec.ids.view, {}).get(spec.view_prop)
    if spec.view_prop == "figure":
        return bool(view and view.get("data"))
    return bool(view)


def expected_production(raw_by_code, code):
    """Return {market year: production in thousand tonnes} of a country, 2001-2020, from the raw CSV."""
    series = raw_by_code.loc[code][PRODUCTION]
    return {int(year): value * TONNES for year, value in series.items() if 2001 <= year <= 2020}


@pytest.mark.parametrize("via", ["first layout", "page router"])
def test_production_figures_in_the_layout_match_the_raw_file(live_server, subscriber_session, raw_by_code, via):
    path = "/dashboards/production"
    if via == "first layout":
        props = first_layout(live_server, subscriber_session, path + QUERY)
    else:
        props = DashClient(subscriber_session, live_server.url).page_props(path, QUERY)
    for code, name in (("BRA", "Brazil"), ("VNM", "Vietnam")):
        assert line(props, "production-by-country-graph", name) == pytest.approx(
            expected_production(raw_by_code, code), rel=1e-9)


def test_every_dashboard_layout_holds_every_chart_drawn(live_server, subscriber_session):
    pages = declared_pages()
    client = DashClient(subscriber_session, live_server.url)
    for path in dashboard_paths(live_server, subscriber_session):
        page = pages[path.split("/")[2]]
        for props in (first_layout(live_server, subscriber_session, path), client.page_props(path)):
            if page.name == "changes":  # one release: nothing to compare, and the charts say so
                assert all(props[s.ids.message]["children"] for s in page.charts), path
                continue
            assert [s.ids.base for s in page.charts if not drawn(props, s)] == [], path


def test_user_without_access_gets_no_figures(live_server, free_session, subscriber_session):
    props = first_layout(live_server, free_session, "/dashboards/production" + QUERY)
    assert not [i for i in props if i.startswith("production-")]
    assert not [p for p in props.values() if isinstance(p.get("figure"), dict) and p["figure"].get("data")]
    response = DashClient(free_session, live_server.url).router("/dashboards/production", QUERY)
    assert response.status_code == 403 and set(response.json()) == {"error"}
    # The overview is theirs: drawn for them too.
    overview = first_layout(live_server, free_session, "/dashboards/overview")
    assert line(overview, "overview-production-graph", "Production")


@pytest.mark.parametrize("release", ["2024-06", "2024-09", None])
def test_release_figures_in_the_layout_are_that_release(releases_server, releases_session, release):
    frames = release_frames()
    values = long_values(frames[release or max(frames)])
    brazil = values[(values["country_code"] == "BRA") & (values["attribute_id"] == PRODUCTION)]
    expected = {int(y): v * TONNES for y, v in zip(brazil["market_year"], brazil["value"]) if 2001 <= y <= 2020}
    query = QUERY + (f"&release={release}" if release else "")
    for props in (first_layout(releases_server, releases_session, "/dashboards/production" + query),
                  DashClient(releases_session, releases_server.url).page_props("/dashboards/production", query)):
        assert line(props, "production-by-country-graph", "Brazil") == pytest.approx(expected, rel=1e-9)
