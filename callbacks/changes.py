"""What changed, declared once: the revisions between two USDA releases and Pink Sheet editions (filters, charts, callbacks, layout)."""

from dash import html
from ui import filters
from auth.access import SUBSCRIBER
from callbacks import context, declared, fields, frames
from callbacks.page import NothingToShow, Page
from data.queries import prices as price_queries
from data.queries import releases as release_queries
from data.reference.price_years import ATTRIBUTION
from ui import figures, state

ALL = "all"
TOP_COUNTRIES = 15
KIND_ORDER = {"revised": 0, "new": 1, "dropped": 2}

class Attribute(declared.Metric):
    """One attribute the commodity stores, or all of them."""

    def check(self, value, ctx):
        return ALL if value == ALL else state.choice(value, self.allowed(ctx), self.name)

    def default(self, ctx):
        return ALL

    def init(self, ctx):
        return [[{"label": "All attributes", "value": ALL}, *super().init(ctx)[0]]]


PAGE = Page(
    "changes", "/dashboards/changes", SUBSCRIBER, as_published=False,
    fields=[
        fields.ReleasePick("new", "new"),
        fields.ReleasePick("old", "old", offset=1),
        Attribute("attribute", "attribute", None, ALL),
        fields.SomeCountries("countries", "countries", ()),
        fields.Integer("min_change", "min-change", 0, 10 ** 7, 0),
        declared.Metric("metric", "metric", None, "production"),
    ],
    csv_chart=lambda chart, checked: f"{chart}-{checked['old']}-to-{checked['new']}",
)


def unit_of(metric, commodity):
    """Return the unit a revision of metric is counted in (the commodity's own volume unit, area and yield's)."""
    return frames.metric_unit(metric, commodity.unit(), commodity)[0]


def _pair(checked, ctx):
    """Return (old, new) release ids, or raise BadInput when there is nothing to compare."""
    old, new = checked["old"], checked["new"]
    if old == new:
        raise NothingToShow("Only one release is loaded: there is nothing to compare yet."
                      if len(context.release_ids(ctx)) < 2 else "Pick two different releases to compare.")
    return old, new


def _labelled(frame, ctx):
    """Return revisions with attribute and marketing-year labels, in the grid's column order."""
    frame = frame.copy()
    frame.insert(0, "attribute", frame["metric"].map(ctx.commodity.labels))
    frame = frames.with_labels(frame)
    frame["unit"] = [unit_of(m, ctx.commodity) for m in frame["metric"]]
    return frame


def world_frame(checked, ctx):
    """Return the world totals each market year touched by the revisions: old, new, change and %."""
    old, new = _pair(checked, ctx)
    frame = _labelled(release_queries.world_revisions(old, new, ctx.code), ctx)
    return frame[["market_year", "marketing_year", "metric", "attribute", "old_value", "new_value", "change", "pct",
                  "kind", "unit"]]


def revisions_frame(checked, ctx):
    """Return the country revisions, filtered and ranked by absolute change (new and dropped values last)."""
    old, new = _pair(checked, ctx)
    frame = release_queries.country_revisions(old, new, ctx.code)
    if checked["attribute"] != ALL:
        frame = frame[frame["metric"] == checked["attribute"]]
    if checked["countries"]:
        frame = frame[frame["country_code"].isin(checked["countries"])]
    revised = frame["kind"] == "revised"
    frame = frame[~revised | (frame["change"].abs() >= checked["min_change"])]
    frame = frame.assign(order=frame["kind"].map(KIND_ORDER), size=frame["change"].abs())
    frame = frame.sort_values(["order", "size", "country_code", "market_year", "metric"],
                              ascending=[True, False, True, True, True])
    frame = _labelled(frame.drop(columns=["order", "size"]), ctx)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame[["rank", "country_code", "country", "market_year", "marketing_year", "metric", "attribute",
                  "old_value", "new_value", "change", "pct", "kind", "unit"]].reset_index(drop=True)


def _grid(frame, empty):
    """Return grid rows of a revisions frame, or the no-data view."""
    if frame.empty:
        return frames.no_data("rowData", empty)
    return frames.grid_rows(frame), None


def world_render(frame, checked, ctx):
    """Return the world revisions grid."""
    return _grid(frame, f"{checked['new']} left every world total of {checked['old']} as it was.")


def revisions_render(frame, checked, ctx):
    """Return the ranked grid and a count of what it holds."""
    rows, note = _grid(frame, "No revisions for these filters.")
    if note is None:
        counts = frame["kind"].value_counts()
        note = frames.alert(f"{checked['new']} against {checked['old']}: "
                            + ", ".join(f"{counts.get(k, 0):,} {k}" for k in KIND_ORDER)
                            + f" values; volumes in {ctx.commodity.unit().label}.", "light")
    return rows, note


def by_country_frame(checked, ctx):
    """Return the revised values of one attribute by country and market year (the largest countries)."""
    old, new = _pair(checked, ctx)
    frame = release_queries.country_revisions(old, new, ctx.code)
    frame = frame[(frame["metric"] == checked["metric"]) & (frame["kind"] == "revised")]
    top = frame["change"].abs().groupby(frame["country_code"]).max().nlargest(TOP_COUNTRIES).index
    frame = frame[frame["country_code"].isin(top)]
    return _labelled(frame[["country_code", "country", "market_year", "metric", "old_value", "new_value", "change",
                            "pct"]], ctx).reset_index(drop=True)


def by_country_render(frame, checked, ctx):
    """Return bars of the change per country, one trace per market year."""
    label, unit = ctx.commodity.labels[checked["metric"]], unit_of(checked["metric"], ctx.commodity)
    if frame.empty:
        return frames.no_data("figure", f"{checked['new']} revised no {label.lower()} of {checked['old']}.")
    order = frame["change"].abs().groupby(frame["country"]).max().sort_values().index.tolist()
    data = []
    for year, part in frame.groupby("market_year"):
        data.append({"type": "bar", "orientation": "h", "name": figures.market_year(year),
                     "y": part["country"].tolist(), "x": figures.clean(part["change"]),
                     "customdata": [[o, n, p] for o, n, p in zip(figures.clean(part["old_value"]),
                                                                  figures.clean(part["new_value"]),
                                                                  figures.clean(part["pct"]))],
                     "hovertemplate": "<b>%{y}</b> %{fullData.name}<br>%{customdata[0]:,.0f} to "
                                      "%{customdata[1]:,.0f}: %{x:+,.0f} " + unit + "<extra></extra>"})
    layout = figures.base_layout(f"{label}: revisions by country, {checked['new']} against {checked['old']}", "",
                                 x_title=f"change, {unit}", barmode="group",
                                 margin={"t": 48, "r": 16, "b": 64, "l": 140})
    layout["yaxis"].update({"categoryorder": "array", "categoryarray": order})
    return {"data": data, "layout": layout}, None


def prices_frame(checked, ctx):
    """Return the months of the commodity's price series the newest Pink Sheet edition revised, added or dropped."""
    editions = _editions()
    if len(editions) < 2:
        raise NothingToShow("One World Bank Pink Sheet edition is loaded: there is nothing to compare yet."
                            if editions else "World Bank prices are not loaded.")
    old, new = editions[-2:]
    frame = price_queries.price_revisions(ctx.commodity.slug, old, new)
    frame.insert(0, "edition", new)
    frame.insert(1, "against", old)
    names = {p.slug: p.name for p in ctx.commodity.prices}
    frame.insert(2, "series_name", frame["series"].map(names))
    frame["source"] = ATTRIBUTION
    return frame


def _editions():
    """Return the loaded Pink Sheet editions, oldest first (none when prices are not loaded)."""
    return list(price_queries.price_releases()["release_id"]) if price_queries.prices_loaded() else []


def prices_render(frame, checked, ctx):
    """Return the grid of revised, new and dropped months, and a count of each."""
    new, old = _editions()[-1:-3:-1]
    counts = frame["kind"].value_counts()
    count = ", ".join(f"{counts.get(k, 0):,} {k}" for k in KIND_ORDER)
    names = ", ".join(p.name for p in ctx.commodity.prices)
    note = frames.alert(f"Pink Sheet {new} against {old}: {count} monthly prices of {names}. {ATTRIBUTION}.",
                        "light")
    return (frames.grid_rows(frame) if len(frame) else frames.empty_view("rowData", "")), note


PAIR = ["old", "new"]
WORLD_CHART = PAGE.chart("world", PAIR, world_frame, world_render, view_prop="rowData", csv="world-revisions")
REVISIONS_CHART = PAGE.chart("revisions", [*PAIR, "attribute", "countries", "min_change"], revisions_frame,
                             revisions_render, view_prop="rowData")
BY_COUNTRY_CHART = PAGE.chart("by-country", [*PAIR, "metric"], by_country_frame, by_country_render,
                              csv="revisions-by-country")
PRICES_CHART = PAGE.chart("prices", [], prices_frame, prices_render, view_prop="rowData", csv="price-revisions",
                          shows=lambda commodity: bool(commodity.prices))

KIND = {"field": "kind", "headerName": "Kind", "minWidth": 90}
VALUES = [filters.number_column("old_value", "Old", 1), filters.number_column("new_value", "New", 1),
          filters.number_column("change", "Change", 1), filters.number_column("pct", "Change %", 2, "%"), KIND]
WORLD_COLUMNS = [{"field": "marketing_year", "headerName": "Market year", "minWidth": 110},
                 {"field": "attribute", "headerName": "Attribute", "minWidth": 170}, *VALUES]
REVISION_COLUMNS = [{"field": "rank", "headerName": "#", "maxWidth": 80, "type": "numericColumn"},
                    {"field": "country", "headerName": "Country", "minWidth": 150},
                    {"field": "marketing_year", "headerName": "Market year", "minWidth": 110},
                    {"field": "attribute", "headerName": "Attribute", "minWidth": 170}, *VALUES]

PRICE_COLUMNS = [{"field": "series_name", "headerName": "Series", "minWidth": 110},
                 {"field": "month", "headerName": "Month", "minWidth": 100}, *VALUES,
                 {"field": "unit", "headerName": "Unit", "minWidth": 110}]


def layout(**query):
    """Return the changes page; the releases and filters start from the URL query."""
    commodity = PAGE.shown(query)
    return PAGE.fill(html.Div(
        [
            filters.location(PAGE.url),
            filters.header("What changed", "The values one USDA release revised against another, added or dropped, "
                                           "in the commodity's own units."),
            filters.filter_bar(
                PAGE.control("new", "Release", width=3),
                PAGE.control("old", "Against", width=3),
            ),
            filters.grid_card(WORLD_CHART, "World balance revisions", WORLD_COLUMNS, height=300,
                              note="Each market year the release touched; new values are labelled, not changes "
                                   "from zero.", commodity=commodity),
            filters.filter_bar(
                PAGE.control("attribute", "Attribute", width=3),
                PAGE.control("countries", "Countries (none: all)", width=6),
                PAGE.control("min_change", "Minimum absolute change (its units)", width=3),
            ),
            filters.grid_card(REVISIONS_CHART, "Largest revisions by country", REVISION_COLUMNS, height=460,
                              note="Ranked by absolute change; newly added and dropped values follow, labelled.", commodity=commodity),
            filters.chart_card(BY_COUNTRY_CHART, "Revisions by country",
                               controls=PAGE.control("metric", "Attribute", width=4)),
            filters.grid_card(PRICES_CHART, "World Bank prices: the newest edition against the one before",
                              PRICE_COLUMNS, height=300,
                              note="Each month of the commodity's Pink Sheet series the newest edition publishes "
                                   "differently, or first; in the unit the Prices dashboard shows.", commodity=commodity),
            filters.source_note(PAGE.source, commodity),
        ]
    ), query)
