"""The overview's strip for the latest release: its id, how many values it revised, its largest revision."""
import dash_bootstrap_components as dbc
from dash import dcc, html

from data.queries import releases as release_queries
from data.schema import METRIC_LABELS
from data.serving.reader import NoData
from ui import figures

STRIP = "overview-release-strip"
CHANGES = "/dashboards/changes"


def in_words(revision):
    """Return a revision in words: 'Brazil production 2024/25 cut by 3.5 M bags'."""
    change = revision["change"]
    size = abs(change)
    # Values are thousand 60-kg bags.
    amount = f"{size / 1000:,.1f} M bags" if size >= 1000 else f"{size:,.0f} thousand bags"
    verb = "cut by" if change < 0 else "raised by"
    return (f"{revision['country']} {METRIC_LABELS[revision['metric']].lower()} "
            f"{figures.market_year(revision['market_year'])} {verb} {amount}")


def _count(number):
    """Return '1 value' or 'N values'."""
    return f"{number:,} value{'' if number == 1 else 's'}"


def strip():
    """Return the strip for the latest release (None without releases to compare)."""
    try:
        releases = release_queries.release_list()
    except NoData:
        return None
    if releases.empty or releases["previous_release_id"].isna().iloc[-1]:
        return None
    latest = releases.iloc[-1]
    largest = release_queries.largest_revision(latest["release_id"])
    parts = [html.Strong(f"USDA release {latest['release_id']}: "),
             f"{_count(int(latest['revised_values']))} revised against {latest['previous_release_id']}"]
    if largest is not None:
        parts.append(f"; largest: {in_words(largest)}")
    parts += [". ", dcc.Link("See what changed", href=CHANGES, className="alert-link")]
    return dbc.Alert(parts, id=STRIP, color="light", className="py-2 px-3 mb-3 border")
