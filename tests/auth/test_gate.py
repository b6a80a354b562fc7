"""The gate on odd paths and on routes it has never heard of."""
import pytest

from tests.auth.conftest import cli_user, client_login
from tests.harness.dash_client import body


@pytest.mark.parametrize("path", [
    "/dashboards/trade/", "//dashboards/trade", "/dashboards/trade?x=1", "/dashboards/country/BRA",
    "/api/v1/metrics/", "/api/v1/nothing",
])
def test_odd_paths_to_protected_things_are_refused_to_anonymous(auth_client, path):
    # A raw "GET //x" reaches the app as PATH_INFO "//x"; the test client would read "//x" as a host.
    response = auth_client.get("/", environ_overrides={"PATH_INFO": path}) if path.startswith("//") else auth_client.get(path)
    if "/api/" in path:
        assert response.status_code == 401 and set(response.get_json()) == {"error"}
    else:
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_routes_without_a_declared_level_are_refused_to_everyone(auth_app):
    auth_app.add_url_rule("/download/everything.csv", "download_everything", lambda: "secret,data\n")
    cli_user(auth_app, "admin@example.com", "--admin")
    assert auth_app.test_client().get("/download/everything.csv").status_code == 302
    admin = auth_app.test_client()
    client_login(admin, "admin@example.com")
    refused = admin.get("/download/everything.csv")
    assert refused.status_code == 403 and "secret" not in refused.get_data(as_text=True)


def test_public_routes_stay_public(auth_client):
    for path in ("/", "/login", "/signup", "/reset", "/_dash-layout", "/_dash-dependencies", "/_favicon.ico",
                 "/bootstrap/static/css/bootstrap.min.css"):
        assert auth_client.get(path).status_code == 200, path
    for path in ("/404", "/no/such/page"):  # public too: the not-found page, not a login redirect
        assert auth_client.get(path).status_code == 404, path
    assert auth_client.get("/healthz").status_code in (200, 503)



def _post(client, payload=None, data=None):
    """POST a callback body as dash-renderer does, with the CSRF cookie echoed as X-CSRFToken."""
    client.get("/")  # the page sets the CSRF cookie for the current session
    headers = {"X-CSRFToken": client.get_cookie("_csrf_token").value}
    if data is not None:
        return client.post("/_dash-update-component", data=data, content_type="application/json", headers=headers)
    return client.post("/_dash-update-component", json=payload, headers=headers)


def _router(client):
    """Return the page router's declared dependencies, as /_dash-dependencies lists them."""
    _post(client, {})  # Dash registers the router on its first requests
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if d["output"].startswith(".._pages_content."))


def _router_body(router, values):
    """Return a router callback body with values {property: value} in the declared input order."""
    return body(router, {("_pages_location", prop): value for prop, value in values.items()})


def test_page_router_is_judged_on_the_inputs_dash_reads(auth_client):
    router = _router(auth_client)
    honest = _post(auth_client, _router_body(router, {"pathname": "/dashboards/production", "search": ""}))
    assert honest.status_code == 401 and set(honest.get_json()) == {"error"}
    # Swapped: the gate would find pathname "/" by id and property; Dash reads position 0 as the pathname.
    swapped = _router_body(router, {"pathname": "/", "search": ""})
    swapped["inputs"] = [{**swapped["inputs"][1], "value": "/dashboards/production"},
                         {**swapped["inputs"][0], "value": "/"}] + swapped["inputs"][2:]
    response = _post(auth_client, swapped)
    assert response.status_code == 400 and response.get_json() == {"error": "Malformed callback request."}
    public = _post(auth_client, _router_body(router, {"pathname": "/", "search": ""}))
    assert public.status_code == 200 and "_pages_content" in public.get_json()["response"]


@pytest.mark.parametrize("pathname", ["x", "dashboards/production", " /admin", "", "\\admin"])
def test_a_router_pathname_not_rooted_at_slash_is_a_400(auth_client, pathname):
    router = _router(auth_client)
    response = _post(auth_client, _router_body(router, {"pathname": pathname, "search": ""}))
    assert response.status_code == 400 and response.get_json() == {"error": "Malformed callback request."}


ROUTER_KEY = ".._pages_content.children..._pages_store.data.."
ROUTER_OUTPUTS = [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}]
LOCATION = [{"id": "_pages_location", "property": "pathname", "value": "/"},
            {"id": "_pages_location", "property": "search", "value": ""}]


def _deep(levels):
    """Return JSON text of a list nested levels deep."""
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("payload", [
    {"output": ["not", "a", "string"], "outputs": ROUTER_OUTPUTS, "inputs": LOCATION, "state": []},
    {"output": 12, "inputs": LOCATION},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS, "inputs": "pathname"},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS, "inputs": [1, 2]},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS, "inputs": [{"value": "/"}, {"value": ""}]},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS, "inputs": LOCATION[:1]},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS, "inputs": LOCATION, "state": {"id": "x"}},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS[:1], "inputs": LOCATION, "state": []},
    {"output": ROUTER_KEY, "outputs": "_pages_content", "inputs": LOCATION, "state": []},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS, "inputs": [{**LOCATION[0], "value": ["/"]}, LOCATION[1]]},
    {"output": ROUTER_KEY, "outputs": ROUTER_OUTPUTS, "inputs": LOCATION, "state": [],
     "deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]},
    "deeply nested",
])
def test_malformed_callback_bodies_get_a_400_not_a_500(auth_client, payload):
    _router(auth_client)
    if payload == "deeply nested":
        response = _post(auth_client, data=_deep(100_000))
    else:
        response = _post(auth_client, payload)
    assert response.status_code == 400, (payload, response.status_code, response.get_data(as_text=True)[:200])
    assert response.get_json() == {"error": "Malformed callback request."}


def test_misshapen_bodies_get_400_and_well_formed_ones_the_gates_answer(auth_app):
    cli_user(auth_app, "free@example.com")
    free = auth_app.test_client()
    client_login(free, "free@example.com")
    deps = free.get("/_dash-dependencies").get_json()
    chart = next(d for d in deps if d["output"].startswith("..production-by-country-graph."))
    wrong = {"output": chart["output"], "inputs": [{"id": "production-countries", "property": "value"}], "state": []}
    for misshapen in (wrong, {**body(chart), "outputs": {"id": "shell-nav", "property": "children"}}):
        response = _post(free, misshapen)
        assert response.status_code == 400 and response.get_json() == {"error": "Malformed callback request."}
    refused = _post(free, body(chart))
    assert refused.status_code == 403 and set(refused.get_json()) == {"error"}


@pytest.mark.parametrize("path", [
    "/_dash-component-suites/dash/no_such_file.js", "/_dash-component-suites/nopackage/x.js",
    "/_dash-component-suites/dash/deps/../../../app.py",
])
def test_unknown_component_suite_paths_are_404(auth_client, path):
    response = auth_client.get(path)
    assert response.status_code == 404, (path, response.status_code)


def test_app_start_fails_on_a_server_callback_without_a_declared_level(tmp_path, real_data_dir):
    import dash
    from dash import Input, Output, _callback

    from app import create_app
    from auth import access
    from tests.conftest import base_config

    server = create_app(base_config(tmp_path, real_data_dir))
    access.check(server)  # every page callback declares one
    # A callback registered the usual Dash way, with no declared level, stops the next app from starting.
    dash.callback(Output("stray-output", "children"), Input("stray-input", "value"))(lambda value: value)
    try:
        with pytest.raises(RuntimeError, match="stray-output.children"):
            create_app(base_config(tmp_path / "second", real_data_dir))
    finally:
        _callback.GLOBAL_CALLBACK_MAP.pop("stray-output.children", None)
        _callback.GLOBAL_CALLBACK_LIST[:] = [c for c in _callback.GLOBAL_CALLBACK_LIST
                                             if c.get("output") != "stray-output.children"]


def test_start_refuses_a_route_without_declared_access(tmp_path, real_data_dir):
    from flask import Blueprint

    from app import create_app
    from auth import access
    from auth.access import SUBSCRIBER, requires
    from tests.conftest import base_config

    server = create_app(base_config(tmp_path, real_data_dir))
    access.check(server)  # every route of the app declares its level where it is registered
    stray = Blueprint("stray", __name__)
    stray.add_url_rule("/stray", "open", lambda: "no level")
    declared = Blueprint("declared", __name__)
    declared.add_url_rule("/declared", "subscribers", requires(SUBSCRIBER)(lambda: "subscribers only"))
    server.register_blueprint(stray)
    server.register_blueprint(declared)
    with pytest.raises(RuntimeError, match="/stray") as refused:
        access.check(server)
    assert "/declared" not in str(refused.value)
    # The gate never opens a route it has no level for, and applies the declared one.
    client = server.test_client()
    assert client.get("/stray").status_code == 302  # anonymous: to the login page
    assert client.get("/declared").status_code == 302
