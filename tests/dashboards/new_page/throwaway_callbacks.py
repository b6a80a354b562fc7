"""A throwaway page's callbacks: one filter and one chart, declared the way every page is."""
from auth.access import USER
from callbacks import fields
from callbacks.page import Page
from data.queries import metrics as queries
from ui import figures

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
