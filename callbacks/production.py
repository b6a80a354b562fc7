"""The Production dashboard, declared once: its filters, charts, callbacks and layout."""
import dash_bootstrap_components as dbc
from dash import html

from auth.access import SUBSCRIBER
from callbacks import declared, fields, frames, weather
from callbacks.page import Page
from data.queries import metrics as queries
from data.schema import WORLD
from ui import figures, filters


def split_parts(commodity):
    """Return the metrics production splits into (coffee: arabica, robusta, other), from the declared identity."""
    found = next((i for i in commodity.identities if i.total == "production"), None)
    return tuple(found.parts) if found else ()


def shows_split(commodity):
    """Return True when the commodity declares production by type."""
    return bool(split_parts(commodity))


def default_countries(ctx):
    """Return the five largest producers of the latest market year."""
    return tuple(queries.top_countries("production", ctx.last, 5, ctx.code)["country_code"])


PAGE = Page(
    "production", "/dashboards/production", SUBSCRIBER,
    fields=[
        fields.Countries("countries", "countries", default_countries),
        fields.Years("years", "range", span=25),
        declared.units_field("units"),
        declared.Metric("metric", "metric", "production", "production"),
        fields.Integer("window", "window", 3, 15, 5, marks=(3, 5, 10, 15)),
        weather.ShadeToggle(),
    ],
)


def by_country_frame(checked, ctx):
    """Return the chosen metric by country and market year."""
    metric, (start, end) = checked["metric"], checked["years"]
    frame = queries.country_series((metric,), checked["countries"], start, end, ctx.code)
    frame = frame[["country_code", "country", "market_year", metric]].rename(columns={metric: "value"})
    frame.insert(3, "metric", metric)
    return frames.with_labels(frames.convert_metric(frame, ["value"], metric, checked["units"], ctx.commodity))


def by_country_render(frame, checked, ctx):
    """Return one line per country."""
    start, end = checked["years"]
    label = ctx.commodity.labels[checked["metric"]]
    if not frames.has_values(frame, "value"):
        return frames.no_data("figure", f"No {label.lower()} for these countries in {figures.span(start, end)}.")
    unit = frames.metric_unit(checked["metric"], checked["units"], ctx.commodity)[0]
    note = frames.missing_note(frame, "value", checked["countries"], ctx, start, end, label.lower())
    # Several countries on one chart: shaded by the window of world totals (the commodity's trade year, or
    # October-September).
    return weather.shade((figures.lines(frame, "value", unit, f"{label}, {figures.span(start, end)}"), note),
                         checked, WORLD, ctx.code)


def split_frame(checked, ctx):
    """Return production by its declared types (coffee: arabica, robusta, other) by country in the range's last year."""
    end, parts = checked["years"][1], split_parts(ctx.commodity)
    labels = {m: ctx.commodity.labels[m] for m in parts}
    frame = queries.country_series(parts, checked["countries"], end, end, ctx.code)
    long = frame.melt(id_vars=["country_code", "country", "market_year"], value_vars=list(parts),
                      var_name="type", value_name="value")
    long["type"] = long["type"].map(labels)
    return frames.with_labels(frames.convert(long, ["value"], checked["units"]))


def split_render(frame, checked, ctx):
    """Return stacked bars of production by type per country."""
    end = checked["years"][1]
    if not frames.has_values(frame, "value"):
        return frames.no_data("figure", f"No production for these countries in {figures.market_year(end)}.")
    unit = frames.unit_label(checked["units"])
    labels = {m: ctx.commodity.labels[m] for m in split_parts(ctx.commodity)}
    keyed = frame.assign(series=frame["type"].map({v: k for k, v in labels.items()}))
    fig = figures.stacked_bars(keyed, "country", "series", "value", unit,
                               f"Production by type, {figures.market_year(end)}", labels)
    note = frames.missing_note(frame, "value", checked["countries"], ctx, end, end, "production")
    return fig, note


def yoy_frame(checked, ctx):
    """Return the metric with its change on the market year before, by country."""
    start, end = checked["years"]
    metric = checked["metric"]
    frame = queries.yoy_change(metric, checked["countries"], start, end, ctx.code)
    return frames.with_labels(frames.convert_metric(frame, ["value", "previous", "change"], metric, checked["units"],
                                                    ctx.commodity))


def yoy_render(frame, checked, ctx):
    """Return year-on-year percentage change lines."""
    start, end = checked["years"]
    label = ctx.commodity.labels[checked["metric"]]
    if not frames.has_values(frame, "change_pct"):
        return frames.no_data("figure", f"No year-on-year change in {label.lower()} for these countries "
                                        f"in {figures.span(start, end)}.")
    fig = figures.lines(frame, "change_pct", "%", f"{label}: change on the year before, %",
                        y_title="% change on the year before", value_format="+,.1f")
    note = frames.missing_note(frame, "change_pct", checked["countries"], ctx, start, end, "change")
    return fig, note


def share_frame(checked, ctx):
    """Return each country's metric as a share of the world's."""
    start, end = checked["years"]
    metric = checked["metric"]
    frame = queries.market_share(metric, checked["countries"], start, end, ctx.code)
    return frames.with_labels(frames.convert_metric(frame, ["value", "world_value"], metric, checked["units"],
                                                    ctx.commodity))


def _gainers(frame, ctx):
    """Return a sentence naming who gained and lost share over the range."""
    moves = []
    for code, part in frame.dropna(subset=["share_pct"]).groupby("country_code", sort=False):
        if len(part) > 1:
            first, last = part.iloc[0], part.iloc[-1]
            moves.append((last["share_pct"] - first["share_pct"], ctx.names.get(code, code),
                          first["market_year"], last["market_year"]))
    if not moves:
        return None
    moves.sort(reverse=True)
    text = ", ".join(f"{name} {delta:+.1f} pts ({figures.market_year(a)} to {figures.market_year(b)})"
                     for delta, name, a, b in moves)
    return frames.alert(f"Change in share: {text}.", "light")


def share_render(frame, checked, ctx):
    """Return market share lines with who gained and who lost."""
    start, end = checked["years"]
    label = ctx.commodity.labels[checked["metric"]]
    if not frames.has_values(frame, "share_pct"):
        return frames.no_data("figure", f"No share of world {label.lower()} in {figures.span(start, end)}.")
    fig = figures.lines(frame, "share_pct", "% of world", f"Share of world {label.lower()}, %",
                        y_title="% of world")
    note = frames.missing_note(frame, "share_pct", checked["countries"], ctx, start, end, label.lower())
    return fig, frames.message_html(_gainers(frame, ctx), note)


def volatility_frame(checked, ctx):
    """Return the rolling coefficient of variation of the metric by country."""
    start, end = checked["years"]
    metric = checked["metric"]
    frame = queries.volatility(metric, checked["countries"], start, end, checked["window"], ctx.code)
    frame.insert(3, "window_years", checked["window"])
    return frames.with_labels(frames.convert_metric(frame, ["value", "rolling_mean", "rolling_sd"], metric,
                                                    checked["units"], ctx.commodity))


def volatility_render(frame, checked, ctx):
    """Return rolling coefficient of variation lines."""
    start, end = checked["years"]
    window = checked["window"]
    label = ctx.commodity.labels[checked["metric"]]
    if not frames.has_values(frame, "cv_pct"):
        return frames.no_data("figure", f"Not enough {label.lower()} for a {window}-year window "
                                        f"in {figures.span(start, end)}.")
    fig = figures.lines(frame, "cv_pct", "%", f"{label}: {window}-year rolling coefficient of variation",
                        y_title="coefficient of variation, %")
    note = frames.missing_note(frame, "cv_pct", checked["countries"], ctx, start, end, "volatility")
    return fig, note



BY_COUNTRY_CHART = PAGE.chart("by-country", ["countries", "years", "units", "metric", "enso"], by_country_frame,
           by_country_render)
SPLIT_CHART = PAGE.chart("split", ["countries", "years", "units"], split_frame, split_render, shows=shows_split)
YOY_CHART = PAGE.chart("yoy", ["countries", "years", "units", "metric"], yoy_frame, yoy_render)
SHARE_CHART = PAGE.chart("share", ["countries", "years", "units", "metric"], share_frame, share_render)
VOLATILITY_CHART = PAGE.chart("volatility", ["countries", "years", "units", "metric", "window"], volatility_frame,
           volatility_render)


def layout(**query):
    """Return the production page; filters start from the URL query."""
    commodity = PAGE.shown(query)
    return PAGE.fill(html.Div(
        [
            filters.location(PAGE.url),
            filters.header("Production", "Who grows the most, how much land and yield or which kind, and how steadily."),
            filters.filter_bar(
                PAGE.control("countries", "Countries", width=4),
                PAGE.control("years", "Market years", width=4),
                PAGE.control("metric", "Metric", width=2),
                PAGE.control("units", "Units", width=2),
                PAGE.control("enso", "ENSO on the production chart", width=12),
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(BY_COUNTRY_CHART, "Production by country"), lg=7),
                    dbc.Col(filters.chart_card(SPLIT_CHART, "Production by type"), lg=5),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(YOY_CHART, "Year-on-year change"), lg=6),
                    dbc.Col(filters.chart_card(SHARE_CHART, "Share of world production"), lg=6),
                ]
            ),
            filters.chart_card(
                VOLATILITY_CHART,
                "Production volatility",
                note="Rolling coefficient of variation: sample standard deviation over the mean of the "
                     "last N market years, in percent; blank until N years are available.",
                controls=dbc.Row(PAGE.control("window", "Window (market years)", width=4), className="mb-2"),
            ),
            filters.source_note(PAGE.source, commodity),
        ]
    ), query)
