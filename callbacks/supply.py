"""Supply callbacks: stocks-to-use, ending stocks, consumption trends, drawdown table."""
import pandas as pd
from dash import ClientsideFunction, Input, Output, clientside_callback

from callbacks import common
from data import queries
from data.schema import WORLD
from ui import figures, filters, ids


def default_countries(ctx):
    """Return the five countries holding the largest ending stocks in the latest year."""
    return tuple(queries.top_countries("ending_stocks", ctx.last, 5)["country_code"])


PAGE = common.Page(
    "supply",
    [
        common.Countries("countries", ids.SUPPLY_COUNTRIES, default_countries),
        common.Years("years", ids.SUPPLY_RANGE, span=25),
        common.units_field(ids.SUPPLY_UNITS),
        common.Year("year", ids.SUPPLY_YEAR, offset=1),
        common.Number("threshold", ids.SUPPLY_THRESHOLD, 1, 100, 10.0),
    ],
    url=ids.SUPPLY_URL,
    source=ids.SUPPLY_SOURCE,
)


def _metric_frame(metric, checked, codes):
    """Return one metric by country (and world when listed) and year."""
    start, end = checked["years"]
    frame = queries.series((metric,), codes, start, end)
    return frame[["country_code", "country", "market_year", metric]].reset_index(drop=True)


def stocks_to_use_frame(checked, ctx):
    """Return stocks-to-use for the countries and the world."""
    return common.with_labels(_metric_frame("stocks_to_use_pct", checked, checked["countries"] + (WORLD,)))


def stocks_to_use_render(frame, checked, ctx):
    """Return stocks-to-use lines, the world dashed."""
    start, end = checked["years"]
    if not common.has_values(frame, "stocks_to_use_pct"):
        return common.no_data("figure", f"No stocks-to-use in {figures.span(start, end)}.")
    fig = figures.lines(frame, "stocks_to_use_pct", "%", f"Stocks-to-use, {figures.span(start, end)}",
                        y_title="ending stocks, % of use")
    note = common.missing_note(frame, "stocks_to_use_pct", checked["countries"], ctx, start, end, "stocks-to-use")
    return fig, note


def ending_stocks_frame(checked, ctx):
    """Return ending stocks by country."""
    frame = _metric_frame("ending_stocks", checked, checked["countries"])
    return common.with_labels(common.convert(frame, ["ending_stocks"], checked["units"]))


def ending_stocks_render(frame, checked, ctx):
    """Return ending stock lines."""
    start, end = checked["years"]
    if not common.has_values(frame, "ending_stocks"):
        return common.no_data("figure", f"No ending stocks for these countries in {figures.span(start, end)}.")
    unit = common.unit_label(checked["units"])
    fig = figures.lines(frame, "ending_stocks", unit, f"Ending stocks, {figures.span(start, end)}")
    note = common.missing_note(frame, "ending_stocks", checked["countries"], ctx, start, end, "ending stocks")
    return fig, note


def consumption_frame(checked, ctx):
    """Return domestic consumption by country."""
    frame = _metric_frame("domestic_consumption", checked, checked["countries"])
    return common.with_labels(common.convert(frame, ["domestic_consumption"], checked["units"]))


def consumption_render(frame, checked, ctx):
    """Return domestic consumption lines."""
    start, end = checked["years"]
    if not common.has_values(frame, "domestic_consumption"):
        return common.no_data("figure", f"No domestic consumption for these countries in "
                                        f"{figures.span(start, end)}.")
    unit = common.unit_label(checked["units"])
    fig = figures.lines(frame, "domestic_consumption", unit, f"Domestic consumption, {figures.span(start, end)}")
    note = common.missing_note(frame, "domestic_consumption", checked["countries"], ctx, start, end, "consumption")
    return fig, note


def drawdown_frame(checked, ctx):
    """Return countries whose ending stocks fell by more than the threshold."""
    frame = queries.drawdown(checked["year"], checked["threshold"])
    frame.insert(3, "threshold_pct", checked["threshold"])
    return common.with_labels(common.convert(frame, ["previous_ending_stocks", "ending_stocks"], checked["units"]))


def drawdown_render(frame, checked, ctx):
    """Return drawdown grid rows, largest fall first."""
    year, threshold = figures.market_year(checked["year"]), checked["threshold"]
    if frame.empty:
        return common.no_data("rowData", f"No country's ending stocks fell by more than {threshold:g}% in {year}.")
    rows = frame.astype(object).where(pd.notna(frame), None).to_dict("records")
    for row in rows:
        row["link"] = filters.country_link(row["country_code"], row["country"])
    text = f"{len(rows)} countries drew ending stocks down by more than {threshold:g}% in {year}."
    return rows, common.alert(text, "warning")


def _name(chart):
    """Return a CSV file namer for a chart."""
    return lambda checked: common.csv_name("supply", chart, checked)


PAGE.chart(ids.SUPPLY_STOCKS_TO_USE, ["countries", "years"], stocks_to_use_frame, stocks_to_use_render,
           _name("stocks-to-use"))
PAGE.chart(ids.SUPPLY_ENDING_STOCKS, ["countries", "years", "units"], ending_stocks_frame, ending_stocks_render,
           _name("ending-stocks"))
PAGE.chart(ids.SUPPLY_CONSUMPTION, ["countries", "years", "units"], consumption_frame, consumption_render,
           _name("consumption"))
PAGE.chart(ids.SUPPLY_DRAWDOWN, ["year", "threshold", "units"], drawdown_frame, drawdown_render,
           _name("drawdown"), view_prop="rowData")
clientside_callback(ClientsideFunction("beanflows", "exportGrid"), Output(ids.SUPPLY_DRAWDOWN.view, "exportDataAsCsv"),
                    Input(ids.SUPPLY_DRAWDOWN_EXPORT, "n_clicks"), prevent_initial_call=True)
