"""One contract test per Dash internal the adapter (ui/dash_internals.py) relies on: a Dash upgrade that
changes one fails here, by name, before anything subtler breaks."""
import inspect
import re
import tomllib
from pathlib import Path

import dash
import pytest
from dash import _dash_renderer, dcc

from ui import bundles, dash_internals

ROOT = Path(__file__).resolve().parent.parent.parent


def _dash(app):
    import registry

    return registry.of(app).dash


def test_dash_is_the_version_the_adapter_was_checked_against_and_pinned_exactly():
    assert dash.__version__ == dash_internals.VERSION
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"dash=={dash_internals.VERSION}" in dependencies


def test_page_container_ids_are_the_ones_dash_fills():
    ids = {getattr(c, "id", None) for c in dash.page_container._traverse()}
    assert {dash_internals.LOCATION, dash_internals.CONTENT, dash_internals.STORE, dash_internals.DUMMY} <= ids


def test_dash_registers_exactly_its_set_up_hooks_and_they_do_nothing_once_run(app):
    dash_hooks = [f"{h.__module__}:{h.__qualname__}" for h in app.before_request_funcs[None]
                  if getattr(h, "__module__", "").startswith("dash")]
    assert sorted(dash_hooks) == sorted(dash_internals.SETUP_HOOKS)
    dash_app = _dash(app)
    callbacks = dict(dash_app.callback_map)
    with app.test_request_context("/"):
        for hook in app.before_request_funcs[None]:
            if f"{hook.__module__}:{hook.__qualname__}" in dash_internals.SETUP_HOOKS:
                hook()
    assert dash_app.callback_map == callbacks  # set_up() at start already ran them


def test_set_up_at_start_opens_no_serving_file(app):
    # gunicorn preloads the app and then forks: a DuckDB instance opened here would be shared by the workers.
    import registry

    assert registry.of(app).serving._shared == (None, None)


def test_set_up_moves_every_global_callback_into_the_app(app):
    from dash import _callback

    assert _callback.GLOBAL_CALLBACK_MAP == {}
    assert [k for k in _dash(app).callback_map if dash_internals.is_router(k)], "the page router is registered"


def test_a_callback_entry_has_what_the_gate_reads(app):
    entries = dash_internals.server_callbacks(_dash(app))
    key = "..production-by-country-graph.figure...production-by-country-message.children.."
    entry = dash_internals.callback_entry(_dash(app), key)
    assert entry is entries[key] and callable(entry["callback"])
    assert all(set(i) >= {"id", "property"} for i in entry["inputs"] + entry["state"])
    assert [(o.component_id, o.component_property) for o in entry["output"]] == [
        ("production-by-country-graph", "figure"), ("production-by-country-message", "children")]


def test_the_router_reads_its_pathname_at_the_position_the_gate_judges(app):
    dash_app = _dash(app)
    [key] = [k for k in dash_app.callback_map if dash_internals.is_router(k)]
    entry = dash_internals.callback_entry(dash_app, key)
    position = dash_internals.router_pathname_position(entry)
    assert entry["inputs"][position] == {"id": dash_internals.LOCATION, "property": "pathname"}
    # Dash hands the router its inputs by position: the function's first parameter is that pathname.
    assert list(inspect.signature(entry["callback"].__wrapped__).parameters)[position] == "pathname_"


@pytest.mark.parametrize("pathname, module, variables", [
    ("/dashboards/production", "production", None),
    ("/dashboards/country/BRA", "country", {"iso3": "BRA"}),
    ("/", "landing", None),
])
def test_page_at_finds_the_page_the_router_renders(app, pathname, module, variables):
    with app.test_request_context("/"):
        page, found = dash_internals.page_at(_dash(app), pathname)
    assert page["module"].split(".")[-1] == module and found == variables


def test_page_at_finds_nothing_for_an_unknown_path(app):
    with app.test_request_context("/"):
        assert dash_internals.page_at(_dash(app), "/no/such/page") == ({}, None)


def test_path_variables_and_query_parameters_parse_as_the_router_does():
    assert dash_internals.path_variables("/dashboards/country/BRA", "/dashboards/country/<iso3>") == {"iso3": "BRA"}
    assert dash_internals.path_variables("/dashboards/trade", "/dashboards/country/<iso3>") is None
    assert dash_internals.query_parameters("?a=1&b=2&b=3") == {"a": "1", "b": ["2", "3"]}
    assert dash_internals.query_parameters("") == {}


def test_the_polyfill_is_where_the_adapter_drops_it_from(client):
    assert f'"{dash_internals.POLYFILL_PREFIX}' in inspect.getsource(_dash_renderer)
    for dependency in _dash_renderer._js_dist_dependencies:
        assert isinstance(dependency["relative_package_path"], dict)
    page = client.get("/").get_data(as_text=True)
    assert "react@" in page and "polyfill@" not in page


def test_component_libraries_declare_the_scripts_the_page_loads_or_leaves_out(app, client):
    paths = {r.get("relative_package_path"): r for r in dash_internals.scripts(dcc)}
    for chunk in bundles.EAGER_CHUNKS:
        assert paths[chunk]["async"] is False  # made a plain script of the page
    page = client.get("/").get_data(as_text=True)
    for chunk in bundles.EAGER_CHUNKS:
        assert re.search(r'<script src="[^"]*' + re.escape(chunk.replace(".js", "")), page), chunk
    for library, namespace, path, _ in bundles.LAZY:
        resource = next(r for r in dash_internals.scripts(library) if r.get("relative_package_path") == path)
        url = dash_internals.suite_url(_dash(app), library, resource)
        assert resource["dynamic"] is True and f'<script src="{url}"' not in page  # served, not in the page
        assert client.get(url).status_code == 200


def test_suite_urls_are_served_and_map_to_their_files(app, client):
    from dash import dash_table

    dash_app = _dash(app)
    resource = next(r for r in dash_internals.scripts(dash_table) if r.get("relative_package_path") == "dash_table/bundle.js")
    url = dash_internals.suite_url(dash_app, dash_table, resource)
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    package, fingerprinted = url.split("/_dash-component-suites/")[1].split("/", 1)
    path, is_fingerprinted = dash_internals.suite_file(package, fingerprinted)
    assert is_fingerprinted and Path(path).read_bytes() == response.data


def test_every_dash_module_reads_the_page_registry_that_is_kept_per_app(app):
    import sys

    from dash import _layout_utils, _pages

    # Mounting an app put the stand-in where each holder of Dash's registry keeps it.
    assert [getattr(module, name) for module, name in dash_internals.REGISTRY_HOLDERS] == [dash_internals.PAGE_REGISTRY] * 3
    assert _pages.PAGE_REGISTRY is dash_internals.PAGE_REGISTRY and dash.page_registry is dash_internals.PAGE_REGISTRY
    assert _layout_utils.PAGE_REGISTRY is dash_internals.PAGE_REGISTRY
    # Dash's functions look the registry up by its global name, at call time (so the stand-in is what they use).
    for function in (_pages.register_page, _pages._path_to_page, _pages._import_layouts_from_pages):
        assert "PAGE_REGISTRY" in function.__code__.co_names or "PAGE_REGISTRY" in inspect.getsource(function)
    stale = [name for name, module in list(sys.modules.items()) if name.split(".")[0] == "dash"
             for attr in ("PAGE_REGISTRY", "page_registry")
             if isinstance(getattr(module, attr, None), dict)]
    assert not stale, stale


def test_outside_an_app_there_is_no_page_registry_to_fall_back_on(app):
    import registry

    with pytest.raises(RuntimeError, match="per app"):
        list(dash.page_registry)
    with app.app_context():
        assert list(dash.page_registry) == list(registry.of(app).dash_pages) != []


def test_walk_finds_components_in_children_and_in_component_valued_props():
    from dash import html

    inner = html.Span(id="inner")
    labelled = dcc.Checklist(id="boxes", options=[{"label": html.B("bold", id="in-a-prop"), "value": 1}])
    tree = html.Div([html.Div(inner, id="middle"), labelled], id="root")
    found = [getattr(c, "id", None) for c in dash_internals.walk(tree)]
    assert {"middle", "inner", "boxes"} <= set(found) and "root" not in found  # what is inside, not the root

