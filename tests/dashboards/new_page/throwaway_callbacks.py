"""A throwaway page, declared once the way every page is: one filter, one chart and the layout."""
from dash import html

from auth.access import USER
from callbacks import fields
from callbacks.page import Page
from data.queries import metrics as queries
from ui import figures, filters

BUILDS = []  # filter values each build ran with: the response cache must spare repeats
PAGE = Page("throwaway", "/throwaway", USER, fields=[fields.Year("year", "year")])


def top_frame(checked, ctx):
    """Return the three largest producers of the year."""
    BUILDS.append(checked["year"])
    frame = queries.top_countries("production", checked["year"], 3).rename(columns={"value": "production"})
    frame.insert(2, "market_year", checked["year"])
    return frame


def top_render(frame, checked, ctx):
    """Return bars of the three largest producers."""
    return figures.bars(frame, "production", "1000 60-kg bags", f"Top 3, {checked['year']}"), None


TOP_CHART = PAGE.chart("top", ["year"], top_frame, top_render)


def layout(**query):
    """Return the throwaway page; its filter starts from the URL query."""
    return PAGE.fill(html.Div([
        filters.location(PAGE.url),
        PAGE.control("year", "Market year"),
        filters.chart_card(TOP_CHART, "Top producers"),
        filters.source_note(PAGE.source, PAGE.shown(query)),
    ]), query)
