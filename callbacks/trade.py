"""Trade dashboard, declared once: exports and imports, net position, import dependency, the world pool (filters, charts, callbacks, layout)."""

import dash_bootstrap_components as dbc
from dash import html
from ui import filters
from auth.access import SUBSCRIBER
from callbacks import declared, fields, frames, regional
from callbacks.page import Page
from data.queries import metrics as queries
from data.queries import regions as region_queries
from ui import figures, state


def default_countries(ctx):
    """Return the three largest exporters and three largest importers of the latest year."""
    exporters = queries.top_countries("exports", ctx.last, 3, ctx.code)["country_code"].tolist()
    importers = queries.top_countries("imports", ctx.last, 3, ctx.code)["country_code"].tolist()
    return tuple(dict.fromkeys(exporters + importers))


class Flow(fields.Field):
    """The trade the charts show: one of the commodity's declared flows (coffee: forms; grains: MY or TY trade)."""

    extras = ("options",)

    def check(self, value, ctx):
        return state.choice(value, tuple(f.key for f in ctx.commodity.charts.trade), "form")

    def default(self, ctx):
        return ctx.commodity.charts.trade[0].key

    def init(self, ctx):
        return [[{"label": f.label, "value": f.key} for f in ctx.commodity.charts.trade]]


def flow(checked, ctx):
    """Return the declared TradeFlow chosen."""
    return next(f for f in ctx.commodity.charts.trade if f.key == checked["flow"])


PAGE = Page(
    "trade", "/dashboards/trade", SUBSCRIBER,
    fields=[
        regional.Places("countries", "countries", default_countries),
        fields.Years("years", "range", span=25),
        declared.units_field("units"),
        Flow("flow", "flow"),
        fields.Year("year", "year"),
        fields.Integer("top", "top", 3, 12, 6, marks=(3, 6, 9, 12)),
    ],
)


def flows_frame(checked, ctx):
    """Return exports and imports of the chosen form by country, long form."""
    (start, end), chosen = checked["years"], flow(checked, ctx)
    exp, imp = chosen.exports, chosen.imports
    frame = region_queries.series((exp, imp), checked["countries"], start, end, ctx.code)
    long = frame.melt(id_vars=["country_code", "country", "market_year"], value_vars=[exp, imp],
                      var_name="metric", value_name="value")
    long.insert(3, "flow", long["metric"].map({exp: "exports", imp: "imports"}))
    long = long.sort_values(["country_code", "flow", "market_year"], kind="stable").reset_index(drop=True)
    return frames.with_labels(frames.convert(long, ["value"], checked["units"]))


def flows_render(frame, checked, ctx):
    """Return solid export and dashed import lines per country."""
    form = flow(checked, ctx).label.lower()
    return regional.lines(frame, "value", checked, ctx, f"Exports (solid) and imports (dashed), {form}",
                          f"No trade ({form}) for these countries", f"trade ({form})", dash="flow")


def net_frame(checked, ctx):
    """Return net exports (exports minus imports, of the chosen form) by country."""
    (start, end), chosen = checked["years"], flow(checked, ctx)
    exp, imp = chosen.exports, chosen.imports
    frame = region_queries.series((exp, imp), checked["countries"], start, end, ctx.code)
    frame = frame[["country_code", "country", "market_year"]].assign(net_exports=frame[exp] - frame[imp])
    return frames.with_labels(frames.convert(frame, ["net_exports"], checked["units"]))


def net_render(frame, checked, ctx):
    """Return net trade lines: above zero a net exporter, below a net importer."""
    form = flow(checked, ctx).label.lower()
    return regional.lines(frame, "net_exports", checked, ctx, f"Net exports (exports minus imports), {form}",
                          f"No trade ({form}) for these countries", "trade", value_format="+,.0f")


def dependency_frame(checked, ctx):
    """Return imports over domestic consumption (of the chosen form) by country."""
    start, end = checked["years"]
    chosen = flow(checked, ctx)
    frame = region_queries.import_dependency(checked["countries"], start, end, ctx.code, (chosen.imports, chosen.use))
    return frames.with_labels(frames.convert(frame, ["imports", "domestic_consumption"], checked["units"]))


def dependency_render(frame, checked, ctx):
    """Return import dependency lines."""
    form = flow(checked, ctx).label.lower()
    return regional.lines(frame, "dependency_pct", checked, ctx, f"Imports as % of domestic consumption, {form}",
                          "No imports with domestic consumption for these countries", "import dependency",
                          unit="% of consumption", y_title="% of domestic consumption")


def pool_frame(checked, ctx):
    """Return Sankey links: exporters into the world pool, the pool out to importers."""
    year = checked["year"]
    chosen = flow(checked, ctx)
    pool = queries.trade_pool(year, checked["top"], ctx.code, (chosen.exports, chosen.imports))
    pool = frames.convert(pool, ["value", "world_value"], checked["units"])
    other = {"exports": "Other exporters", "imports": "Other importers"}
    names = [other[s] if c == "OTHER" else n for s, c, n in zip(pool["side"], pool["country_code"], pool["country"])]
    exporting = pool["side"] == "exports"
    pool.insert(0, "source", [n if e else figures.POOL for n, e in zip(names, exporting)])
    pool.insert(1, "target", [figures.POOL if e else n for n, e in zip(names, exporting)])
    pool.insert(2, "market_year", year)
    return frames.with_labels(pool.drop(columns=["position"]))


def pool_render(frame, checked, ctx):
    """Return the Sankey of shares of the world pool."""
    year = checked["year"]
    if frame.empty:
        return frames.no_data("figure", f"No trade in {figures.market_year(year)}.")
    unit = frames.unit_label(checked["units"])
    form = flow(checked, ctx).label.lower()
    title = f"Shares of world exports and imports, {form}, {figures.market_year(year)}"
    return figures.sankey(frame, unit, title), None


def table_frame(checked, ctx):
    """Return every trading country's position in the chosen year."""
    frame = queries.trade_year(checked["year"], ctx.code)
    volumes = ["exports", "imports", "net_exports", "domestic_consumption"]
    return frames.with_labels(frames.convert(frame, volumes, checked["units"]))


def table_render(frame, checked, ctx):
    """Return grid rows with a link to each country's page."""
    if frame.empty:
        return frames.no_data("rowData", f"No trade in {figures.market_year(checked['year'])}.")
    rows = frames.grid_rows(frame, link=True)
    unit = frames.unit_label(checked["units"])
    return rows, frames.alert(f"{len(rows)} countries traded in {figures.market_year(checked['year'])}; "
                              f"volumes in {unit}, {ctx.commodity.charts.trade[0].label.lower()} "
                              f"(the Form filter does not apply to this table).",
                              "light")



FLOWS_CHART = PAGE.chart("flows", ["countries", "years", "units", "flow"], flows_frame, flows_render)
NET_CHART = PAGE.chart("net", ["countries", "years", "units", "flow"], net_frame, net_render)
DEPENDENCY_CHART = PAGE.chart("dependency", ["countries", "years", "units", "flow"], dependency_frame,
                              dependency_render, csv="import-dependency")
POOL_CHART = PAGE.chart("pool", ["year", "top", "units", "flow"], pool_frame, pool_render, csv="world-pool")
TABLE_CHART = PAGE.chart("table", ["year", "units"], table_frame, table_render, view_prop="rowData")

TABLE_COLUMNS = [
    {"field": "link", "headerName": "Country", "cellRenderer": "markdown", "minWidth": 160},
    filters.number_column("exports", "Exports", 0),
    filters.number_column("imports", "Imports", 0),
    filters.number_column("net_exports", "Net exports", 0),
    filters.number_column("domestic_consumption", "Consumption", 0),
    filters.number_column("dependency_pct", "Import dependency %", 1),
]


def layout(**query):
    """Return the trade page; filters start from the URL query."""
    commodity = PAGE.shown(query)
    return PAGE.fill(html.Div(
        [
            filters.location(PAGE.url),
            filters.header("Trade", "Exports, imports and who depends on the world market."),
            filters.filter_bar(
                PAGE.control("countries", "Countries and regions", width=4),
                PAGE.control("years", "Market years", width=4),
                PAGE.control("flow", "Form", width=2),
                PAGE.control("units", "Units", width=2),
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(FLOWS_CHART, "Exports and imports by country",
                                               note="A region's exports and imports are the sums of its "
                                                    "countries', trade between them included."), lg=7),
                    dbc.Col(filters.chart_card(NET_CHART, "Net trade position"), lg=5),
                ]
            ),
            filters.chart_card(DEPENDENCY_CHART, "Import dependency",
                               note="Imports as a percentage of domestic consumption; above 100% a country "
                                    "imports more than it uses (re-exports, stock building)."),
            filters.filter_bar(
                PAGE.control("year", "Market year for the pool and table", width=3),
                PAGE.control("top", "Largest exporters and importers shown", width=5),
            ),
            filters.chart_card(
                POOL_CHART, "Exporters into the world pool, importers out of it",
                note="PSD has no bilateral flows: links show each country's share of world exports or world "
                     "imports, not shipping routes. World exports and imports differ (timing, re-exports).",
            ),
            filters.grid_card(TABLE_CHART, "Trade position by country", TABLE_COLUMNS, commodity=commodity),
            filters.source_note(PAGE.source, commodity),
        ]
    ), query)
