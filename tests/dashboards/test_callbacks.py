"""Dash callbacks over real HTTP: hostile input gets a handled answer, never a 500."""
from urllib.parse import urlencode

import pytest

from callbacks import page as common
from tests.harness import dash_client as dc
from tests.harness.charts import dashboard_pages, declared_pages, page_defaults

HOSTILE = [
    "BRA'; DROP TABLE obt_commodity_metrics; --",
    "production) FROM load_metadata --",
    ["BRA"] * 5000,
    list(range(2000)),
    {"$gt": ""},
    2023.5,
    True,
    None,
    [None, None],
    "",
    -1,
    10 ** 30,
    "NaN",
    [2023, "2020; SELECT 1"],
]


@pytest.fixture(scope="module")
def dash(live_server, subscriber_session):
    """Return (post, dependencies, client) for the subscriber's Dash callback requests."""
    session = subscriber_session
    session.get(f"{live_server.url}/dashboards/overview", timeout=30)
    client = dc.DashClient(session, live_server.url)
    return client.post, client.dependencies(), client


@pytest.fixture(scope="module")
def defaults(dash):
    """Return {(id, prop): value} of every page's filters as served for a URL with no query."""
    client = dash[2]
    values = {}
    for page in dashboard_pages():
        values.update(page_defaults(client, page))
    return values


def unchanged(response):
    """Return True when Dash answered without updating anything (204, or 200 with no props)."""
    return response.status_code == 204 or (response.status_code == 200 and response.json()["response"] == {})


# Pages that need several releases to draw anything: test_changes.py runs the same checks on three.
SEVERAL_RELEASES = ("changes",)
EMPTY_IS_DEFAULT = ("-release", "-commodity", "changes-countries")


def chart_ids(pages=None):
    """Return the base ids of the declared charts (of the given pages; default: those that draw on one release)."""
    declared_pages()
    return [spec.ids.base for spec in common.CHARTS
            if (spec.page in pages if pages else spec.page not in SEVERAL_RELEASES)]


def spec_for(base):
    """Return the chart spec with a base id."""
    return next(s for s in common.CHARTS if s.ids.base == base)


def hostile_values(spec):
    """Return every hostile value for a page's first chart, a sample for the rest (the checks are shared)."""
    first = next(s for s in common.CHARTS if s.page == spec.page)
    return HOSTILE if spec is first else HOSTILE[::3]


@pytest.mark.parametrize("base", chart_ids())
def test_chart_answers_hostile_input_with_a_message(dash, defaults, base):
    check_hostile_chart(dash[0], dash[1], defaults, spec_for(base))


def check_hostile_chart(post, deps, defaults, spec):
    """Check a chart draws on defaults and answers every hostile input with a message, never a 500."""
    entry = dc.find(deps, spec.ids.view, spec.view_prop)
    ok = post(dc.body(entry, defaults))
    assert ok.status_code == 200
    good = dc.response_props(ok.json())
    assert good[(spec.ids.view, spec.view_prop)]  # the defaults draw something
    for component in spec.inputs:
        for value in hostile_values(spec):
            if component[0].endswith(EMPTY_IS_DEFAULT) and value in (None, ""):
                continue  # no release: the latest numbers; no countries on the changes page: all
            values = {**defaults, component: value}
            response = post(dc.body(entry, values))
            assert response.status_code == 200, (component, value, response.text[:300])
            props = dc.response_props(response.json())
            message = str(props[(spec.ids.message, "children")])
            assert "Check the filters" in message, (component, value, message[:200])
            assert "Traceback" not in response.text and "DROP TABLE" not in response.text


@pytest.mark.parametrize("base", chart_ids())
def test_download_refuses_hostile_input_without_error(dash, defaults, base):
    check_hostile_download(dash[0], dash[1], defaults, spec_for(base))


def check_hostile_download(post, deps, defaults, spec):
    """Check a chart's CSV downloads on defaults and refuses hostile input without an error."""
    entry = dc.find(deps, spec.ids.download, "data")
    values = {**defaults, (spec.ids.button, "n_clicks"): 1}
    ok = post(dc.body(entry, values))
    assert ok.status_code == 200
    assert dc.response_props(ok.json())[(spec.ids.download, "data")]["filename"].endswith(".csv")
    for component in spec.inputs:
        for value in HOSTILE[:6]:
            response = post(dc.body(entry, {**values, component: value}))
            assert unchanged(response), (component, value, response.text[:300])


@pytest.mark.parametrize("search", [
    "?" + urlencode({"countries": "BRA'; DROP TABLE obt_world_metrics; --", "start": "abc", "end": "1e9",
                     "units": "furlongs"}),
    "?" + urlencode({"countries": ["BRA"] * 1000, "start": [1, 2], "year": "{'a': 1}", "threshold": "NaN",
                     "window": "-3"}, doseq=True),
    "?" + urlencode({"country": "<script>alert(1)</script>", "metric": "production; --", "top": 10 ** 20}),
    "?countries=&start=&end=&units=",
    "?" + "x" * 5000,
    "?start=%00%ff&end=2023&start=1999",
])
def test_page_falls_back_to_defaults_for_a_bad_url(dash, defaults, search):
    client = dash[2]
    for page in dashboard_pages():
        values = page_defaults(client, page, search)
        assert values == {key: defaults[key] for key in values}, page.name


def test_url_sync_ignores_hostile_values(dash, defaults):
    post, deps, _ = dash
    page = common.PAGES["production"]
    entry = dc.find(deps, page.url, "search")
    response = post(dc.body(entry, defaults))
    assert response.status_code == 200
    search = dc.response_props(response.json())[(page.url, "search")]
    assert search.startswith("?countries=") and "units=bags" in search
    for value in HOSTILE:
        response = post(dc.body(entry, {**defaults, ("production-countries", "value"): value}))
        assert unchanged(response), (value, response.text[:200])
    country = common.PAGES["country"]
    entry = dc.find(deps, country.url, "pathname")
    props = dc.response_props(post(dc.body(entry, {**defaults, ("country-select", "value"): "ETH"})).json())
    assert props[(country.url, "pathname")] == "/dashboards/country/ETH"
    assert props[(country.url, "search")] == "?start=1960&end=2023&units=bags&metric=production&track_year=2023"


def test_missing_values_and_unknown_outputs(dash, defaults):
    post, deps, _ = dash
    spec = spec_for("production-by-country")
    entry = dc.find(deps, spec.ids.view, spec.view_prop)
    body = dc.body(entry, defaults)
    for item in body["inputs"]:
        item.pop("value")
    response = post(body)
    assert response.status_code == 200
    assert "Check the filters" in str(dc.response_props(response.json())[(spec.ids.message, "children")])
    heading = dc.find(deps, "country-heading", "children")
    assert unchanged(post(dc.body(heading, {("country-select", "value"): "'; --"})))
    assert post(dc.body(heading, {("country-select", "value"): "VNM"})).json()["response"]["country-heading"][
        "children"] == "Vietnam"


def test_units_toggle_converts_to_tonnes(dash, defaults):
    post, deps, _ = dash
    spec = spec_for("production-by-country")
    entry = dc.find(deps, spec.ids.view, spec.view_prop)
    bags = dc.response_props(post(dc.body(entry, defaults)).json())[(spec.ids.view, "figure")]
    tonnes = dc.response_props(post(dc.body(entry, {**defaults, ("production-units", "value"): "tonnes"})).json())[
        (spec.ids.view, "figure")]
    assert [t["name"] for t in bags["data"]] == [t["name"] for t in tonnes["data"]]
    for b, t in zip(bags["data"], tonnes["data"]):
        assert t["y"] == pytest.approx([v * 0.06 for v in b["y"]])
    assert tonnes["layout"]["yaxis"]["title"]["text"] == "1000 tonnes"
    hover = tonnes["data"][0]["hovertemplate"]
    assert "1000 tonnes" in hover and "%{customdata}" in hover
    assert tonnes["data"][0]["customdata"][-1] == "2023/24"


def test_no_data_in_range_says_so(dash, defaults):
    post, deps, _ = dash
    spec = spec_for("production-by-country")
    entry = dc.find(deps, spec.ids.view, spec.view_prop)
    # Kosovo is listed by USDA but produces no coffee.
    values = {**defaults, ("production-countries", "value"): ["XKX"], ("production-range", "value"): [2000, 2010]}
    props = dc.response_props(post(dc.body(entry, values)).json())
    assert props[(spec.ids.view, "figure")]["data"] == []
    assert "No production" in str(props[(spec.ids.message, "children")])
    values[("production-countries", "value")] = ["XKX", "BRA"]
    props = dc.response_props(post(dc.body(entry, values)).json())
    assert [t["name"] for t in props[(spec.ids.view, "figure")]["data"]] == ["Brazil", "Kosovo"]
    assert "No production for Kosovo" in str(props[(spec.ids.message, "children")])


def test_too_many_countries_is_a_clear_message(dash, defaults):
    post, deps, _ = dash
    spec = spec_for("supply-ending-stocks")
    entry = dc.find(deps, spec.ids.view, spec.view_prop)
    options = defaults[("supply-countries", "options")]
    values = {**defaults, ("supply-countries", "value"): [o["value"] for o in options][:13]}
    props = dc.response_props(post(dc.body(entry, values)).json())
    assert "at most 12 countries" in str(props[(spec.ids.message, "children")])


def test_free_user_sees_the_overview_but_downloads_nothing(live_server, free_session, dash, defaults):
    _, deps, _ = dash
    session = free_session
    session.get(f"{live_server.url}/dashboards/overview", timeout=30)

    def post(body):
        headers = {"X-CSRFToken": session.cookies.get("_csrf_token", "")}
        return session.post(f"{live_server.url}/_dash-update-component", json=body, headers=headers, timeout=60)

    spec = spec_for("overview-production")
    response = post(dc.body(dc.find(deps, spec.ids.view, spec.view_prop), defaults))
    assert response.status_code == 200
    assert len(dc.response_props(response.json())[(spec.ids.view, "figure")]["data"]) == 5
    download = dc.find(deps, spec.ids.download, "data")
    refused = post(dc.body(download, {**defaults, (spec.ids.button, "n_clicks"): 1}))
    # The gate refuses download callbacks below subscriber, before the callback runs.
    assert refused.status_code == 403
    assert refused.json() == {"error": "Your account does not have access to this."}
    assert "market_year" not in refused.text
