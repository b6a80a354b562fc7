"""Shared callback plumbing: filter fields, URL state, chart and CSV callbacks."""
import logging
from dataclasses import dataclass
from functools import lru_cache

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update
from flask_login import current_user

from auth.access import SUBSCRIBER, allows
from data import queries
from data.serving import NoData
from ui import figures, filters, state
from ui.state import BadInput

log = logging.getLogger(__name__)

PAGES = {}
CHARTS = []


@dataclass(frozen=True)
class Context:
    """What the data holds: country codes and names, first and last market year."""

    codes: frozenset
    names: dict
    first: int
    last: int

    def options(self):
        """Return dropdown options for every country, by name."""
        return [{"label": name, "value": code} for code, name in sorted(self.names.items(), key=lambda i: i[1])]


def context():
    """Return the data context, raising NoData when nothing is loaded."""
    return _context_of(queries.serving().version())


# The context changes only with the serving file, so each version is read once per
# process, whether or not the query cache is on.
@lru_cache(maxsize=4)
def _context_of(version):
    """Return the data context of one serving file version."""
    frame = queries.countries.uncached(queries.serving())
    first, last = queries.year_range.uncached(queries.serving())
    if frame.empty or first is None:
        raise NoData("the serving file holds no coffee data")
    names = dict(zip(frame["country_code"], frame["country"]))
    return Context(frozenset(names), names, int(first), int(last))


class Field:
    """One filter component: strict check, URL form, default and init props."""

    prop = "value"
    extras = ()

    def __init__(self, name, component, default=None):
        self.name, self.component, self._default = name, component, default

    def check(self, value, ctx):
        """Return the checked value or raise BadInput."""
        raise NotImplementedError

    def default(self, ctx):
        """Return the value used when the URL has none or a bad one."""
        return self._default(ctx) if callable(self._default) else self._default

    def from_url(self, query, ctx):
        """Return the value the URL asks for, or the default."""
        return state.lenient(lambda v: self.check(v, ctx), query.get(self.name), self.default(ctx))

    def to_url(self, value):
        """Return the URL parameters of a checked value."""
        return {self.name: value}

    def to_component(self, value):
        """Return the component's value for a checked value."""
        return value

    def init(self, ctx):
        """Return values of the extra props (options, bounds) set on page load."""
        return []


class Countries(Field):
    """Multi-select of countries."""

    extras = ("options",)

    def check(self, value, ctx):
        return state.countries(value, ctx.codes)

    def from_url(self, query, ctx):
        raw = query.get(self.name)
        return state.lenient(lambda v: self.check(state.split_list(v), ctx), raw, self.default(ctx))

    def to_url(self, value):
        return {self.name: list(value)}

    def to_component(self, value):
        return list(value)

    def init(self, ctx):
        return [ctx.options()]


class Country(Field):
    """Single country, carried in the URL path."""

    extras = ("options",)

    def check(self, value, ctx):
        return state.country(value, ctx.codes)

    def from_url(self, query, ctx):
        raw = query.get(self.name)
        raw = raw.strip().upper() if isinstance(raw, str) else raw
        return state.lenient(lambda v: self.check(v, ctx), raw, self.default(ctx))

    def to_url(self, value):
        return {}

    def init(self, ctx):
        return [ctx.options()]


class Years(Field):
    """Range slider of market years; start and end in the URL."""

    extras = ("min", "max", "marks")

    def __init__(self, name, component, span=25):
        super().__init__(name, component)
        self.span = span

    def check(self, value, ctx):
        return state.year_range(value, ctx.first, ctx.last)

    def default(self, ctx):
        return (max(ctx.first, ctx.last - self.span + 1), ctx.last)

    def from_url(self, query, ctx):
        start, end = query.get("start"), query.get("end")
        if start is None and end is None:
            return self.default(ctx)
        dstart, dend = self.default(ctx)
        start = state.lenient(state.year, start, dstart, ctx.first, ctx.last)
        end = state.lenient(state.year, end, dend, ctx.first, ctx.last)
        return (start, end) if start <= end else self.default(ctx)

    def to_url(self, value):
        return {"start": value[0], "end": value[1]}

    def to_component(self, value):
        return list(value)

    def init(self, ctx):
        step = 10
        # Decade marks, none crowding the first and last year.
        marks = {y: {"label": str(y)} for y in range(ctx.first - ctx.first % step + step, ctx.last + 1, step)
                 if y - ctx.first >= 4 and ctx.last - y >= 4}
        marks[ctx.first] = {"label": str(ctx.first)}
        marks[ctx.last] = {"label": str(ctx.last)}
        return [ctx.first, ctx.last, {str(k): v for k, v in sorted(marks.items())}]


class Year(Field):
    """Dropdown of one market year, latest first."""

    extras = ("options",)

    def __init__(self, name, component, offset=0):
        super().__init__(name, component)
        self.offset = offset

    def check(self, value, ctx):
        return state.year(value, ctx.first + self.offset, ctx.last)

    def default(self, ctx):
        return ctx.last

    def init(self, ctx):
        years = range(ctx.last, ctx.first + self.offset - 1, -1)
        return [[{"label": figures.market_year(y), "value": y} for y in years]]


class Choice(Field):
    """One of a fixed list of options."""

    def __init__(self, name, component, options, default):
        super().__init__(name, component, default)
        self.allowed = tuple(o["value"] for o in options)

    def check(self, value, ctx):
        return state.choice(value, self.allowed, self.name)


class Integer(Field):
    """A whole number within bounds."""

    def __init__(self, name, component, low, high, default):
        super().__init__(name, component, default)
        self.low, self.high = low, high

    def check(self, value, ctx):
        return state.integer(value, self.low, self.high, self.name)


class Number(Field):
    """A number within bounds."""

    def __init__(self, name, component, low, high, default):
        super().__init__(name, component, default)
        self.low, self.high = low, high

    def check(self, value, ctx):
        return state.number(value, self.low, self.high, self.name)

    def to_url(self, value):
        return {self.name: f"{value:g}"}


def units_field(component):
    """Return the units toggle field (1000 60-kg bags or 1000 tonnes)."""
    return Choice("units", component, figures.UNIT_OPTIONS, "bags")


@dataclass
class ChartSpec:
    """A registered chart: its page, ids, inputs and view property (for benches and tests)."""

    page: str
    ids: object
    inputs: list
    view_prop: str


def alert(text, color="warning"):
    """Return a small alert for a chart's message slot."""
    return dbc.Alert(text, color=color, className="py-1 px-2 mb-2 small")


def empty_view(view_prop, message):
    """Return what a chart view shows when there is nothing to draw."""
    if view_prop == "figure":
        return figures.empty(message)
    if view_prop == "rowData":
        return []
    return alert(message, "secondary")


class Page:
    """A dashboard page's filters, URL sync and chart callbacks."""

    def __init__(self, name, fields, url, source, path=None, decorate=None):
        self.name = name
        self.fields = {f.name: f for f in fields}
        self.url, self.source, self.path, self.decorate = url, source, path, decorate
        PAGES[name] = self
        self._register()

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

    def initial_props(self, query):
        """Return {component id: {prop: value}} of the filters as the URL query sets them."""
        try:
            ctx = context()
        except NoData:
            return {self.source: {"children": alert("No data loaded yet.", "danger")}}
        values = self.resolve(query, ctx)
        props = {}
        for f in self.fields.values():
            props[f.component] = {f.prop: f.to_component(values[f.name]), **dict(zip(f.extras, f.init(ctx)))}
        props[self.source] = {"children": _source_line()}
        # The URL as the page reads it; a client-side step writes it over a bad or partial one.
        props[filters.canonical_id(self.url)] = {"data": {"search": self.search(values),
                                                          "pathname": self.path(values) if self.path else None}}
        for component, extra in (self.decorate(values, ctx) if self.decorate else {}).items():
            props.setdefault(component, {}).update(extra)
        return props

    def fill(self, layout, query):
        """Return layout with its filters set from the URL query, so the charts draw on first load."""
        props = self.initial_props(query)
        for component in layout._traverse():
            component_id = getattr(component, "id", None)
            if isinstance(component_id, str):
                for name, value in props.get(component_id, {}).items():
                    setattr(component, name, value)
        return layout

    def _register(self):
        """Register the callbacks that keep the URL in step with the filters."""
        fields = list(self.fields.values())
        names = list(self.fields)
        url_outputs = [Output(self.url, "search")] + ([Output(self.url, "pathname")] if self.path else [])

        # The page's location learns the rewritten URL, so it never pushes the old one back.
        clientside_callback(ClientsideFunction("beanflows", "canonicalUrl"),
                            [Output(self.url, p, allow_duplicate=True) for p in ("href", "pathname", "search")],
                            Input(filters.canonical_id(self.url), "data"), prevent_initial_call="initial_duplicate")

        @callback(url_outputs, [Input(f.component, f.prop) for f in fields], prevent_initial_call=True)
        def sync(*values):
            """Write the checked filter state into the URL."""
            try:
                checked = self.parse(names, values, context())
            except (BadInput, NoData):
                return [no_update] * len(url_outputs)
            result = [self.search(checked)]
            if self.path:
                result.append(self.path(checked))
            return result

    def chart(self, chart_ids, uses, build, render, filename, view_prop="figure"):
        """Register a chart's view callback and its CSV download callback."""
        inputs = [(self.fields[n].component, self.fields[n].prop) for n in uses]
        CHARTS.append(ChartSpec(self.name, chart_ids, inputs, view_prop))

        # Not prevent_initial_call: the layout carries the filters, so charts draw as the page appears.
        @callback(Output(chart_ids.view, view_prop), Output(chart_ids.message, "children"),
                  *[Input(*i) for i in inputs])
        def show(*values):
            """Check the filters, query, and draw."""
            try:
                ctx = context()
                checked = self.parse(uses, values, ctx)
                return render(build(checked, ctx), checked, ctx)
            except BadInput as exc:
                return empty_view(view_prop, "Check the filters."), alert(f"Check the filters: {exc}.")
            except NoData:
                return empty_view(view_prop, "No data loaded yet."), alert("No data loaded yet.", "danger")
            except Exception:  # a handled answer beats a 500; the log keeps the trace
                log.exception("chart %s failed", chart_ids.base)
                return empty_view(view_prop, "Something went wrong."), alert("This chart failed to load.", "danger")

        @callback(Output(chart_ids.download, "data"), Input(chart_ids.button, "n_clicks"),
                  *[State(*i) for i in inputs], prevent_initial_call=True)
        def download(n_clicks, *values):
            """Send exactly the chart's data as CSV (a subscriber feature, even on the overview)."""
            if not n_clicks or not allows(current_user, SUBSCRIBER):
                return no_update
            try:
                ctx = context()
                checked = self.parse(uses, values, ctx)
                frame = build(checked, ctx)
            except (BadInput, NoData):
                return no_update
            except Exception:  # same reasoning as show(): no 500 for a download
                log.exception("download %s failed", chart_ids.base)
                return no_update
            return dcc.send_data_frame(frame.to_csv, filename(checked), index=False)

        return show, download


def _source_line():
    """Return the line naming the loaded data and when it was loaded."""
    info = queries.load_info()
    if not info:
        return ""
    kind = {"usda": "USDA PSD Online download", "file": "USDA PSD bulk file", "demo": "generated DEMO data"}
    loaded = info["loaded_at"].strftime("%Y-%m-%d %H:%M UTC") if info.get("loaded_at") else "unknown"
    return f"Loaded {loaded} from {kind.get(info['source_kind'], info['source_kind'])}."


def convert(frame, columns, units):
    """Return frame with volume columns in the chosen units, plus a unit column."""
    label, factor = figures.UNITS[units]
    frame = frame.copy()
    for col in columns:
        frame[col] = frame[col] * factor
    frame["unit"] = label
    return frame


def with_labels(frame):
    """Add the marketing-year label (2023/24) next to market_year."""
    frame = frame.copy()
    frame.insert(frame.columns.get_loc("market_year") + 1, "marketing_year",
                 [figures.market_year(y) for y in frame["market_year"]])
    return frame


def missing_note(frame, value, codes, ctx, start, end, what="data"):
    """Return an alert naming chosen countries with no non-zero value in range, or None."""
    present = set(frame.loc[frame[value].fillna(0) != 0, "country_code"])
    absent = [ctx.names.get(c, c) for c in codes if c not in present]
    if not absent:
        return None
    return alert(f"No {what} for {', '.join(absent)} in {figures.span(start, end)}.", "info")


def csv_name(page, chart, checked):
    """Return a download file name from the page, chart and year range."""
    years = checked.get("years") or (checked.get("year"),) * 2
    parts = ["beanflows", page, chart] + [str(y) for y in years if y is not None]
    return "-".join(parts) + ".csv"


def unit_label(units):
    """Return the axis label of the chosen units."""
    return figures.UNITS[units][0]


def has_values(frame, value):
    """Return True when frame has any non-zero, non-null value."""
    return bool(len(frame)) and bool((frame[value].fillna(0) != 0).any())


def no_data(view_prop, text):
    """Return (empty view, info alert) for a chart with nothing in range."""
    return empty_view(view_prop, text), alert(text, "info")


def message_html(*parts):
    """Return the non-empty parts as one message block."""
    parts = [p for p in parts if p]
    return html.Div(parts) if parts else None
