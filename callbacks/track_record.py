"""The country page's estimate track record: every value USDA published for one figure, release by release."""
from callbacks import frames
from data.queries import releases as release_queries
from ui import figures


def track_frame(checked, ctx):
    """Return the chosen metric for the country and market year as each release published it."""
    metric, year = checked["metric"], checked["track_year"]
    frame = release_queries.track_record(checked["country"], metric, year, ctx.code)
    frame.insert(0, "country_code", checked["country"])
    frame.insert(1, "market_year", year)
    frame.insert(2, "metric", metric)
    return frames.with_labels(frames.convert_metric(frame, ["value"], metric, checked["units"], ctx.commodity))


def track_render(frame, checked, ctx):
    """Return a step line of the published values over releases, with the first and latest in words."""
    name, metric = ctx.names[checked["country"]], checked["metric"]
    label, year = ctx.commodity.labels[metric], figures.market_year(checked["track_year"])
    published = frame.dropna(subset=["value"])
    if published.empty:
        return frames.no_data("figure", f"No release published {label.lower()} for {name} in {year}.")
    unit = frames.metric_unit(metric, checked["units"], ctx.commodity)[0]
    data = [{"type": "scatter", "mode": "lines+markers", "name": name,
             "x": published["release_id"].tolist(), "y": figures.clean(published["value"]),
             "line": {"color": figures.colour(checked["country"]), "width": 2, "shape": "hv"},
             "hovertemplate": f"<b>%{{x}}</b>: %{{y:,.1f}} {unit}<extra></extra>"}]
    layout = figures.base_layout(f"{name}: {label.lower()} {year} as each release published it", unit,
                                 x_title="USDA release")
    layout["xaxis"]["type"] = "category"
    first, last = published["value"].iloc[0], published["value"].iloc[-1]
    note = frames.alert(f"{len(published)} releases: first {first:,.1f}, latest {last:,.1f} {unit}.", "light")
    return {"data": data, "layout": layout}, note
