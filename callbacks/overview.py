"""Overview callbacks: world KPI cards, world balance over time, top producers, regions and the world map."""
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from auth.access import SUBSCRIBER, USER
from callbacks import declared, fields, frames, prices, regional, weather
from callbacks.page import Page
from data.queries import metrics as queries
from data.queries import regions as region_queries
from data.reference import enso_rule, regions, reporters
from data.schema import WORLD
from ui import coverage, figures, maps, state

# Shorter card and legend names than the declared labels.
SHORT = {"domestic_consumption": "Consumption", "stocks_to_use_pct": "Stocks-to-use"}
TOP = 10
GROUPING_LABELS = {"continents": "Continents", "ico": "ICO producer groups"}
GROUPS = {"continents": regions.CONTINENTS, "ico": regions.ICO_GROUPS}


def labels(commodity):
    """Return {metric: label} of the commodity, with the overview's short names."""
    return {**commodity.labels, **SHORT}


class Grouping(fields.Field):
    """The regions of the regional chart: the groupings the commodity declares (ICO groups only for coffee)."""

    extras = ("options",)

    def check(self, value, ctx):
        return state.choice(value, ctx.commodity.regions, self.name)

    def default(self, ctx):
        return ctx.commodity.regions[0]

    def init(self, ctx):
        return [[{"label": GROUPING_LABELS[g], "value": g} for g in ctx.commodity.regions]]

PAGE = Page(
    "overview", "/dashboards/overview", USER,
    fields=[
        fields.Year("year", "year"),
        fields.Years("years", "range", span=100),
        declared.units_field("units"),
        fields.Choice("coverage", "coverage", coverage.OPTIONS, "all"),
        declared.Metric("metric", "metric", "country", "production"),
        Grouping("grouping", "grouping"),
    ],
)


def kpi_frame(checked, ctx):
    """Return each world KPI for the year with its value the year before and the change."""
    year, unit, kpis = checked["year"], checked["units"], tuple(ctx.commodity.charts["kpis"])
    world = queries.world_series(kpis, year - 1, year, ctx.code).set_index("market_year")
    names = labels(ctx.commodity)
    rows = []
    for metric in kpis:
        label, scale = frames.metric_unit(metric, unit, ctx.commodity)
        value = world[metric].get(year)
        previous = world[metric].get(year - 1)
        value = None if value is None or pd.isna(value) else value * scale
        previous = None if previous is None or pd.isna(previous) else previous * scale
        change = None if value is None or previous is None else value - previous
        change_pct = None if change is None or not previous or metric.endswith("_pct") else 100 * change / previous
        rows.append({"metric": metric, "label": names[metric], "market_year": year,
                     "marketing_year": figures.market_year(year), "value": value, "previous": previous,
                     "change": change, "change_pct": change_pct, "unit": label})
    return pd.DataFrame(rows)


def _kpi_card(row):
    """Return one KPI card with its change on the year before."""
    pct = row["unit"] == "%"
    text = "n/a" if row["value"] is None or pd.isna(row["value"]) else (
        f"{row['value']:,.1f}%" if pct else f"{row['value']:,.0f}")
    change = row["change"]
    if change is None or pd.isna(change):
        delta = html.Span("no year before", className="text-muted")
    else:
        arrow = "bi-arrow-up-right" if change > 0 else ("bi-arrow-down-right" if change < 0 else "bi-arrow-right")
        detail = f"{change:+,.1f} pts" if pct else f"{change:+,.0f}"
        if not pct and row["change_pct"] is not None and not pd.isna(row["change_pct"]):
            detail += f" ({row['change_pct']:+.1f}%)"
        delta = html.Span([html.I(className=f"bi {arrow} me-1"), detail, " on the year before"],
                          className="text-success" if change > 0 else ("text-danger" if change < 0 else "text-muted"))
    return dbc.Col(
        dbc.Card(dbc.CardBody([
            html.Div(row["label"], className="text-muted small"),
            html.H4(text, className="mb-0 kpi-value"),
            html.Div("% of consumption" if pct else row["unit"], className="small text-muted"),
            html.Div(delta, className="small"),
        ]), className="h-100 kpi"),
        xs=6, md=4, lg=True,
    )


def kpi_render(frame, checked, ctx):
    """Return the KPI cards, or a note when the year has no world data."""
    if frame["value"].isna().all():
        return frames.no_data("children", f"No world data for {figures.market_year(checked['year'])}.")
    cards = dbc.Row([_kpi_card(r) for r in frame.to_dict("records")], className="g-2")
    return cards, None


def balance_frame(checked, ctx):
    """Return world production, consumption, trade and stocks by year, long form."""
    start, end = checked["years"]
    balance = tuple(ctx.commodity.charts["balance"])
    world = queries.world_series(balance, start, end, ctx.code, checked["coverage"] == "constant")
    long = world.melt(id_vars=["market_year"], value_vars=list(balance), var_name="metric", value_name="value")
    long["series"] = long["metric"].map(labels(ctx.commodity))
    long = frames.convert(long, ["value"], checked["units"])
    return frames.with_labels(long[["metric", "series", "market_year", "value", "unit"]].reset_index(drop=True))


def balance_render(frame, checked, ctx):
    """Return the world balance lines, marking each coverage change (none under constant coverage)."""
    return frames.world_coverage(frames.balance_lines(frame, checked, "World balance", "No world data"), checked,
                                ctx.code)


def top_frame(checked, ctx):
    """Return the largest producers of the year."""
    year = checked["year"]
    top = queries.top_countries("production", year, TOP, ctx.code)
    top = top.rename(columns={"value": "production"})
    top.insert(2, "market_year", year)
    top = frames.convert(top, ["production"], checked["units"])
    return frames.with_labels(top)


def top_render(frame, checked, ctx):
    """Return horizontal bars of the top producers."""
    year = checked["year"]
    if not frames.has_values(frame, "production"):
        return frames.no_data("figure", f"No production data for {figures.market_year(year)}.")
    unit = frames.unit_label(checked["units"])
    return figures.bars(frame, "production", unit, f"Top {TOP} producers, {figures.market_year(year)}"), None


def _volume(frame, metric, unit, commodity):
    """Return frame with a metric in the unit it is shown in (volumes in the chosen units)."""
    return frames.convert_metric(frame, [metric], metric, unit, commodity)


def regions_frame(checked, ctx):
    """Return the chosen metric by region (continents or ICO groups) over the years of the balance."""
    metric, (start, end) = checked["metric"], checked["years"]
    frame = region_queries.region_series((metric,), GROUPS[checked["grouping"]], start, end, ctx.code,
                                         checked["coverage"] == "constant")
    frame = frame[["country_code", "country", "market_year", "reporting_countries", metric]]
    return frames.with_labels(_volume(frame, metric, checked["units"], ctx.commodity))


def regions_render(frame, checked, ctx):
    """Return a line per region."""
    metric, span = checked["metric"], figures.span(*checked["years"])
    if not frames.has_values(frame, metric):
        return frames.no_data("figure", f"No regional totals in {span}.")
    unit = frames.metric_unit(metric, checked["units"], ctx.commodity)[0]
    kept = " (constant coverage)" if checked["coverage"] == "constant" else ""
    title = f"{labels(ctx.commodity)[metric]} by {'ICO producer group' if checked['grouping'] == 'ico' else 'region'}, {span}{kept}"
    return figures.lines(frame, metric, unit, title, colours=regional.colour), None


def map_frame(checked, ctx):
    """Return the chosen metric of every reporting country in the market year that the map draws."""
    metric, year = checked["metric"], checked["year"]
    frame = queries.country_series((metric,), tuple(sorted(ctx.codes)), year, year, ctx.code)
    frame = frame[frame[metric].notna()][["country_code", "country", "market_year", metric]]
    shown = frame["country_code"].isin(maps.on_map())
    drawn = frames.with_labels(_volume(frame[shown], metric, checked["units"], ctx.commodity).reset_index(drop=True))
    # The reporting places the map has no shape for, named under it; reporters that are not countries (the EU,
    # the USSR, EU-15...) apart: they are listed beside the map as aggregates.
    off = [(c, n) for c, n in zip(frame["country_code"], frame["country"]) if c not in maps.on_map()]
    drawn.attrs["not_drawn"] = [n for c, n in off if not reporters.is_aggregate(c)]
    drawn.attrs["aggregates"] = [n for c, n in off if reporters.is_aggregate(c)]
    return drawn


def map_render(frame, checked, ctx):
    """Return the world map, naming the reporting places it has no shape for."""
    metric, year = checked["metric"], figures.market_year(checked["year"])
    if not frames.has_values(frame, metric):
        return frames.no_data("figure", f"No {labels(ctx.commodity)[metric].lower()} to map for {year}.")
    pct = metric.endswith("_pct")
    unit = "% of use" if pct else frames.metric_unit(metric, checked["units"], ctx.commodity)[0]
    volume = ctx.commodity.is_volume(metric)
    fig = maps.choropleth(frame, metric, unit, f"{labels(ctx.commodity)[metric]}, {year}", log=volume,
                          value_format=",.0f" if volume else ",.1f")
    left, aggregates = frame.attrs.get("not_drawn"), frame.attrs.get("aggregates")
    notes = [aggregates and frames.alert(f"Reported as one, not by country, so not on the map: "
                                         f"{', '.join(aggregates)}.", "light"),
             left and frames.alert(f"Reporting but too small for this map: {', '.join(left)}.", "light")]
    return fig, frames.message_html(*notes)


def enso_window(commodity):
    """Return the months of the world's ENSO window, e.g. 'October to September' (the commodity's default year)."""
    month = enso_rule.default_month(commodity)
    return f"{enso_rule.MONTHS[month - 1]} to {enso_rule.MONTHS[month - 2]}"


def enso_frame(checked, ctx):
    """Return world production against its trend beside the ONI of the world's window (enso_window)."""
    # The world's market year sums marketing years that differ by country: its window is the commodity's default.
    return weather.anomaly_frame(WORLD, *checked["years"], ctx.code)


def enso_render(frame, checked, ctx):
    """Return the world production anomaly against the ONI, with the correlation, n and its interval."""
    return weather.scatter_render(frame, "World", WORLD, ctx.code)


def price_frame(checked, ctx):
    """Return the Prices dashboard's first chart as it opens: its first series over its default years."""
    return prices.fit_frame(_as_prices_opens(checked, ctx), ctx)


def price_render(frame, checked, ctx):
    """Return price against world stocks-to-use with the fit stated under it, as the Prices dashboard draws it."""
    return prices.fit_render(frame, _as_prices_opens(checked, ctx), ctx)


def _as_prices_opens(checked, ctx):
    """Return the checked filters of the Prices dashboard opened on this commodity."""
    return {**checked, "years": prices.PAGE.fields["years"].default(ctx)}


KPI_CARDS_CHART = PAGE.chart("kpi", ["year", "units"], kpi_frame, kpi_render, csv="kpis", view="kpis",
                       view_prop="children")
BALANCE_CHART = PAGE.chart("production", ["years", "units", "coverage"], balance_frame, balance_render, csv="world-balance")
TOP_CHART = PAGE.chart("top-producers", ["year", "units"], top_frame, top_render, csv="top-producers")
REGIONS_CHART = PAGE.chart("regions", ["metric", "grouping", "years", "units", "coverage"], regions_frame,
                           regions_render, csv="by-region")
ENSO_CHART = PAGE.chart("enso", ["years"], enso_frame, enso_render, csv="world-enso")
PRICE_CHART = PAGE.chart("price-stocks", [], price_frame, price_render, csv="price-stocks", access=SUBSCRIBER,
                         shows=lambda commodity: bool(commodity.prices))
MAP_CHART = PAGE.chart("map", ["metric", "year", "units"], map_frame, map_render, csv="world-map")
