"""Authorisation matrix: five roles against every page, every Dash callback, the API and /admin."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.harness.dash_client import ROUTER_OUTPUT, DashClient, body, is_pattern, outputs_of, walk_props

ROLES = ["anonymous", "free", "subscriber", "disabled", "admin"]
# What each role holds: a disabled user's old session counts for nothing.
ROLE_RANK = {"anonymous": 0, "disabled": 0, "free": 1, "subscriber": 2, "admin": 3}
ACCESS_RANK = {"public": 0, "user": 1, "subscriber": 2, "admin": 3}
API_QUERY = "/api/v1/metrics?metric=production&country=BRA&start=2020&end=2020"

# The expectations, written out here rather than read from the declarations the gate uses.
PAGE_ACCESS = {
    "/": "public", "/404": "public", "/dashboards/overview": "user", "/dashboards/production": "subscriber",
    "/dashboards/trade": "subscriber", "/dashboards/supply": "subscriber", "/dashboards/country/BRA": "subscriber",
    "/dashboards/changes": "subscriber", "/dashboards/prices": "subscriber", "/admin": "admin",
    "/admin/metrics": "admin",
}
# Pages Flask renders itself (not Dash pages), with the same kind of expectation.
ROUTE_ACCESS = {"/methodology": "public", "/docs/api": "public", "/docs/api/openapi.json": "public",
                "/team": "user", "/billing/team": "user", "/login/sso": "public", "/account/mfa": "user"}


def _charts(page, *names, grid=()):
    """Return the view ids of a page's charts (graphs, then grids)."""
    return {f"{page}-{n}-graph" for n in names} | {f"{page}-{n}-grid" for n in grid}


def _downloads(page, *names):
    """Return the download ids of a page's charts."""
    return {f"{page}-{n}-csv" for n in names}


OVERVIEW = ("kpi", "production", "top-producers", "regions", "map", "enso")
PRODUCTION = ("by-country", "split", "yoy", "share", "volatility")
TRADE = ("flows", "net", "dependency", "pool")
SUPPLY = ("stocks-to-use", "ending-stocks", "consumption")
COUNTRY = ("balance", "vs-world", "ranks", "track-record", "weather")
CHANGES = ("by-country",)
CHANGES_GRIDS = ("world", "revisions", "prices")
PRICES = ("history", "fit", "market")
# Each server callback, by the first component it writes: who may run it. CSV downloads need a
# subscription everywhere, the overview's too.
CALLBACK_ACCESS = {
    **dict.fromkeys({"overview-url", "overview-kpis"} | _charts("overview", *OVERVIEW[1:]), "user"),
    **dict.fromkeys(
        {"production-url", "trade-url", "supply-url", "country-url", "country-heading", "changes-url", "prices-url"}
        | _charts("production", *PRODUCTION) | _charts("trade", *TRADE, grid=("table",))
        | _charts("supply", *SUPPLY, grid=("drawdown",)) | _charts("country", *COUNTRY, grid=("sheet", "shortfalls"))
        | _downloads("overview", *OVERVIEW) | _downloads("production", *PRODUCTION)
        | _downloads("trade", *TRADE, "table") | _downloads("supply", *SUPPLY, "drawdown")
        | _downloads("country", *COUNTRY, "sheet", "shortfalls")
        | _charts("changes", *CHANGES, grid=CHANGES_GRIDS) | _downloads("changes", *CHANGES, *CHANGES_GRIDS)
        | _charts("prices", *PRICES) | _downloads("prices", *PRICES)
        | _charts("overview", "price-stocks") | _downloads("overview", "price-stocks"),  # a subscriber's chart
        "subscriber"),
    **dict.fromkeys({"admin-users", "admin-pending", "admin-confirm", "admin-metrics-download"}, "admin"),
}


@pytest.fixture(scope="session")
def pages(real_data_dir, tmp_path_factory):
    """Return (path, access, module) of every registered Dash page, its access from PAGE_ACCESS."""
    import registry
    from app import create_app
    from tests.conftest import base_config

    app = create_app(base_config(tmp_path_factory.mktemp("registry"), real_data_dir))
    found = []
    for page in registry.of(app).dash_pages.values():
        path = page["path"]
        if page.get("path_template"):
            path = re.sub(r"<[^>]+>", "BRA", page["path_template"])
        found.append((path, PAGE_ACCESS.get(path), page["module"].split(".")[-1]))
    assert {path for path, _, _ in found} == set(PAGE_ACCESS), "a page is missing from PAGE_ACCESS, or gone"
    return found


def _allowed(role, access):
    """Return True when role may open something that needs access."""
    return ROLE_RANK[role] >= ACCESS_RANK[access]


def _denied_status(role):
    """Return the status of a refused callback or API call for role."""
    return 401 if ROLE_RANK[role] == 0 else 403


def _assert_no_data(response):
    """Assert a refusal carries nothing but an error message."""
    payload = response.json()
    assert set(payload) == {"error"} and len(response.content) < 200, response.text[:300]


@pytest.fixture(scope="session")
def initial_props(auth_server, pages):
    """Return {component id: props} of every page layout and the shell, as the admin sees them."""
    admin = DashClient(auth_server.sessions["admin"], auth_server.server.url)
    props = walk_props(admin.session.get(auth_server.server.url + "/_dash-layout", timeout=30).json())
    for path, _, _ in pages:
        response = admin.router(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        walk_props(response.json()["response"][ROUTER_OUTPUT]["children"], props)
    return props


def check_pages(auth_server, pages, role):
    """GET every page: allowed 200, anonymous to /login?next=path, others 403."""
    session = auth_server.sessions[role]
    failures = []
    for path, access, _ in pages:
        response = session.get(auth_server.url(path), allow_redirects=False, timeout=30)
        if _allowed(role, access):
            expected = 404 if path == "/404" else 200  # the not-found page answers with its status
        else:
            expected = 302 if ROLE_RANK[role] == 0 else 403
        if response.status_code != expected:
            failures.append(f"{path} ({access}): {response.status_code}, expected {expected}")
        elif expected == 302:
            location = urlsplit(response.headers["Location"])
            if location.path != "/login" or parse_qs(location.query).get("next") != [path]:
                failures.append(f"{path}: redirected to {response.headers['Location']}")
        elif expected == 403 and access == "subscriber" and "Subscriber feature" not in response.text:
            failures.append(f"{path}: 403 page does not name the subscriber feature")
    assert not failures, "\n".join(failures)


def check_routes(auth_server, role):
    """GET every Flask-rendered page of ROUTE_ACCESS: allowed 200, anonymous to /login, others 403."""
    failures = []
    for path, access in ROUTE_ACCESS.items():
        response = auth_server.sessions[role].get(auth_server.url(path), allow_redirects=False, timeout=30)
        expected = 200 if _allowed(role, access) else 302 if ROLE_RANK[role] == 0 else 403
        if response.status_code != expected:
            failures.append(f"{path} ({access}): {response.status_code}, expected {expected}")
    assert not failures, "\n".join(failures)


def check_page_router(auth_server, pages, role):
    """POST Dash's page router for every page: allowed 200 with the layout, else 401/403 with no layout."""
    dash = DashClient(auth_server.sessions[role], auth_server.server.url)
    failures = []
    for path, access, _ in pages:
        response = dash.router(path)
        if _allowed(role, access):
            if response.status_code != 200 or ROUTER_OUTPUT not in response.json().get("response", {}):
                failures.append(f"{path}: {response.status_code} {response.text[:200]}")
        elif response.status_code != _denied_status(role):
            failures.append(f"{path} ({access}): {response.status_code}, expected {_denied_status(role)}")
        else:
            _assert_no_data(response)
    assert not failures, "\n".join(failures)


def _required(spec):
    """Return the access a callback needs, from CALLBACK_ACCESS."""
    first = outputs_of(spec)[0]["id"]
    assert first in CALLBACK_ACCESS, f"callback {spec['output']} is not in CALLBACK_ACCESS"
    return CALLBACK_ACCESS[first]


def server_callbacks(dash):
    """Return every callback that runs on the server, except Dash's page router."""
    specs = [s for s in dash.dependencies() if not s.get("clientside_function")]
    return [s for s in specs if not any(o["id"] == ROUTER_OUTPUT for o in outputs_of(s))]


def check_callbacks(auth_server, pages, initial_props, role):
    """POST every server callback of every page directly: allowed runs, others get 401/403 and no data."""
    dash = DashClient(auth_server.sessions[role], auth_server.server.url)
    specs = server_callbacks(dash)
    assert {outputs_of(s)[0]["id"] for s in specs} == set(CALLBACK_ACCESS)
    failures = []
    for spec in specs:
        required = _required(spec)
        values = {}
        for dep in spec["inputs"] + spec["state"]:
            props = initial_props.get(dep["id"], {})
            values[(dep["id"], dep["property"])] = props.get(dep["property"])
        response = dash.post(body(spec, values))
        if _allowed(role, required):
            if response.status_code not in (200, 204) and not (is_pattern(spec) and response.status_code < 500):
                failures.append(f"{spec['output']} ({required}): {response.status_code} {response.text[:200]}")
        elif response.status_code != _denied_status(role):
            failures.append(f"{spec['output']} ({required}): {response.status_code}, expected {_denied_status(role)}")
        else:
            _assert_no_data(response)
    assert not failures, "\n".join(failures)


def check_first_layout(auth_server, pages, role):
    """/_dash-layout carries the page the browser is on (its Referer) only when the role may open it."""
    session = auth_server.sessions[role]
    failures = []
    for path, access, module in pages:
        for referrer, same_site in ((auth_server.url(path), True), (f"http://evil.example{path}", False)):
            layout = session.get(auth_server.url("/_dash-layout"), headers={"Referer": referrer}, timeout=30)
            content = walk_props(layout.json())[ROUTER_OUTPUT]
            rendered = bool(content.get("children"))
            leaked = [i for i in walk_props(content.get("children")) if i.split("-", 1)[0] == module]
            if rendered != (same_site and _allowed(role, access)) or (leaked and not rendered):
                failures.append(f"{referrer} ({access}): page rendered={rendered}")
    assert not failures, "\n".join(failures)


def check_forged_callbacks(auth_server, role):
    """Callbacks no page owns are refused; bodies that do not match what they name are malformed (400)."""
    dash = DashClient(auth_server.sessions[role], auth_server.server.url)
    forged = [
        {"output": "nobody.children", "outputs": {"id": "nobody", "property": "children"}, "inputs": [], "state": []},
        {"output": "shell-made-up.children", "outputs": {"id": "shell-made-up", "property": "children"},
         "inputs": [], "state": []},
        body(next(s for s in dash.dependencies() if s.get("clientside_function"))),  # runs in the browser only
    ]
    malformed = [
        {"output": ".._pages_content.children..._pages_store.data..", "outputs": [], "inputs": [], "state": []},
        {"outputs": [], "inputs": []},
        [],
    ]
    for payload, status in [(p, _denied_status(role)) for p in forged] + [(p, 400) for p in malformed]:
        response = dash.post(payload)
        assert response.status_code == status, (payload, response.status_code, response.text[:200])
        _assert_no_data(response)
    # The admin grid's callback, claiming public outputs in "outputs": the key decides what runs.
    spec = dash.find("admin-users")
    payload = body(spec)
    payload["outputs"] = [{"id": "shell-nav", "property": "children"}, {"id": "shell-data-banner", "property": "children"}]
    response = dash.post(payload)
    assert response.status_code == 400
    _assert_no_data(response)


@pytest.fixture(scope="session")
def brazil_2020_production(raw_frame):
    """Return Brazil's 2020 coffee production straight from the raw USDA CSV."""
    rows = raw_frame[
        (raw_frame["Commodity_Code"] == "0711100") & (raw_frame["Country_Name"] == "Brazil")
        & (raw_frame["Market_Year"] == 2020) & (raw_frame["Attribute_Description"] == "Production")
    ]
    assert len(rows) == 1
    return float(rows["Value"].iloc[0])


def check_api(auth_server, role, brazil_2020_production):
    """The data API: subscribers and admins get data, others 401/403 with no data."""
    response = auth_server.sessions[role].get(auth_server.url(API_QUERY), timeout=30)
    if _allowed(role, "subscriber"):
        assert response.status_code == 200, response.text[:300]
        rows = response.json()["rows"]
        assert [(r["market_year"], r["production"]) for r in rows] == [(2020, brazil_2020_production)]
    else:
        assert response.status_code == _denied_status(role), response.text[:300]
        _assert_no_data(response)


def check_layout_endpoints(auth_server, pages):
    """/_dash-layout and /_dash-dependencies serve anonymous visitors without protected layouts or data."""
    session = auth_server.sessions["anonymous"]
    layout = session.get(auth_server.url("/_dash-layout"), timeout=30)
    assert layout.status_code == 200
    protected = {module for _, access, module in pages if access != "public"}
    ids = walk_props(layout.json())
    leaked = [i for i in ids if i.split("-", 1)[0] in protected]
    assert not leaked, leaked
    assert "matrix-" not in layout.text  # no user emails
    assert session.get(auth_server.url("/_dash-dependencies"), timeout=30).status_code == 200


def test_authorisation_matrix(auth_server, pages, initial_props, brazil_2020_production, subtests):
    """Every cell of the matrix, as one test per database so each server starts once per worker."""
    for role in ROLES:
        with subtests.test("pages", role=role):
            check_pages(auth_server, pages, role)
        with subtests.test("flask pages", role=role):
            check_routes(auth_server, role)
        with subtests.test("page router", role=role):
            check_page_router(auth_server, pages, role)
        with subtests.test("first layout", role=role):
            check_first_layout(auth_server, pages, role)
        with subtests.test("callbacks", role=role):
            check_callbacks(auth_server, pages, initial_props, role)
        with subtests.test("forged callbacks", role=role):
            check_forged_callbacks(auth_server, role)
        with subtests.test("api", role=role):
            check_api(auth_server, role, brazil_2020_production)
    with subtests.test("layout endpoints"):
        check_layout_endpoints(auth_server, pages)
