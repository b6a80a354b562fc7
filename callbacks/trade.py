"""Trade callbacks: exports and imports, net trade, import dependency, the world pool, the table."""
import pandas as pd
from dash import ClientsideFunction, Input, Output, clientside_callback

from callbacks import common
from data import queries
from ui import choices, figures, filters, ids


def default_countries(ctx):
    """Return the three largest exporters and three largest importers of the latest year."""
    exporters = queries.top_countries("exports", ctx.last, 3)["country_code"].tolist()
    importers = queries.top_countries("imports", ctx.last, 3)["country_code"].tolist()
    return tuple(dict.fromkeys(exporters + importers))


PAGE = common.Page(
    "trade",
    [
        common.Countries("countries", ids.TRADE_COUNTRIES, default_countries),
        common.Years("years", ids.TRADE_RANGE, span=25),
        common.units_field(ids.TRADE_UNITS),
        common.Choice("flow", ids.TRADE_FLOW, choices.TRADE_FLOWS, "total"),
        common.Year("year", ids.TRADE_YEAR),
        common.Integer("top", ids.TRADE_TOP, 3, 12, 6),
    ],
    url=ids.TRADE_URL,
    source=ids.TRADE_SOURCE,
)
FLOW_NAMES = {o["value"]: o["label"] for o in choices.TRADE_FLOWS}


def flows_frame(checked, ctx):
    """Return exports and imports of the chosen form by country, long form."""
    (start, end), exp, imp = checked["years"], *choices.TRADE_COLUMNS[checked["flow"]]
    frame = queries.country_series((exp, imp), checked["countries"], start, end)
    long = frame.melt(id_vars=["country_code", "country", "market_year"], value_vars=[exp, imp],
                      var_name="metric", value_name="value")
    long.insert(3, "flow", long["metric"].map({exp: "exports", imp: "imports"}))
    long = long.sort_values(["country_code", "flow", "market_year"], kind="stable").reset_index(drop=True)
    return common.with_labels(common.convert(long, ["value"], checked["units"]))


def flows_render(frame, checked, ctx):
    """Return solid export and dashed import lines per country."""
    start, end = checked["years"]
    form = FLOW_NAMES[checked["flow"]].lower()
    if not common.has_values(frame, "value"):
        return common.no_data("figure", f"No trade ({form}) for these countries in {figures.span(start, end)}.")
    unit = common.unit_label(checked["units"])
    fig = figures.lines(frame, "value", unit, f"Exports (solid) and imports (dashed), {form}", dash="flow")
    note = common.missing_note(frame, "value", checked["countries"], ctx, start, end, f"trade ({form})")
    return fig, note


def net_frame(checked, ctx):
    """Return net exports (exports minus imports) by country."""
    start, end = checked["years"]
    frame = queries.country_series(("net_exports",), checked["countries"], start, end)
    frame = frame[["country_code", "country", "market_year", "net_exports"]]
    return common.with_labels(common.convert(frame, ["net_exports"], checked["units"]))


def net_render(frame, checked, ctx):
    """Return net trade lines: above zero a net exporter, below a net importer."""
    start, end = checked["years"]
    if not common.has_values(frame, "net_exports"):
        return common.no_data("figure", f"No trade for these countries in {figures.span(start, end)}.")
    unit = common.unit_label(checked["units"])
    fig = figures.lines(frame, "net_exports", unit, "Net exports (exports minus imports)", value_format="+,.0f")
    note = common.missing_note(frame, "net_exports", checked["countries"], ctx, start, end, "trade")
    return fig, note


def dependency_frame(checked, ctx):
    """Return imports over domestic consumption by country."""
    start, end = checked["years"]
    frame = queries.import_dependency(checked["countries"], start, end)
    return common.with_labels(common.convert(frame, ["imports", "domestic_consumption"], checked["units"]))


def dependency_render(frame, checked, ctx):
    """Return import dependency lines."""
    start, end = checked["years"]
    if not common.has_values(frame, "dependency_pct"):
        return common.no_data("figure", f"No imports with domestic consumption for these countries in "
                                        f"{figures.span(start, end)}.")
    fig = figures.lines(frame, "dependency_pct", "% of consumption", "Imports as % of domestic consumption",
                        y_title="% of domestic consumption")
    note = common.missing_note(frame, "dependency_pct", checked["countries"], ctx, start, end, "import dependency")
    return fig, note


def pool_frame(checked, ctx):
    """Return Sankey links: exporters into the world pool, the pool out to importers."""
    year = checked["year"]
    pool = queries.trade_pool(year, checked["top"])
    pool = common.convert(pool, ["value", "world_value"], checked["units"])
    other = {"exports": "Other exporters", "imports": "Other importers"}
    names = [other[s] if c == "OTHER" else n for s, c, n in zip(pool["side"], pool["country_code"], pool["country"])]
    exporting = pool["side"] == "exports"
    pool.insert(0, "source", [n if e else figures.POOL for n, e in zip(names, exporting)])
    pool.insert(1, "target", [figures.POOL if e else n for n, e in zip(names, exporting)])
    pool.insert(2, "market_year", year)
    return common.with_labels(pool.drop(columns=["position"]))


def pool_render(frame, checked, ctx):
    """Return the Sankey of shares of the world pool."""
    year = checked["year"]
    if frame.empty:
        return common.no_data("figure", f"No trade in {figures.market_year(year)}.")
    unit = common.unit_label(checked["units"])
    return figures.sankey(frame, unit, f"Shares of world exports and imports, {figures.market_year(year)}"), None


def table_frame(checked, ctx):
    """Return every trading country's position in the chosen year."""
    frame = queries.trade_year(checked["year"])
    volumes = ["exports", "imports", "net_exports", "domestic_consumption"]
    return common.with_labels(common.convert(frame, volumes, checked["units"]))


def table_render(frame, checked, ctx):
    """Return grid rows with a link to each country's page."""
    if frame.empty:
        return common.no_data("rowData", f"No trade in {figures.market_year(checked['year'])}.")
    rows = frame.astype(object).where(pd.notna(frame), None).to_dict("records")
    for row in rows:
        row["link"] = filters.country_link(row["country_code"], row["country"])
    unit = common.unit_label(checked["units"])
    return rows, common.alert(f"{len(rows)} countries traded in {figures.market_year(checked['year'])}; "
                              f"volumes in {unit}.", "light")


def _name(chart):
    """Return a CSV file namer for a chart."""
    return lambda checked: common.csv_name("trade", chart, checked)


PAGE.chart(ids.TRADE_FLOWS, ["countries", "years", "units", "flow"], flows_frame, flows_render, _name("flows"))
PAGE.chart(ids.TRADE_NET, ["countries", "years", "units"], net_frame, net_render, _name("net"))
PAGE.chart(ids.TRADE_DEPENDENCY, ["countries", "years", "units"], dependency_frame, dependency_render,
           _name("import-dependency"))
PAGE.chart(ids.TRADE_POOL, ["year", "top", "units"], pool_frame, pool_render, _name("world-pool"))
PAGE.chart(ids.TRADE_TABLE, ["year", "units"], table_frame, table_render, _name("table"), view_prop="rowData")
clientside_callback(ClientsideFunction("beanflows", "exportGrid"), Output(ids.TRADE_TABLE.view, "exportDataAsCsv"),
                    Input(ids.TRADE_TABLE_EXPORT, "n_clicks"), prevent_initial_call=True)
