"""The page declaration: path, access, id prefix, filters, charts and callbacks, registered on an app."""
import logging

from dash import ClientsideFunction, Input, Output, State, callback_context, html, no_update
from flask_login import current_user

from auth import usage
from auth.access import RANK, allows, declare_callback, download_level
from auth.nav import brand
from callbacks import exports, first_draw, frames
from callbacks.chart_spec import ChartSpec, NothingToShow
from callbacks.context import COMMODITY, RELEASE, context, reading, served
from callbacks.declared import Commodity
from callbacks.fields import Release
from callbacks.release_banner import BANNER, banner, commodity_notice
from data.serving.as_of import release_scope
from data.serving.reader import NoData
from ui import dash_internals, filters, provenance, response_cache, state
from ui.ids import Chart
from ui.state import BadInput

log = logging.getLogger(__name__)

PAGES: dict[str, "Page"] = {}
CHARTS: list["ChartSpec"] = []


class Page:
    """A page declared once: path, access, ids, filters (kept in the URL), charts and callbacks."""

    def __init__(self, name, path, access, fields=(), path_of=None, decorate=None, csv_chart=None, as_published=True):
        if access not in RANK:
            raise ValueError(f"page {name}: unknown access level {access!r}")
        self.name, self.route, self.access = name, path, access
        if fields and as_published:
            # Every dashboard shows a release's numbers as published when its URL says release=.
            fields = [*fields, Release(RELEASE, RELEASE)]
        if fields:
            # Every dashboard shows one commodity: the URL's commodity=, else the site's first.
            fields = [*fields, Commodity(COMMODITY, COMMODITY)]
        for f in fields:
            f.component = self.id(f.component)
        self.fields = {f.name: f for f in fields}
        self.url, self.source = self.id("url"), self.id("source")
        self.path, self.decorate, self.csv_chart = path_of, decorate, csv_chart
        self._callbacks = []  # (access, args, kwargs, function or ClientsideFunction)
        self.charts = []
        PAGES[name] = self
        if fields:
            self._url_sync()

    def downloads_allowed(self):
        """Return True when the current user may download this page's charts (at least a subscription)."""
        return allows(current_user, download_level(self.access))

    def control(self, name, label, width=None, **col):
        """Return the field name's widget under its label, for a filter bar or a chart card."""
        return filters.labelled(label, self.fields[name].widget(), width=width, **col)

    def may_view(self, chart):
        """Return True when the current user has the access chart (ids from chart()) was declared with."""
        return allows(current_user, next(spec.access for spec in self.charts if spec.ids is chart))

    def id(self, suffix):
        """Return the component id of suffix on this page."""
        return f"{self.name}-{suffix}"

    def component(self, field):
        """Return the component id of the named filter field."""
        return self.fields[field].component

    def page_args(self, **extra):
        """Return dash.register_page arguments: the declared path and access, a title with the brand, plus extra."""
        name = extra.get("name", self.name)
        return {"path": self.route, "access": self.access, "declaration": self,
                "title": lambda **_: f"{name} · {brand()}", **extra}

    def callback(self, *args, access=None, **kwargs):
        """Declare a server callback (its level defaults to the page's); registered by register()."""
        def declare(function):
            self._callbacks.append((access or self.access, args, kwargs, function))
            return function
        return declare

    def clientside(self, function_name, *args, **kwargs):
        """Declare a callback run in the browser by assets' beanflows.<function_name>."""
        self._callbacks.append((None, args, kwargs, ClientsideFunction("beanflows", function_name)))

    def register(self, app):
        """Register every declared callback on the Dash app, declaring each one's access level to the policy."""
        # Per Flask app: the level each server callback needs (the policy's, auth/access.py), and how the
        # response cache keys each chart's answers (by its validated inputs).
        for access, args, kwargs, function in self._callbacks:
            if isinstance(function, ClientsideFunction):
                app.clientside_callback(function, *args, **kwargs)
                continue
            before = set(app.callback_map)
            app.callback(*args, **kwargs)(function)
            for key in set(app.callback_map) - before:
                declare_callback(app.server, key, access)
        for spec in self.charts:
            response_cache.declare(app.server, spec.output_key(), spec.key)
            usage.declare_chart(app.server, spec.ids.view, spec.ids.base)

    def parse(self, names, values, ctx):
        """Return {name: checked value} for the named fields, or raise BadInput."""
        return {n: self.fields[n].check(v, ctx) for n, v in zip(names, values)}

    def resolve(self, query, ctx):
        """Return {name: value} for every field from an untrusted URL query."""
        query = query if isinstance(query, dict) else {}
        return {n: f.from_url(query, ctx) for n, f in self.fields.items()}

    def search(self, checked):
        """Return the URL query string of checked values."""
        params = {}
        for name, value in checked.items():
            params.update(self.fields[name].to_url(value))
        return state.search(params)

    def shown(self, query):
        """Return the Commodity a URL query shows (the site's first when it names none or an unknown one)."""
        query = query if isinstance(query, dict) else {}
        return served(Commodity(COMMODITY, COMMODITY).from_url(query, None))

    def reading(self, names, values):
        """Return the context manager yielding (ctx, checked) of a callback's values (callbacks/context.py)."""
        return reading(self.fields, names, values)

    def initial_props(self, query):
        """Return {component id: {prop: value}} of the filters as the URL query sets them."""
        query = query if isinstance(query, dict) else {}
        try:
            commodity = self.fields[COMMODITY].from_url(query, None) if COMMODITY in self.fields else None
            release = self.fields[RELEASE].from_url(query, commodity) if RELEASE in self.fields else None
            with release_scope(release):
                return self._initial_props(query, commodity, release)
        except NoData:
            return {self.source: {"children": frames.alert("No data loaded yet.", "danger")}}

    def _initial_props(self, query, commodity, release):
        """Return initial_props for the commodity and release the URL asked for (None: latest)."""
        ctx = context(commodity)
        values = self.resolve(query, ctx)
        props = {}
        for f in self.fields.values():
            props[f.component] = {f.prop: f.to_component(values[f.name]), **dict(zip(f.extras, f.init(ctx)))}
        props[self.source] = {"children": provenance.source_line(ctx.code)}
        # The URL as the page reads it; a client-side step writes it over a bad or partial one.
        props[filters.canonical_id(self.url)] = {"data": {"search": self.search(values),
                                                          "pathname": self.path(values) if self.path else None}}
        for component, extra in (self.decorate(values, ctx) if self.decorate else {}).items():
            props.setdefault(component, {}).update(extra)
        if RELEASE in self.fields:
            latest = self.search({k: v for k, v in values.items() if k != RELEASE})
            latest = (self.path(values) if self.path else self.route) + latest
            notices = [commodity_notice(query.get(COMMODITY), ctx.commodity),
                       banner(release, query.get(RELEASE), latest, ctx.code)]
            props[self.id(BANNER)] = {"children": [n for n in notices if n] or None}
        # A chart whose series the commodity does not declare is left out, not drawn empty.
        for spec in self.charts:
            if spec.shows and not spec.shows(ctx.commodity):
                props[spec.ids.card] = {"style": {"display": "none"}}
        return props

    def fill(self, layout, query):
        """Return layout with its filters set from the URL query, so the charts draw on first load."""
        if RELEASE in self.fields:
            # The release rides in a hidden element: a dcc.Store would write its memory back on mount.
            layout.children = [html.Div(id=self.id(BANNER)), html.Div(id=self.component(RELEASE), hidden=True),
                               *(layout.children or [])]
        if COMMODITY in self.fields:
            layout.children = [html.Div(id=self.component(COMMODITY), hidden=True), *(layout.children or [])]
        usage.record(usage.DASHBOARD_OPENED, self.route)
        props = self.initial_props(query)
        # The charts too: with the figures in the layout a dashboard draws with no callback round trip.
        props.update(first_draw.drawn_props(self.charts, props))
        for component in dash_internals.walk(layout):
            component_id = getattr(component, "id", None)
            if isinstance(component_id, str):
                for name, value in props.get(component_id, {}).items():
                    setattr(component, name, value)
        return layout

    def _url_sync(self):
        """Declare the callbacks that keep the URL in step with the filters."""
        fields = list(self.fields.values())
        names = list(self.fields)
        url_outputs = [Output(self.url, "search")] + ([Output(self.url, "pathname")] if self.path else [])

        # The page's location learns the rewritten URL, so it never pushes the old one back.
        self.clientside("canonicalUrl",
                        [Output(self.url, p, allow_duplicate=True) for p in ("href", "pathname", "search")],
                        Input(filters.canonical_id(self.url), "data"), prevent_initial_call="initial_duplicate")

        @self.callback(url_outputs, [Input(f.component, f.prop) for f in fields], prevent_initial_call=True)
        def sync(*values):
            """Write the checked filter state into the URL."""
            try:
                with self.reading(names, values) as (_, checked):
                    pass
            except (BadInput, NoData):
                return [no_update] * len(url_outputs)
            changed = {prop_id.rsplit(".", 1)[0] for prop_id in callback_context.triggered_prop_ids}
            for name in (name for name, f in self.fields.items() if f.component in changed):
                usage.record(usage.FILTER_CHANGED, f"{self.name}.{name}")
            result = [self.search(checked)]
            if self.path:
                result.append(self.path(checked))
            return result

    def chart(self, suffix, uses, build, render, view_prop="figure", csv=None, view=None, access=None, shows=None):
        """Declare a chart (view and CSV download callbacks) and return its component ids.

        build(checked, ctx) returns the frame; render(frame, checked, ctx) returns (view, message);
        shows(commodity) says whether the commodity declares what the chart draws (default: always).
        The view needs access (default: the page's); the download at least a subscription (download_level).
        """
        kind = "grid" if view_prop == "rowData" else "graph"
        uses = [*uses, RELEASE] if RELEASE in self.fields and RELEASE not in uses else list(uses)
        uses = [*uses, COMMODITY] if COMMODITY in self.fields and COMMODITY not in uses else uses
        ids = Chart(self.id(suffix), kind=kind, view=self.id(view) if view else None)
        inputs = [(self.fields[n].component, self.fields[n].prop) for n in uses]
        access = access or self.access
        downloads = download_level(access)
        csv = csv or suffix

        def key(values):
            """Return the chart and its validated inputs, or None when they do not validate."""
            try:
                with self.reading(uses, values) as (_, checked):
                    pass
            except (BadInput, NoData):
                return None
            return ids.base, tuple(sorted(checked.items()))

        def draw(values):
            """Check the filters, query, and draw: (view, message, drawn), drawn False for an error view."""
            try:
                with self.reading(uses, values) as (ctx, checked):
                    if shows and not shows(ctx.commodity):
                        raise NothingToShow(f"{ctx.commodity.name} has no data for this chart")
                    return (*render(build(checked, ctx), checked, ctx), True)
            except NothingToShow as exc:  # the data holds nothing for valid filters: an answer like any other
                return (*frames.no_data(view_prop, str(exc)), True)
            except BadInput as exc:
                return frames.empty_view(view_prop, "Check the filters."), frames.alert(f"Check the filters: {exc}."), False
            except NoData:
                message = "No data loaded yet."
                return frames.empty_view(view_prop, message), frames.alert(message, "danger"), False
            except Exception:  # a handled answer beats a 500; the log keeps the trace
                log.exception("chart %s failed", ids.base)
                failed = frames.alert("This chart failed to load.", "danger")
                return frames.empty_view(view_prop, "Something went wrong."), failed, False

        spec = ChartSpec(self.name, ids, inputs, view_prop, access, draw, key, shows)
        CHARTS.append(spec)
        self.charts.append(spec)

        # fill() draws the chart into the layout of anyone its level lets in, so it runs only on changes; a
        # layout leaves out a chart needing more than its page for those who lack it (may_view).
        @self.callback(Output(ids.view, view_prop), Output(ids.message, "children"), *[Input(*i) for i in inputs],
                       access=access, prevent_initial_call=True)
        def show(*values):
            """Check the filters, query, and draw; a drawn chart's answer may be kept by the response cache."""
            view, message, drawn = draw(values)
            if drawn:
                response_cache.drawn()
            return view, message

        @self.callback(Output(ids.download, "data"), Input(ids.button, "n_clicks"), Input(ids.xlsx, "n_clicks"),
                       *[State(*i) for i in inputs], prevent_initial_call=True, access=downloads)
        def download(n_clicks, xlsx_clicks, *values):
            """Send exactly the chart's data as CSV or .xlsx (a subscriber feature, even on the overview)."""
            kind = "xlsx" if callback_context.triggered_id == ids.xlsx else "csv"
            if not (xlsx_clicks if kind == "xlsx" else n_clicks) or not allows(current_user, downloads):
                return no_update
            try:
                with self.reading(uses, values) as (ctx, checked):
                    if shows and not shows(ctx.commodity):
                        return no_update
                    frame = build(checked, ctx)
            except (BadInput, NoData, NothingToShow):
                return no_update
            except Exception:  # same reasoning as show(): no 500 for a download
                log.exception("download %s failed", ids.base)
                return no_update
            chart = self.csv_chart(csv, checked) if self.csv_chart else csv
            usage.record(usage.DOWNLOAD, f"{ids.base}.{kind}")
            return exports.send(frame, frames.csv_name(self.name, chart, checked), kind, ctx.code)

        if view_prop == "rowData":
            self.clientside("exportGrid", Output(ids.view, "exportDataAsCsv"), Input(ids.export, "n_clicks"),
                            prevent_initial_call=True)
        return ids

