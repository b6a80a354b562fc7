"""Frame and view helpers shared by chart callbacks: units, labels, grid rows, messages."""
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from data.queries import coverage as coverage_queries
from ui import coverage, figures, filters


def alert(text, color="warning"):
    """Return a small alert for a chart's message slot."""
    return dbc.Alert(text, color=color, className="py-1 px-2 mb-2 small")


def empty_view(view_prop, message):
    """Return what a chart view shows when there is nothing to draw."""
    if view_prop == "figure":
        return figures.empty(message)
    if view_prop == "rowData":
        return []
    return alert(message, "secondary")


def no_data(view_prop, text):
    """Return (empty view, info alert) for a chart with nothing in range."""
    return empty_view(view_prop, text), alert(text, "info")


def message_html(*parts):
    """Return the non-empty parts as one message block."""
    parts = [p for p in parts if p]
    return html.Div(parts) if parts else None


def convert(frame, columns, unit):
    """Return frame with volume columns in the chosen units (a UnitChoice), plus a unit column."""
    frame = frame.copy()
    for col in columns:
        frame[col] = frame[col] * unit.factor
    frame["unit"] = unit.label
    return frame


def metric_unit(metric, unit, commodity):
    """Return (label, factor) a metric is shown in: a volume in the chosen units, others as declared."""
    if commodity.is_volume(metric):
        return unit.label, unit.factor
    if commodity.has(metric) and metric in commodity.metrics:
        attribute = commodity.attribute(metric)
        return attribute.display_unit, attribute.display_factor
    return ("%", 1.0) if metric.endswith("_pct") else (unit.label, unit.factor)


def convert_metric(frame, columns, metric, unit, commodity):
    """Return frame with columns of one metric in the unit it is shown in, plus a unit column."""
    label, factor = metric_unit(metric, unit, commodity)
    frame = frame.copy()
    for col in columns:
        frame[col] = frame[col] * factor
    frame["unit"] = label
    return frame


def with_labels(frame):
    """Add the marketing-year label (2023/24) next to market_year."""
    frame = frame.copy()
    frame.insert(frame.columns.get_loc("market_year") + 1, "marketing_year",
                 [figures.market_year(y) for y in frame["market_year"]])
    return frame


def grid_rows(frame, link=False):
    """Return frame as grid rows (missing values as None), with a country link column when asked."""
    rows = frame.astype(object).where(pd.notna(frame), None).to_dict("records")
    if link:
        for row in rows:
            row["link"] = filters.country_link(row["country_code"], row["country"])
    return rows


def missing_note(frame, value, codes, ctx, start, end, what="data"):
    """Return an alert naming chosen countries with no non-zero value in range, or None."""
    present = set(frame.loc[frame[value].fillna(0) != 0, "country_code"])
    absent = [ctx.names.get(c, c) for c in codes if c not in present]
    if not absent:
        return None
    return alert(f"No {what} for {', '.join(absent)} in {figures.span(start, end)}.", "info")


def csv_name(page, chart, checked):
    """Return a download file name from the page, chart and year range."""
    years = checked.get("years") or (checked.get("year"),) * 2
    parts = ["beanflows", page, chart] + [str(y) for y in years if y is not None]
    return "-".join(parts) + ".csv"


def unit_label(unit):
    """Return the axis label of the chosen units (a UnitChoice)."""
    return unit.label


def has_values(frame, value):
    """Return True when frame has any non-zero, non-null value."""
    return bool(len(frame)) and bool((frame[value].fillna(0) != 0).any())


def country_lines(frame, value, checked, ctx, title, empty, what, unit=None, **line_options):
    """Return (lines of value per chosen country, note on countries without any) or the no-data view."""
    start, end = checked["years"]
    if not has_values(frame, value):
        return no_data("figure", f"{empty} in {figures.span(start, end)}.")
    fig = figures.lines(frame, value, unit or unit_label(checked["units"]), title, **line_options)
    return fig, missing_note(frame, value, checked["countries"], ctx, start, end, what)


def balance_lines(frame, checked, title, empty):
    """Return one line per balance item (long frame: metric, series, value), or the no-data view."""
    span = figures.span(*checked["years"])
    if not has_values(frame, "value"):
        return no_data("figure", f"{empty} in {span}.")
    return figures.lines(frame, "value", unit_label(checked["units"]), f"{title}, {span}",
                         key="metric", name="series", colours=figures.series_colour), None


def world_coverage(result, checked, code):
    """Return a world chart's (figure, message) with its coverage changes marked, or named as held constant."""
    fig, message = result
    if not fig.get("data"):
        return result
    start, end = checked["years"]
    if checked.get("coverage") == "constant":
        kept = coverage_queries.coverage(start, end, code).groupby("country_code")["reported"].all().sum()
        fig["layout"]["title"]["text"] += f" (constant coverage: {kept} countries)"
        return fig, message
    return coverage.mark(fig, coverage_queries.coverage_changes(start, end, code)), message
