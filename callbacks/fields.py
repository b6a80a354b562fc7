"""Filter fields: each checks a browser value, reads and writes the URL, and fills its component."""
from callbacks.context import release_ids
from data.queries import coverage as coverage_queries
from data.serving import as_of
from ui import figures, filters, state


class Field:
    """One filter component: strict check, URL form, default and init props."""

    prop = "value"
    extras: tuple[str, ...] = ()

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

    def widget(self):
        """Return the component a user sets it with (default: a dropdown its options fill on page load)."""
        return filters.choice(self.component, [])


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

    def widget(self):
        return filters.countries(self.component)


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

    def widget(self):
        return filters.countries(self.component, multi=False)


class Years(Field):
    """Range slider of market years; start and end in the URL."""

    extras = ("min", "max", "marks")

    def __init__(self, name, component, span=25, floor=None):
        super().__init__(name, component)
        self.span, self.floor = span, floor

    def check(self, value, ctx):
        return state.year_range(value, ctx.first, ctx.last)

    def default(self, ctx):
        start = max(ctx.first, ctx.last - self.span + 1, self.floor(ctx) if self.floor else ctx.first)
        return (min(start, ctx.last), ctx.last)

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

    def widget(self):
        return filters.years(self.component)


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

    def widget(self):
        return filters.year(self.component)


class Choice(Field):
    """One of a fixed list of options, set with radio buttons."""

    def __init__(self, name, component, options, default):
        super().__init__(name, component, default)
        self.options = options
        self.allowed = tuple(o["value"] for o in options)

    def check(self, value, ctx):
        return state.choice(value, self.allowed, self.name)

    def widget(self):
        return filters.toggle(self.component, self.options)


class Integer(Field):
    """A whole number within bounds: a slider with marks, or a number input without."""

    def __init__(self, name, component, low, high, default, marks=None):
        super().__init__(name, component, default)
        self.low, self.high, self.marks = low, high, marks

    def check(self, value, ctx):
        return state.integer(value, self.low, self.high, self.name)

    def widget(self):
        if self.marks:
            return filters.slider(self.component, self.low, self.high, self.marks)
        return filters.number(self.component, self.low, self.high)


class Number(Field):
    """A number within bounds."""

    def __init__(self, name, component, low, high, default):
        super().__init__(name, component, default)
        self.low, self.high = low, high

    def check(self, value, ctx):
        return state.number(value, self.low, self.high, self.name)

    def to_url(self, value):
        return {self.name: f"{value:g}"}

    def widget(self):
        return filters.number(self.component, self.low, self.high)


class Release(Field):
    """The release whose numbers a page shows as published (None: the latest); a hidden element's text."""

    prop = "children"

    def check(self, value, ctx):
        if value in (None, ""):
            return None
        if not as_of.is_release_id(value) or value not in release_ids(ctx):
            raise state.BadInput("unknown release")
        return value

    def to_url(self, value):
        return {self.name: value}


class ReleasePick(Field):
    """Dropdown of one loaded release; default the latest, or the one before it (offset 1)."""

    extras = ("options",)

    def __init__(self, name, component, offset=0):
        super().__init__(name, component)
        self.offset = offset

    def check(self, value, ctx):
        return state.choice(value, release_ids(ctx), "release")

    def default(self, ctx):
        ids = release_ids(ctx)
        return ids[max(0, len(ids) - 1 - self.offset)] if ids else None

    def init(self, ctx):
        return [[{"label": r, "value": r} for r in reversed(release_ids(ctx))]]


class SomeCountries(Countries):
    """Multi-select of countries where none chosen means every country."""

    def check(self, value, ctx):
        empty = value is None or value == "" or (isinstance(value, (list, tuple)) and not value)
        return () if empty else super().check(value, ctx)

    def from_url(self, query, ctx):
        return () if not query.get(self.name) else super().from_url(query, ctx)


def comparable_start(ctx):
    """Return the year of the largest coverage change: world totals compare from there on."""
    changes = coverage_queries.coverage_changes(ctx.first, ctx.last, ctx.code)
    return ctx.first if changes.empty else int(changes.groupby("market_year").size().idxmax())
