"""ENSO beside production: anomaly against the market year's ONI, the correlation, shortfalls, phase shading."""
import math

import pandas as pd

from callbacks import fields, frames
from callbacks.page import NothingToShow
from data.queries import enso as enso_queries
from data.queries import scope
from data.reference import enso_rule
from data.schema import WORLD
from data.serving.reader import NoData
from ui import choices, figures

# Okabe-Ito vermillion and blue, light: warm and cool phases, colour-blind safe.
PHASE_COLOURS = {enso_rule.EL_NINO: "#D55E00", enso_rule.LA_NINA: "#0072B2", enso_rule.NEUTRAL: "#999999"}
NOT_LOADED = "ENSO data is not loaded: an operator runs `flask --app app enso ingest` to add NOAA's index."
CAVEAT = "Association over past market years, not a forecast."
Z_95 = 1.959963984540054  # the standard normal's 97.5% quantile


class ShadeToggle(fields.Choice):
    """The El Niño / La Niña shading toggle: in the URL only when on."""

    def __init__(self, name="enso", component="enso"):
        super().__init__(name, component, choices.SHADE_OPTIONS, "off")

    def to_url(self, value):
        return {} if value == "off" else {self.name: value}


def loaded():
    """Return True when an ENSO release is in the serving file."""
    try:
        return enso_queries.latest_release() is not None
    except NoData:
        return False


def correlation(x, y):
    """Return (Pearson r, n, 95% confidence interval low, high) by Fisher's z; None where n < 4."""
    pairs = [(a, b) for a, b in zip(x, y) if not (pd.isna(a) or pd.isna(b))]
    n = len(pairs)
    if n < 4:
        return None, n, None, None
    xs, ys = zip(*pairs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((a - mx) * (b - my) for a, b in pairs)
    sxx, syy = sum((a - mx) ** 2 for a in xs), sum((b - my) ** 2 for b in ys)
    if not sxx or not syy:
        return None, n, None, None
    r = max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
    if abs(r) == 1:
        return r, n, r, r
    z, se = math.atanh(r), 1 / math.sqrt(n - 3)
    return r, n, math.tanh(z - Z_95 * se), math.tanh(z + Z_95 * se)


def enso_window(commodity):
    """Return the months of the world's ENSO window of a commodity, e.g. 'October to September'."""
    month = enso_rule.default_month(commodity)
    return f"{enso_rule.MONTHS[month - 1]} to {enso_rule.MONTHS[month - 2]}"


def anomaly_frame(code, start, end, commodity=None):
    """Return market year, production, trend, anomaly_pct, the window's ONI and phase of a country or WORLD.

    Without ENSO data the ONI and phase columns are empty: the anomaly alone is still worth showing.
    """
    anomaly = enso_queries.production_anomaly(code, start, end, commodity)
    if loaded():
        phases = enso_queries.phases((code,), start, end, None, commodity)[["market_year", "oni", "phase"]]
    else:
        phases = pd.DataFrame({"market_year": anomaly["market_year"], "oni": float("nan"), "phase": None})
    frame = anomaly.merge(phases, on="market_year", how="left")
    windows = [enso_rule.window(code, int(y), scope.commodity(commodity)) for y in frame["market_year"]]
    frame.insert(0, "country_code", code)
    frame["window"] = [f"{a} to {b}" for a, b in windows]
    return frames.with_labels(frame)


def summary(frame):
    """Return the sentence giving r, n and its 95% interval, with the caveat."""
    r, n, low, high = correlation(frame["oni"].tolist(), frame["anomaly_pct"].tolist())
    if r is None:
        return f"Too few market years with both a production anomaly and a whole ENSO window (n = {n}). {CAVEAT}"
    return (f"Correlation of the production anomaly with the window's ONI: r = {r:+.2f} (n = {n} market years, "
            f"95% confidence interval {low:+.2f} to {high:+.2f}). {CAVEAT}")


def bars_render(frame, name):
    """Return (the production anomaly by market year; the note that ENSO data is not loaded)."""
    shown = frame.dropna(subset=["anomaly_pct"])
    if shown.empty:
        raise NothingToShow(f"No market year of {name} has five years of production around it. {NOT_LOADED}")
    years = [int(y) for y in shown["market_year"]]
    data = [{"type": "bar", "name": "Production anomaly", "x": years, "y": figures.clean(shown["anomaly_pct"]),
             "customdata": shown["marketing_year"].tolist(), "marker": {"color": figures.colour(WORLD)},
             "hovertemplate": "<b>%{customdata}</b><br>%{y:+.1f}% against the 5-year mean<extra></extra>"}]
    layout = figures.base_layout(f"{name}: production against its centred 5-year mean",
                                 "% against the centred 5-year mean")
    return {"data": data, "layout": layout}, frames.alert(NOT_LOADED, "info")


def scatter_render(frame, name, code, commodity=None):
    """Return (the anomaly against the ONI, one marker colour per phase; the correlation note)."""
    if not loaded():
        return bars_render(frame, name)
    both = frame.dropna(subset=["anomaly_pct", "oni"])
    if both.empty:
        raise NothingToShow(f"No market year of {name} has both a production anomaly and a whole ENSO window.")
    data = []
    for phase in enso_rule.PHASES:
        part = both[both["phase"] == phase]
        data.append({
            "type": "scatter", "mode": "markers", "name": phase, "x": figures.clean(part["oni"]),
            "y": figures.clean(part["anomaly_pct"]), "customdata": part["marketing_year"].tolist(),
            "hovertemplate": "<b>%{customdata}</b><br>ONI %{x:+.2f} °C<br>production %{y:+.1f}% against its "
                             "5-year mean<extra>%{fullData.name}</extra>",
            "marker": {"color": PHASE_COLOURS[phase], "size": 8, "line": {"width": 1, "color": "white"}},
        })
    start, last = int(both["market_year"].min()), int(both["market_year"].max())
    declared = scope.commodity(commodity)
    first, end = enso_rule.window(code, start, declared)[0], enso_rule.window(code, last, declared)[1]
    layout = figures.base_layout(f"{name}: production anomaly against ENSO, {figures.span(start, last)}",
                                 "% against the centred 5-year mean",
                                 x_title=f"mean ONI over each market year's window, °C ({first} to {end})")
    layout["xaxis"]["zeroline"] = True
    return {"data": data, "layout": layout}, frames.alert(summary(frame), "light")


def shortfalls(frame, limit=10):
    """Return the market years of the largest production shortfalls against the trend, largest first."""
    worst = frame.dropna(subset=["anomaly_pct"]).sort_values("anomaly_pct").head(limit)
    return worst[worst["anomaly_pct"] < 0]


def shading(code, start, end, commodity=None):
    """Return layout shapes shading El Niño and La Niña market years of code's window (none without ENSO data)."""
    if not loaded():
        return [], NOT_LOADED
    phases = enso_queries.phases((code,), start, end, None, commodity)
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": int(y) - 0.5, "x1": int(y) + 0.5, "y0": 0,
               "y1": 1, "fillcolor": PHASE_COLOURS[phase], "opacity": 0.12, "line": {"width": 0}, "layer": "below",
               "name": f"{phase} {int(y)}"}
              for y, phase in zip(phases["market_year"], phases["phase"]) if phase != enso_rule.NEUTRAL]
    month, recorded = enso_rule.start_month(code, scope.commodity(commodity))
    whose = ("the 12-season window used for world totals and for several countries at once" if code == WORLD
             else "the country's 12-season window" if recorded else "an assumed 12-season window")
    return shapes, (f"Shaded: El Niño (orange) and La Niña (blue) market years by NOAA's episode rule over "
                    f"{whose} (market year opening in {enso_rule.MONTHS[month - 1]}). {CAVEAT}")


def shade(result, checked, code, commodity=None):
    """Return a chart's (figure, message) with ENSO phases shaded when the toggle is on."""
    fig, message = result
    if checked.get("enso") != "shade" or not fig.get("data"):
        return result
    shapes, note = shading(code, *checked["years"], commodity)
    fig["layout"]["shapes"] = [*fig["layout"].get("shapes", []), *shapes]
    return fig, frames.message_html(message, frames.alert(note, "light"))
