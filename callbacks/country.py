"""The Country dashboard, declared once: balance over time, balance sheet, ranks, the country next to the world,
the estimate track record and the weather (filters, charts, callbacks, layout)."""
import re

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, html, no_update

from auth.access import SUBSCRIBER
from callbacks import context, declared, fields, frames, track_record, versus_world, weather
from callbacks.context import COMMODITY
from callbacks.page import Page
from data.commodities.site import brand
from data.queries import metrics as queries
from data.serving.reader import NoData
from ui import figures, filters, not_found, state, weather_card

RANKED = {"production": "producers", "exports": "exporters", "imports": "importers"}
RANK_COLOURS = {m: figures.series_colour(m) for m in ("production", "exports", "imports")}


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


BALANCE_CHART = PAGE.chart("balance", ["country", "years", "units", "enso"], balance_frame, balance_render)
WEATHER_CHART = PAGE.chart("weather", ["country", "years"], weather_frame, weather_render)
SHORTFALLS_CHART = PAGE.chart("shortfalls", ["country", "years"], shortfalls_frame, shortfalls_render,
                              view_prop="rowData")
VS_WORLD_CHART = PAGE.chart("vs-world", ["country", "years", "units", "metric"], versus_world.versus_frame,
                            versus_world.versus_render)
RANKS_CHART = PAGE.chart("ranks", ["country", "years", "units"], ranks_frame, ranks_render)
SHEET_CHART = PAGE.chart("sheet", ["country", "years", "units"], sheet_frame, sheet_render, csv="balance-sheet",
           view_prop="rowData")
TRACK_CHART = PAGE.chart("track-record", ["country", "metric", "track_year", "units"], track_record.track_frame,
                         track_record.track_render)


CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]{1,7}$")


def title(iso3=None, **_):
    """Return the browser title, naming the code only when it looks like one."""
    if isinstance(iso3, str) and CODE.match(iso3):
        return f"{not_found.country_name(iso3) or iso3.upper()} · {brand()}"
    return f"Country · {brand()}"


def sheet_columns(commodity):
    """Return the balance sheet's columns: every metric the commodity serves."""
    volume = commodity.is_volume
    return [{"field": "marketing_year", "headerName": "Market year", "minWidth": 110, "sort": "desc"},
            *[filters.number_column(m, commodity.labels[m], 0 if volume(m) else (2 if m == "yield" else 1))
              for m in sheet_metrics(commodity)]]


def layout(iso3=None, **query):
    """Return the country page for the ISO3 code in the path; filters start from the URL query."""
    commodity = PAGE.shown(query)
    if isinstance(iso3, str) and not not_found.known_country(iso3, commodity.code):
        return not_found.layout(f"No country has the code {iso3[:12]!r} in the PSD {commodity.name.lower()} data.")
    if isinstance(iso3, str):
        query["country"] = iso3
    return PAGE.fill(html.Div(
        [
            filters.location(PAGE.url),
            html.H1(id=HEADING, className="h2 mb-1"),
            html.P("One country's balance sheet over time, its rank, and its series next to the world's.",
                   className="text-muted mb-3"),
            filters.filter_bar(
                PAGE.control("country", "Country", width=3),
                PAGE.control("years", "Market years", width=5),
                PAGE.control("metric", "Compare with the world", width=2),
                PAGE.control("units", "Units", width=2),
                PAGE.control("enso", "ENSO on the balance chart", width=12),
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(BALANCE_CHART, "Balance over time"), lg=6),
                    dbc.Col(filters.chart_card(VS_WORLD_CHART, "Next to the world"), lg=6),
                ]
            ),
            filters.chart_card(RANKS_CHART, "Rank among producers, exporters and importers",
                               note="Rank 1 is the largest; only countries with a non-zero figure that year count."),
            filters.chart_card(TRACK_CHART, "Estimate track record",
                               controls=PAGE.control("track_year", "Market year", width=3),
                               note="Every value USDA published for the figure chosen under 'Compare with the "
                                    "world', from the first forecast to the latest release."),
            filters.grid_card(SHEET_CHART, "Balance sheet", sheet_columns(commodity), min_width=120,
                              commodity=commodity),
            weather_card.section(WEATHER_CHART, SHORTFALLS_CHART, commodity),
            filters.source_note(PAGE.source, commodity),
        ]
    ), query)
