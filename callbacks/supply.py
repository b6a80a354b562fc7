"""Supply dashboard, declared once: stocks-to-use, ending stocks, consumption, a stock drawdown table (filters, charts, callbacks, layout)."""

import dash_bootstrap_components as dbc
from dash import html
from ui import filters
from auth.access import SUBSCRIBER
from callbacks import declared, fields, frames, regional
from callbacks.page import Page
from data.queries import metrics as queries
from data.queries import regions as region_queries
from data.schema import WORLD
from ui import figures


def default_countries(ctx):
    """Return the five countries holding the largest ending stocks in the latest year."""
    return tuple(queries.top_countries("ending_stocks", ctx.last, 5, ctx.code)["country_code"])


PAGE = Page(
    "supply", "/dashboards/supply", SUBSCRIBER,
    fields=[
        regional.Places("countries", "countries", default_countries),
        fields.Years("years", "range", span=25, floor=fields.comparable_start),
        declared.units_field("units"),
        fields.Year("year", "year", offset=1),
        fields.Number("threshold", "threshold", 1, 100, 10.0),
        declared.Metric("use", "use", "use", "domestic_consumption"),
    ],
)


def _metric_frame(metric, checked, codes, ctx):
    """Return one metric by country or region (and world when listed) and year."""
    start, end = checked["years"]
    frame = region_queries.series((metric,), codes, start, end, ctx.code)
    return frame[["country_code", "country", "market_year", metric]].reset_index(drop=True)


def stocks_to_use_frame(checked, ctx):
    """Return stocks-to-use for the countries, regions and the world."""
    return frames.with_labels(_metric_frame("stocks_to_use_pct", checked, checked["countries"] + (WORLD,), ctx))


def stocks_to_use_render(frame, checked, ctx):
    """Return stocks-to-use lines, the world dashed, with the world's comparable period and coverage changes."""
    comparable = fields.comparable_start(ctx)
    title = (f"Stocks-to-use, {figures.span(*checked['years'])}; world comparable from "
             f"{figures.market_year(comparable)}")
    return frames.world_coverage(regional.lines(
        frame, "stocks_to_use_pct", checked, ctx, title, "No stocks-to-use", "stocks-to-use",
        unit="%", y_title="ending stocks, % of use"), checked, ctx.code)


def ending_stocks_frame(checked, ctx):
    """Return ending stocks by country or region."""
    frame = _metric_frame("ending_stocks", checked, checked["countries"], ctx)
    return frames.with_labels(frames.convert(frame, ["ending_stocks"], checked["units"]))


def ending_stocks_render(frame, checked, ctx):
    """Return ending stock lines."""
    title = f"Ending stocks, {figures.span(*checked['years'])}"
    return regional.lines(frame, "ending_stocks", checked, ctx, title,
                          "No ending stocks for these countries", "ending stocks")


def consumption_frame(checked, ctx):
    """Return the chosen use (domestic consumption or one of its declared parts) by country or region."""
    use = checked["use"]
    frame = _metric_frame(use, checked, checked["countries"], ctx)
    return frames.with_labels(frames.convert(frame, [use], checked["units"]))


def consumption_render(frame, checked, ctx):
    """Return lines of the chosen use."""
    label = ctx.commodity.labels[checked["use"]]
    title = f"{label}, {figures.span(*checked['years'])}"
    return regional.lines(frame, checked["use"], checked, ctx, title,
                          f"No {label.lower()} for these countries", label.lower())


def drawdown_frame(checked, ctx):
    """Return countries whose ending stocks fell by more than the threshold."""
    frame = queries.drawdown(checked["year"], checked["threshold"], ctx.code)
    frame.insert(3, "threshold_pct", checked["threshold"])
    return frames.with_labels(frames.convert(frame, ["previous_ending_stocks", "ending_stocks"], checked["units"]))


def drawdown_render(frame, checked, ctx):
    """Return drawdown grid rows, largest fall first."""
    year, threshold = figures.market_year(checked["year"]), checked["threshold"]
    if frame.empty:
        return frames.no_data("rowData", f"No country's ending stocks fell by more than {threshold:g}% in {year}.")
    rows = frames.grid_rows(frame, link=True)
    text = f"{len(rows)} countries drew ending stocks down by more than {threshold:g}% in {year}."
    return rows, frames.alert(text, "warning")



STOCKS_TO_USE_CHART = PAGE.chart("stocks-to-use", ["countries", "years"], stocks_to_use_frame, stocks_to_use_render)
ENDING_STOCKS_CHART = PAGE.chart("ending-stocks", ["countries", "years", "units"], ending_stocks_frame,
                                 ending_stocks_render)
CONSUMPTION_CHART = PAGE.chart("consumption", ["countries", "years", "units", "use"], consumption_frame,
                               consumption_render)
DRAWDOWN_CHART = PAGE.chart("drawdown", ["year", "threshold", "units"], drawdown_frame, drawdown_render,
                            view_prop="rowData")

DRAWDOWN_COLUMNS = [
    {"field": "link", "headerName": "Country", "cellRenderer": "markdown", "minWidth": 160},
    filters.number_column("previous_ending_stocks", "Ending stocks, year before", 0),
    filters.number_column("ending_stocks", "Ending stocks", 0),
    filters.number_column("change_pct", "Change %", 1),
    filters.number_column("stocks_to_use_pct", "Stocks-to-use %", 1),
]


def layout(**query):
    """Return the supply page; filters start from the URL query."""
    commodity = PAGE.shown(query)
    return PAGE.fill(html.Div(
        [
            filters.location(PAGE.url),
            filters.header("Supply", "Stocks against use, and where stocks are being drawn down."),
            filters.filter_bar(
                PAGE.control("countries", "Countries and regions", width=5),
                PAGE.control("years", "Market years", width=5),
                PAGE.control("units", "Units", width=2),
            ),
            filters.chart_card(
                STOCKS_TO_USE_CHART, "Stocks-to-use",
                note="Ending stocks as a percentage of use: domestic consumption plus exports for a country or a "
                     "region (exports leave the region), domestic consumption for the world (world exports net "
                     "out). A region sums its countries that reported that year.",
            ),
            dbc.Row(
                [
                    dbc.Col(filters.chart_card(ENDING_STOCKS_CHART, "Ending stocks"), lg=6),
                    dbc.Col(filters.chart_card(
                        CONSUMPTION_CHART, "Domestic use",
                        controls=dbc.Row(PAGE.control("use", "Use", width=6),
                                         className="mb-2")), lg=6),
                ]
            ),
            filters.filter_bar(
                PAGE.control("year", "Drawdown market year", width=3),
                PAGE.control("threshold", "Flag a fall in ending stocks of more than (%)", width=4),
            ),
            filters.grid_card(DRAWDOWN_CHART, "Stock drawdowns", DRAWDOWN_COLUMNS,
                              note="Countries whose ending stocks fell by more than the threshold on the year "
                                   "before (all countries, not only those chosen above).", commodity=commodity),
            filters.source_note(PAGE.source, commodity),
        ]
    ), query)
