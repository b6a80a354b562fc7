"""The country page's country next to the world: percentages as they are, volumes as an index of a shared year."""
from callbacks import frames
from data.queries import metrics as queries
from data.schema import WORLD
from ui import figures


def is_percent(metric):
    """Return True for a ratio shown in % (stocks-to-use), which no unit choice converts."""
    return metric.endswith("_pct")


def index_base(frame):
    """Return the first market year in which both the country and the world have a non-zero value, or None."""
    both = frame[(frame["value"].fillna(0) != 0) & (frame["world_value"].fillna(0) != 0)]
    return int(both["market_year"].iloc[0]) if len(both) else None


def versus_frame(checked, ctx):
    """Return the chosen metric for the country and the world by year, volumes also as an index."""
    start, end = checked["years"]
    metric = checked["metric"]
    frame = queries.market_share(metric, (checked["country"],), start, end, ctx.code).sort_values("market_year")
    frame.insert(3, "metric", metric)
    if is_percent(metric):
        frame["unit"] = "%"
        return frames.with_labels(frame)
    frame = frames.convert(frame, ["value", "world_value"], checked["units"])
    # Two volumes of different size on one axis: each as an index of the first year both report.
    base = index_base(frame)
    if base is not None:
        first = frame[frame["market_year"] == base].iloc[0]
        frame["index"] = 100 * frame["value"] / first["value"]
        frame["world_index"] = 100 * frame["world_value"] / first["world_value"]
    else:
        frame["index"] = frame["world_index"] = float("nan")
    frame["index_base_year"] = base
    return frames.with_labels(frame)


def versus_render(frame, checked, ctx):
    """Return the country and the world on one axis: percentages as they are, volumes as an index."""
    start, end = checked["years"]
    name, metric = ctx.names[checked["country"]], checked["metric"]
    label = ctx.commodity.labels[metric]
    if not frames.has_values(frame, "value"):
        return frames.no_data("figure", f"No {label.lower()} for {name} in {figures.span(start, end)}.")
    percent = is_percent(metric)
    if not percent and frame["index_base_year"].isna().all():
        return frames.no_data("figure", f"No year in which both {name} and the world report {label.lower()}.")
    column, world_column = ("value", "world_value") if percent else ("index", "world_index")
    base = None if percent else int(frame["index_base_year"].iloc[0])
    if percent:
        unit, title, value_format = "%", f"{label}: {name} and the world, %", ",.1f"
    else:
        unit, value_format = f"({figures.market_year(base)} = 100)", ",.0f"
        title = f"{label}: {name} and the world, index {figures.market_year(base)} = 100"
    years = [int(y) for y in frame["market_year"]]
    labels = [figures.market_year(y) for y in years]
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": name, "x": years, "y": figures.clean(frame[column]),
         "customdata": labels, "hovertemplate": figures.hover(unit, value_format),
         "line": {"color": figures.colour(checked["country"]), "width": 2}, "marker": {"size": 4}},
        {"type": "scatter", "mode": "lines", "name": "World", "x": years, "y": figures.clean(frame[world_column]),
         "customdata": labels, "hovertemplate": figures.hover(unit, value_format),
         "line": {"color": figures.colour(WORLD), "width": 2, "dash": "dash"}},
    ]
    layout = figures.base_layout(title, "%" if percent else f"index, {figures.market_year(base)} = 100")
    note = None
    if not percent and frame["share_pct"].notna().any():
        latest = frame.dropna(subset=["share_pct"]).iloc[-1]
        note = frames.alert(f"{name} held {latest['share_pct']:.1f}% of world {label.lower()} in "
                            f"{figures.market_year(latest['market_year'])}.", "light")
    return {"data": data, "layout": layout}, note
