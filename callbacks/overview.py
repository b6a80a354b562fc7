"""The Overview dashboard, declared once: world KPI cards, balance over time, top producers, regions, the world map,
price against stocks-to-use and ENSO (filters, charts, callbacks, layout)."""
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from auth.access import SUBSCRIBER, USER
from callbacks import declared, fields, frames, prices, regional, release_strip, weather
from callbacks.page import Page
from data.queries import metrics as queries
from data.queries import regions as region_queries
from data.reference import regions, reporters
from data.schema import WORLD
from ui import coverage, figures, filters, kpi_cards, maps, state

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


def kpi_render(frame, checked, ctx):
    """Return the KPI cards, or a note when the year has no world data."""
    if frame["value"].isna().all():
        return frames.no_data("children", f"No world data for {figures.market_year(checked['year'])}.")
    cards = dbc.Row([kpi_cards.card(r) for r in frame.to_dict("records")], className="g-2")
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


def enso_frame(checked, ctx):
    """Return world production against its trend beside the ONI of the world's window (enso_window)."""
    # The world's market year sums marketing years that differ by country: its window is the commodity's default.
    return weather.anomaly_frame(WORLD, *checked["years"], ctx.code)


def enso_render(frame, checked, ctx):
    """Return the world production anomaly against the ONI, with the correlation, n and its interval."""
    return weather.scatter_render(frame, "World", WORLD, ctx.code)


KPI_CARDS_CHART = PAGE.chart("kpi", ["year", "units"], kpi_frame, kpi_render, csv="kpis", view="kpis",
                       view_prop="children")
BALANCE_CHART = PAGE.chart("production", ["years", "units", "coverage"], balance_frame, balance_render, csv="world-balance")
TOP_CHART = PAGE.chart("top-producers", ["year", "units"], top_frame, top_render, csv="top-producers")
REGIONS_CHART = PAGE.chart("regions", ["metric", "grouping", "years", "units", "coverage"], regions_frame,
                           regions_render, csv="by-region")
ENSO_CHART = PAGE.chart("enso", ["years"], enso_frame, enso_render, csv="world-enso")
PRICE_CHART = PAGE.chart("price-stocks", [], prices.opening_fit_frame, prices.opening_fit_render, csv="price-stocks", access=SUBSCRIBER,
                         shows=lambda commodity: bool(commodity.prices))
MAP_CHART = PAGE.chart("map", ["metric", "year", "units"], map_frame, map_render, csv="world-map")

def layout(**query):
    """Return the overview page; filters start from the URL query; CSVs for subscribers only."""
    downloads = PAGE.downloads_allowed()
    commodity = PAGE.shown(query)
    return PAGE.fill(html.Div(
        [
            filters.location(PAGE.url),
            filters.header(f"World {commodity.name.lower()} overview", "World supply and demand for the chosen market year and over time."),
            release_strip.strip(commodity),
            filters.filter_bar(
                PAGE.control("year", "Market year", width=2),
                PAGE.control("years", "Years shown in the balance", width=5),
                PAGE.control("units", "Units", width=2),
                PAGE.control("coverage", "World totals over", width=3),
            ),
            filters.cards_card(KPI_CARDS_CHART, "World balance for the market year", downloads),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(BALANCE_CHART, "World supply and demand balance",
                                               downloads=downloads), lg=7),
                    dbc.Col(filters.chart_card(TOP_CHART, "Top producers", downloads=downloads), lg=5),
                ]
            ),
            filters.filter_bar(
                PAGE.control("metric", "Metric on the map and by region", width=4),
                PAGE.control("grouping", "Regions", width=3),
            ),
            dbc.Row(
                [
                    dbc.Col(maps.map_card(
                        MAP_CHART, "World map for the market year", downloads=downloads,
                        note="Countries that did not report are grey. The EU is reported as one entity, not by "
                             "member state, so it is not on the map; its figures are in the region totals "
                             "(Europe)."), lg=7),
                    dbc.Col(filters.chart_card(
                        REGIONS_CHART, "Regional totals", downloads=downloads,
                        note="Regions sum their countries that reported each year: continents (UN M49, the "
                             "Americas in three) or, for coffee, the ICO's groups of exporting countries. A region's "
                             "stocks-to-use counts its exports as use, like a country's."), lg=5),
                ]
            ),
            _price_card(commodity),
            filters.chart_card(ENSO_CHART, "World production against ENSO", downloads=downloads,
                               note=f"World production against its centred 5-year mean, beside the mean ONI over "
                                    f"the 12 months ({weather.enso_window(commodity)}) before each market year "
                                    "(methodology: /methodology#enso). Association over past years, not a forecast."),
            filters.source_note(PAGE.source, commodity),
        ]
    ), query)


def _price_card(commodity):
    """Return price against stocks-to-use for a subscriber (hidden without prices), a line on it for others."""
    link = f"/dashboards/prices?commodity={commodity.slug}"
    if not PAGE.may_view(PRICE_CHART):
        return None if not commodity.prices else dbc.Alert(
            [f"Subscribers see what the World Bank's {commodity.name.lower()} prices say about world stocks-to-use "
             "here, and on the ", html.A("Prices dashboard", href=link), ". ", html.A("See plans", href="/#pricing"),
             "."], color="light", id=PAGE.id("price-teaser"))
    return filters.chart_card(PRICE_CHART, "Price against world stocks-to-use", downloads=True,
                              note=["The fit of the Prices dashboard as it opens; other series, years and the "
                                    "market against USDA: ", html.A("Prices dashboard", href=link), "."])
