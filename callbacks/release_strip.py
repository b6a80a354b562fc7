"""The overview's strip for the latest release: its id, how many values it revised, its largest revision."""
import dash_bootstrap_components as dbc
from dash import dcc, html

from data.queries import releases as release_queries
from data.serving.reader import NoData
from data.commodities.site import site
from ui import figures

STRIP = "overview-release-strip"
CHANGES = "/dashboards/changes"


def in_words(revision, commodity):
    """Return a revision in words, in its declared unit: 'Brazil production 2024/25 cut by 3,500 (1000 60-kg bags)'."""
    change = revision["change"]
    metric = revision["metric"]
    unit = commodity.unit().label if commodity.is_volume(metric) else commodity.attribute(metric).display_unit
    amount = f"{abs(change):,.0f} ({unit})" if abs(change) >= 10 else f"{abs(change):,.2f} ({unit})"
    verb = "cut by" if change < 0 else "raised by"
    return (f"{revision['country']} {commodity.labels[metric].lower()} "
            f"{figures.market_year(revision['market_year'])} {verb} {amount}")


def _count(number):
    """Return '1 value' or 'N values'."""
    return f"{number:,} value{'' if number == 1 else 's'}"


def strip(commodity):
    """Return the strip for the commodity's latest release (None without releases to compare)."""
    try:
        releases = release_queries.release_list(commodity.code)
    except NoData:
        return None
    if releases.empty or releases["previous_release_id"].isna().iloc[-1]:
        return None
    latest = releases.iloc[-1]
    largest = release_queries.largest_revision(latest["release_id"], commodity.code)
    parts = [html.Strong(f"USDA release {latest['release_id']}: "),
             f"{_count(int(latest['revised_values']))} revised against {latest['previous_release_id']}"]
    if largest is not None:
        parts.append(f"; largest: {in_words(largest, commodity)}")
    changes = CHANGES if commodity.slug == site()[0].slug else f"{CHANGES}?commodity={commodity.slug}"
    parts += [". ", dcc.Link("See what changed", href=changes, className="alert-link")]
    return dbc.Alert(parts, id=STRIP, color="light", className="py-2 px-3 mb-3 border")
