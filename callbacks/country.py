"""Country callbacks: balance over time, balance sheet, ranks, the country next to the world."""
import pandas as pd
from dash import Input, Output, State, no_update

from auth.access import SUBSCRIBER
from callbacks import context, declared, fields, frames, weather
from callbacks.page import Page
from callbacks.context import COMMODITY
from data.queries import metrics as queries
from data.schema import WORLD
from data.serving.reader import NoData
from ui import figures, state

RANKED = {"production": "producers", "exports": "exporters", "imports": "importers"}
RANK_COLOURS = {m: figures.series_colour(m) for m in ("production", "exports", "imports")}


def is_percent(metric):
    """Return True for a ratio shown in % (stocks-to-use), which no unit choice converts."""
    return metric.endswith("_pct")


def default_country(ctx):
    """Return the largest producer of the latest market year."""
    return queries.top_countries("production", ctx.last, 1, ctx.code)["country_code"].iloc[0]


HEADING = "country-heading"
PAGE = Page(
    "country", "/dashboards/country", SUBSCRIBER,
    fields=[
        fields.Country("country", "select", default_country),
        fields.Years("years", "range", span=100),
        declared.units_field("units"),
        declared.Metric("metric", "metric", "country", "production"),
        fields.Year("track_year", "track-year"),
        weather.ShadeToggle(),
    ],
    path_of=lambda checked: f"/dashboards/country/{checked['country']}",
    csv_chart=lambda chart, checked: f"{checked['country']}-{chart}",
    decorate=lambda values, ctx: {HEADING: {"children": ctx.names[values["country"]]}},
)


# The tab title follows the country shown (the heading's title attribute carries it).
PAGE.clientside("countryTitle", Output(HEADING, "title"), Input(HEADING, "children"))


@PAGE.callback(Output(HEADING, "children"), Input(PAGE.fields["country"].component, "value"),
              State(PAGE.component(COMMODITY), "children"), prevent_initial_call=True)
def heading(code, commodity):
    """Return the page heading for the chosen country."""
    try:
        ctx = context.context(context.commodity_of(PAGE.fields, [COMMODITY], [commodity]))
        return ctx.names[state.country(code, ctx.codes)]
    except (state.BadInput, NoData):
        return no_update


def balance_frame(checked, ctx):
    """Return the country's production, consumption, trade and stocks, long form."""
    start, end = checked["years"]
    balance = tuple(ctx.commodity.charts["balance"])
    frame = queries.country_series(balance, (checked["country"],), start, end, ctx.code)
    long = frame.melt(id_vars=["country_code", "country", "market_year"], value_vars=list(balance),
                      var_name="metric", value_name="value")
    long.insert(3, "series", long["metric"].map(ctx.commodity.labels))
    return frames.with_labels(frames.convert(long, ["value"], checked["units"]))


def balance_render(frame, checked, ctx):
    """Return one line per balance item, ENSO phases shaded when asked."""
    name = ctx.names[checked["country"]]
    return weather.shade(frames.balance_lines(frame, checked, f"{name}: balance", f"No data for {name}"), checked,
                         checked["country"], ctx.code)


def weather_frame(checked, ctx):
    """Return the country's production anomaly by market year beside its window's ONI and phase."""
    return weather.anomaly_frame(checked["country"], *checked["years"], ctx.code)


def weather_render(frame, checked, ctx):
    """Return the production anomaly against the ONI, with the correlation, n and its interval."""
    return weather.scatter_render(frame, ctx.names[checked["country"]], checked["country"], ctx.code)


def shortfalls_frame(checked, ctx):
    """Return the market years of the country's largest production shortfalls with their ENSO phase."""
    return weather.shortfalls(weather_frame(checked, ctx))


def shortfalls_render(frame, checked, ctx):
    """Return the shortfall rows, largest first."""
    if frame.empty:
        return frames.no_data("rowData", "No production shortfall against the trend in these years.")
    return frames.grid_rows(frame), frames.alert(weather.CAVEAT if weather.loaded() else weather.NOT_LOADED, "light")


def sheet_metrics(commodity):
    """Return the balance sheet's columns: every metric the commodity serves, stored then derived."""
    return commodity.all_metrics


def sheet_frame(checked, ctx):
    """Return the full balance sheet by market year, one column per metric."""
    start, end = checked["years"]
    metrics = sheet_metrics(ctx.commodity)
    frame = queries.country_series(metrics, (checked["country"],), start, end, ctx.code)
    frame = frame[["country_code", "country", "market_year", *metrics]]
    for metric in metrics:
        frame = frames.convert_metric(frame, [metric], metric, checked["units"], ctx.commodity)
    frame["unit"] = checked["units"].label
    return frames.with_labels(frame)


def sheet_render(frame, checked, ctx):
    """Return balance sheet rows, latest first."""
    if frame.empty:
        return frames.no_data("rowData", "No rows for these filters.")
    rows = frames.grid_rows(frame)
    others = sorted({frames.metric_unit(m, checked["units"], ctx.commodity)[0] for m in ctx.commodity.metrics
                     if not ctx.commodity.is_volume(m)} - {"%"})
    extra = "".join(f", {u}" for u in others)
    return rows[::-1], frames.alert(f"Volumes in {frames.unit_label(checked['units'])}{extra}; ratios in %.", "light")


def ranks_frame(checked, ctx):
    """Return the country's rank among producers, exporters and importers by year."""
    start, end = checked["years"]
    frame = queries.ranks(tuple(RANKED), checked["country"], start, end, ctx.code)
    rows = []
    for metric, group in RANKED.items():
        part = frame[["country_code", "country", "market_year", metric, f"{metric}_rank", f"{metric}_count"]]
        part = part.rename(columns={metric: "value", f"{metric}_rank": "rank", f"{metric}_count": "of"})
        part.insert(3, "among", group)
        rows.append(part)
    long = pd.concat(rows, ignore_index=True)
    return frames.with_labels(frames.convert(long, ["value"], checked["units"]))


def ranks_render(frame, checked, ctx):
    """Return rank lines (1 at the top) and a sentence for the last year."""
    start, end = checked["years"]
    name = ctx.names[checked["country"]]
    if frame["rank"].isna().all():
        return frames.no_data("figure", f"{name} did not produce or trade {ctx.commodity.name.lower()} in {figures.span(start, end)}.")
    data = []
    for metric, group in RANKED.items():
        part = frame[frame["among"] == group]
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": f"among {group}",
            "x": [int(y) for y in part["market_year"]], "y": figures.clean(part["rank"]),
            "customdata": [[figures.market_year(y), figures.clean([n])[0]] for y, n in zip(part["market_year"],
                                                                                            part["of"])],
            "hovertemplate": "<b>%{fullData.name}</b><br>%{customdata[0]}: #%{y} of %{customdata[1]}<extra></extra>",
            "line": {"color": RANK_COLOURS[metric], "width": 2}, "marker": {"size": 4},
        })
    layout = figures.base_layout(f"{name}: rank by year", "rank (1 = largest)")
    layout["yaxis"].update({"autorange": "reversed", "tickformat": "d", "rangemode": "tozero"})
    last = frame[frame["market_year"] == frame["market_year"].max()]
    parts = [f"#{int(r['rank'])} of {int(r['of'])} {r['among']}" for r in last.to_dict("records")
             if not pd.isna(r["rank"])]
    note = frames.alert(f"In {figures.market_year(last['market_year'].iloc[0])}: {', '.join(parts)}.", "light") \
        if parts else None
    return {"data": data, "layout": layout}, note


def index_base(frame):
    """Return the first market year in which both the country and the world have a non-zero value, or None."""
    both = frame[(frame["value"].fillna(0) != 0) & (frame["world_value"].fillna(0) != 0)]
    return int(both["market_year"].iloc[0]) if len(both) else None


def versus_frame(checked, ctx):
    """Return the chosen metric for the country and the world by year, volumes also as an index."""
    start, end = checked["years"]
    metric = checked["metric"]
    frame = queries.market_share(metric, (checked["country"],), start, end, ctx.code).sort_values("market_year")
    frame.insert(3, "metric", metric)
    if is_percent(metric):
        frame["unit"] = "%"
        return frames.with_labels(frame)
    frame = frames.convert(frame, ["value", "world_value"], checked["units"])
    # Two volumes of different size on one axis: each as an index of the first year both report.
    base = index_base(frame)
    if base is not None:
        first = frame[frame["market_year"] == base].iloc[0]
        frame["index"] = 100 * frame["value"] / first["value"]
        frame["world_index"] = 100 * frame["world_value"] / first["world_value"]
    else:
        frame["index"] = frame["world_index"] = float("nan")
    frame["index_base_year"] = base
    return frames.with_labels(frame)


def versus_render(frame, checked, ctx):
    """Return the country and the world on one axis: percentages as they are, volumes as an index."""
    start, end = checked["years"]
    name, metric = ctx.names[checked["country"]], checked["metric"]
    label = ctx.commodity.labels[metric]
    if not frames.has_values(frame, "value"):
        return frames.no_data("figure", f"No {label.lower()} for {name} in {figures.span(start, end)}.")
    percent = is_percent(metric)
    if not percent and frame["index_base_year"].isna().all():
        return frames.no_data("figure", f"No year in which both {name} and the world report {label.lower()}.")
    column, world_column = ("value", "world_value") if percent else ("index", "world_index")
    base = None if percent else int(frame["index_base_year"].iloc[0])
    if percent:
        unit, title, value_format = "%", f"{label}: {name} and the world, %", ",.1f"
    else:
        unit, value_format = f"({figures.market_year(base)} = 100)", ",.0f"
        title = f"{label}: {name} and the world, index {figures.market_year(base)} = 100"
    years = [int(y) for y in frame["market_year"]]
    labels = [figures.market_year(y) for y in years]
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": name, "x": years, "y": figures.clean(frame[column]),
         "customdata": labels, "hovertemplate": figures.hover(unit, value_format),
         "line": {"color": figures.colour(checked["country"]), "width": 2}, "marker": {"size": 4}},
        {"type": "scatter", "mode": "lines", "name": "World", "x": years, "y": figures.clean(frame[world_column]),
         "customdata": labels, "hovertemplate": figures.hover(unit, value_format),
         "line": {"color": figures.colour(WORLD), "width": 2, "dash": "dash"}},
    ]
    layout = figures.base_layout(title, "%" if percent else f"index, {figures.market_year(base)} = 100")
    note = None
    if not percent and frame["share_pct"].notna().any():
        latest = frame.dropna(subset=["share_pct"]).iloc[-1]
        note = frames.alert(f"{name} held {latest['share_pct']:.1f}% of world {label.lower()} in "
                            f"{figures.market_year(latest['market_year'])}.", "light")
    return {"data": data, "layout": layout}, note


BALANCE_CHART = PAGE.chart("balance", ["country", "years", "units", "enso"], balance_frame, balance_render)
WEATHER_CHART = PAGE.chart("weather", ["country", "years"], weather_frame, weather_render)
SHORTFALLS_CHART = PAGE.chart("shortfalls", ["country", "years"], shortfalls_frame, shortfalls_render,
                              view_prop="rowData")
VS_WORLD_CHART = PAGE.chart("vs-world", ["country", "years", "units", "metric"], versus_frame, versus_render)
RANKS_CHART = PAGE.chart("ranks", ["country", "years", "units"], ranks_frame, ranks_render)
SHEET_CHART = PAGE.chart("sheet", ["country", "years", "units"], sheet_frame, sheet_render, csv="balance-sheet",
           view_prop="rowData")
