"""The one adapter to Dash's private internals; tests/ui/test_dash_internals.py pins each touchpoint."""
import os
import sys
from collections.abc import MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar

import dash
from dash import _callback, _dash_renderer, _layout_utils, _pages
from dash import dash as dash_module
from dash.fingerprint import build_fingerprint, check_fingerprint
from flask import has_app_context

import registry

# The Dash these touchpoints are checked against; pyproject.toml pins exactly this version.
VERSION = "4.4.1"
# Dash's page container ids, which its page router fills (dash.dash._ID_*).
LOCATION = dash_module._ID_LOCATION
CONTENT = dash_module._ID_CONTENT
STORE = dash_module._ID_STORE
DUMMY = dash_module._ID_DUMMY
ROUTER_OUTPUTS = frozenset({CONTENT, STORE})
# The before_request hooks Dash registers on its server: its own set-up and its page router's,
# each running once, on the first request, unless set_up() ran them at start.
SETUP_HOOKS = ("dash.dash:Dash._setup_server", "dash.dash:Dash.enable_pages.<locals>.router_sync")
# Where @babel/polyfill sits among dash-renderer's dependencies.
POLYFILL_PREFIX = "deps/polyfill@"
_mounting = ContextVar("beanflows_mounting_pages", default=None)
# Where Dash's modules hold its page registry, each reading it by this global name at call time
# (tests/ui/test_dash_internals.py checks there is no other holder).
REGISTRY_HOLDERS = ((_pages, "PAGE_REGISTRY"), (dash, "page_registry"), (_layout_utils, "PAGE_REGISTRY"))


class AppPages(MutableMapping):
    """Dash's page registry, one per Flask app: the app being mounted, else the app of the request or command.

    Dash keeps one module-level registry for every app in the process; this stands in for it, so each app
    built by create_app routes only the pages its own pages folder holds. Outside an app there is none to read.
    """

    def current(self):
        """Return the registry of the app being mounted, else of the current app."""
        mounting = _mounting.get()
        if mounting is not None:
            return mounting
        if not has_app_context():
            raise RuntimeError("Dash's pages are kept per app: read them in an app context "
                               "(ui.dash_app.pages(app)) or while mounting")
        return registry.current().dash_pages

    def __getitem__(self, module):
        return self.current()[module]

    def __setitem__(self, module, page):
        self.current()[module] = page

    def __delitem__(self, module):
        del self.current()[module]

    def __iter__(self):
        return iter(self.current())

    def __len__(self):
        return len(self.current())

    def move_to_end(self, module, last=True):
        """Move a page to the end of the registry's order, as Dash sorts it."""
        self.current().move_to_end(module, last)


PAGE_REGISTRY = AppPages()


def install_page_registry():
    """Put the per-app registry where Dash's modules hold theirs (once; mount() calls it before building Dash)."""
    for module, name in REGISTRY_HOLDERS:
        if getattr(module, name) is not PAGE_REGISTRY:
            setattr(module, name, PAGE_REGISTRY)


@contextmanager
def pages_of(server):
    """Keep the pages Dash registers in the block (mounting on server) in server's own registry."""
    install_page_registry()
    pages = registry.of(server).dash_pages
    pages.clear()
    token = _mounting.set(pages)
    try:
        yield pages
    finally:
        _mounting.reset(token)


def set_up(dash_app):
    """Run Dash's first-request set-up now (callbacks, page router, scripts), so no request races it."""
    # Dash flags each part done at its start: a second thread of a gthread worker would find no
    # callbacks yet. Done at start in one thread, the hooks are no-ops from the first request on.
    # Dash renders the layout once to validate it: a stand-in, since the real one reads the serving file,
    # which nothing may open before gunicorn forks its workers (one DuckDB instance per process).
    server, layout = dash_app.server, dash_app.layout
    dash_app.layout = dash.page_container
    try:
        with server.test_request_context("/"):
            for hook in server.before_request_funcs.get(None, []):
                if f"{getattr(hook, '__module__', '')}:{getattr(hook, '__qualname__', '')}" in SETUP_HOOKS:
                    hook()
    finally:
        dash_app.layout = layout
    stray = sorted(_callback.GLOBAL_CALLBACK_MAP)
    if stray:  # another app's set-up took them, or none ran: either way they are not judged here
        raise RuntimeError(f"callbacks left outside the Dash app: {', '.join(stray)}")


def callback_entry(dash_app, key):
    """Return Dash's entry (output, inputs, state, callback) for a callback key, or None."""
    return dash_app.callback_map.get(key)


def server_callbacks(dash_app):
    """Return {key: entry} of every callback Dash runs on the server."""
    return {key: entry for key, entry in dash_app.callback_map.items() if entry.get("callback") is not None}


def is_router(key):
    """Return True when a callback key names Dash's page router (its outputs are the page container's)."""
    if not key.startswith(".."):
        return False
    return {part.rsplit(".", 1)[0] for part in key[2:-2].split("...")} == ROUTER_OUTPUTS


def router_pathname_position(entry):
    """Return the position of the router's pathname among its inputs (Dash hands inputs over by position)."""
    return next(i for i, spec in enumerate(entry["inputs"])
                if spec.get("id") == LOCATION and spec.get("property") == "pathname")


def page_at(dash_app, pathname):
    """Return (page registry entry, path variables) the router renders for pathname, ({}, None) for none."""
    return _pages._path_to_page(dash_app.strip_relative_path(pathname) or "")


def path_variables(path, template):
    """Return the variables of a path under a page's path template, or None when it does not match."""
    return _pages._parse_path_variables(path, template)


def query_parameters(search):
    """Return the layout keyword arguments the router makes of a query string ('?a=1')."""
    return _pages._parse_query_string(search)


def drop_polyfill():
    """Leave @babel/polyfill out of the scripts Dash puts in its pages."""
    for dependency in _dash_renderer._js_dist_dependencies:
        paths = dependency["relative_package_path"]
        for mode in paths:
            paths[mode] = [path for path in paths[mode] if not path.startswith(POLYFILL_PREFIX)]


def scripts(library):
    """Return the script resources a component library declares (Dash reads and serves these); read only."""
    return [dict(resource) for resource in library._js_dist]


def _script(library, path):
    """Return the script resource of library at relative path (Dash's own dict, which Dash reads)."""
    return next(r for r in library._js_dist if r.get("relative_package_path") == path)


def load_eagerly(library, paths):
    """Make library's code-split chunks at paths plain scripts of every page, fetched with the page."""
    for path in paths:
        _script(library, path)["async"] = False


def leave_out(dash_app, library, path):
    """Serve library's bundle at path but put no <script> tag for it in pages; return the URL it is served at."""
    resource = _script(library, path)
    resource["dynamic"] = True
    return suite_url(dash_app, library, resource)


def walk(component):
    """Yield every component inside component (in children and component-valued props), depth first."""
    yield from component._traverse()


def suite_url(dash_app, library, resource):
    """Return the fingerprinted URL at which Dash serves a component library's file (a scripts() resource)."""
    namespace, path = resource["namespace"], resource["relative_package_path"]
    modified = int(os.stat(os.path.join(os.path.dirname(sys.modules[namespace].__file__), path)).st_mtime)
    fingerprint = build_fingerprint(path, library.__version__, modified)
    return f"{dash_app.config.requests_pathname_prefix}_dash-component-suites/{namespace}/{fingerprint}"


def suite_file(package_name, fingerprinted_path):
    """Return (file on disk, fingerprinted) of a component-suite URL's parts, or (None, False)."""
    path, fingerprinted = check_fingerprint(fingerprinted_path)
    package = sys.modules.get(package_name)
    if package is None or not getattr(package, "__file__", None):
        return None, False
    return os.path.join(os.path.dirname(package.__file__), path), fingerprinted
