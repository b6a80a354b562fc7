"""Filter fields a commodity's declaration fills: the commodity itself, its units and its charts' metrics."""
from callbacks.context import default_commodity, served
from callbacks.fields import Field
from ui import filters, state


class Units(Field):
    """The units toggle: the commodity's declared unit choices (coffee: bags or tonnes); checked as a UnitChoice."""

    extras = ("options",)

    def check(self, value, ctx):
        state.choice(value, tuple(u.key for u in ctx.commodity.units), self.name)
        return ctx.commodity.unit(value)

    def default(self, ctx):
        return ctx.commodity.unit()

    def to_url(self, value):
        return {self.name: value.key}

    def to_component(self, value):
        return value.key

    def init(self, ctx):
        return [[{"label": u.label, "value": u.key} for u in ctx.commodity.units]]

    def widget(self):
        return filters.units(self.component)


def units_field(component):
    """Return the units toggle field of the commodity shown."""
    return Units("units", component)


class Metric(Field):
    """One metric of a chart's declared series (chart None: every metric the commodity stores)."""

    extras = ("options",)

    def __init__(self, name, component, chart, default):
        super().__init__(name, component, default)
        self.chart = chart

    def allowed(self, ctx):
        """Return the metrics the commodity offers here, in declared order."""
        metrics = ctx.commodity.metrics if self.chart is None else ctx.commodity.charts[self.chart]
        return tuple(m for m in metrics if ctx.commodity.has(m))

    def check(self, value, ctx):
        return state.choice(value, self.allowed(ctx), self.name)

    def default(self, ctx):
        allowed = self.allowed(ctx)
        return self._default if self._default in allowed else allowed[0]

    def init(self, ctx):
        labels = ctx.commodity.labels
        return [[{"label": labels[m], "value": m} for m in self.allowed(ctx)]]


class Commodity(Field):
    """The commodity a page shows: a slug of the site's (absent: the site's first); a hidden element's text."""

    prop = "children"

    def check(self, value, ctx):
        if value in (None, ""):
            return default_commodity()
        if not isinstance(value, str):
            raise state.BadInput("unknown commodity")
        return served(value.strip().lower()[:40]).slug

    def default(self, ctx):
        return default_commodity()

    def to_url(self, value):
        # The site's first commodity stays out of the URL: every URL made before commodities meant it.
        return {} if value == default_commodity() else {self.name: value}
