"""Plain-dict Plotly figures of the prices dashboard, each crediting the World Bank as its licence asks."""
import math

from data.reference.price_years import ATTRIBUTION
from ui import figures

# Paul Tol's vibrant scheme: one colour per series slot of a commodity.
SERIES_COLOURS = ("#0077BB", "#CC3311", "#009988", "#EE7733")
LATEST = "#CC3311"
USDA = "#444444"
MARKET = "#0077BB"


def _credit(layout, extra=""):
    """Add the World Bank attribution between the title and the plot (it goes with the PNG too, whatever the legend)."""
    layout["margin"] = {**layout["margin"], "t": 68}
    layout.setdefault("annotations", []).append({
        "text": f"Source: {ATTRIBUTION}{extra}", "showarrow": False, "xref": "paper", "yref": "paper",
        "x": 0, "y": 1, "yshift": 6, "xanchor": "left", "yanchor": "bottom", "font": {"size": 10, "color": "#595959"}})
    return layout


def history(frame, names, release_months, title, unit):
    """Return monthly prices per series, the market-year averages as steps, and USDA release months marked."""
    data = []
    for number, (slug, name) in enumerate(names.items()):
        part = frame[frame["series"] == slug]
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        data.append({"type": "scatter", "mode": "lines", "name": f"{name}, monthly", "x": part["month"].tolist(),
                     "y": figures.clean(part["value"]), "line": {"color": colour, "width": 1.5},
                     "hovertemplate": f"<b>{name}</b><br>%{{x|%b %Y}}: %{{y:,.1f}} {unit}<extra></extra>"})
        years = part.dropna(subset=["market_year_average"])
        data.append({"type": "scatter", "mode": "lines", "name": f"{name}, market-year average",
                     "x": years["month"].tolist(), "y": figures.clean(years["market_year_average"]),
                     "customdata": years["marketing_year"].tolist(), "line": {"color": colour, "dash": "dot",
                                                                              "shape": "hv", "width": 2},
                     "hovertemplate": f"<b>{name}</b><br>%{{customdata}} average: %{{y:,.1f}} {unit}<extra></extra>"})
    layout = figures.base_layout(title, unit)
    layout["xaxis"]["type"] = "date"
    layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": month, "x1": month, "y0": 0, "y1": 1,
                         "line": {"color": USDA, "width": 1, "dash": "dash"}, "name": f"USDA release {month}"}
                        for month in release_months]
    extra = "; dashed lines: USDA releases" if release_months else ""
    return {"data": data, "layout": _credit(layout, extra)}


def fit(frame, found, latest_year, name, unit, title):
    """Return market-year average price against world stocks-to-use, years labelled, the latest highlighted, the fit."""
    past = frame[frame["market_year"] != latest_year]
    last = frame[frame["market_year"] == latest_year]
    hover = (f"<b>%{{text}}</b><br>world stocks-to-use %{{x:.1f}}%<br>{name} %{{y:,.1f}} {unit}"
             "<extra></extra>")
    data = [{"type": "scatter", "mode": "markers+text", "name": "Market years", "x": figures.clean(past["stocks_to_use_pct"]),
             "y": figures.clean(past["price"]), "text": past["marketing_year"].tolist(), "textposition": "top center",
             "textfont": {"size": 9, "color": "#595959"}, "marker": {"color": MARKET, "size": 7},
             "hovertemplate": hover}]
    if not last.empty:
        data.append({"type": "scatter", "mode": "markers+text", "name": f"Latest, {last['marketing_year'].iloc[0]}",
                     "x": figures.clean(last["stocks_to_use_pct"]), "y": figures.clean(last["price"]),
                     "text": last["marketing_year"].tolist(), "textposition": "bottom center",
                     "marker": {"color": LATEST, "size": 12, "symbol": "diamond"}, "hovertemplate": hover})
    if found is not None:
        low, high = min(found.x), max(found.x)
        xs = [low * (high / low) ** (i / 40) for i in range(41)]
        data.append({"type": "scatter", "mode": "lines", "name": f"Fit: price ∝ stocks-to-use^{found.b:.2f}",
                     "x": xs, "y": [found.price(x) for x in xs], "line": {"color": "#000000", "width": 1.5},
                     "hovertemplate": f"fitted: %{{y:,.1f}} {unit} at %{{x:.1f}}%<extra></extra>"})
    layout = figures.base_layout(title, f"{name}, market-year average, {unit} (log)",
                                 x_title="world ending stocks, % of use (log)")
    layout["xaxis"]["type"] = "log"
    layout["yaxis"]["type"] = "log"
    return {"data": data, "layout": _credit(layout)}


def market(frame, latest, name, title):
    """Return USDA's world stocks-to-use against the stocks-to-use each year's price implies, the latest banded."""
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": "USDA's world stocks-to-use",
         "x": frame["market_year"].tolist(), "y": figures.clean(frame["stocks_to_use_pct"]),
         "customdata": frame["marketing_year"].tolist(), "line": {"color": USDA},
         "hovertemplate": "<b>USDA</b><br>%{customdata}: %{y:.1f}%<extra></extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": f"Implied by the {name} price",
         "x": frame["market_year"].tolist(), "y": figures.clean(frame["implied_stocks_to_use_pct"]),
         "customdata": frame["marketing_year"].tolist(), "line": {"color": MARKET, "dash": "dot"},
         "hovertemplate": "<b>Price-implied</b><br>%{customdata}: %{y:.1f}%<extra></extra>"},
    ]
    if latest is not None and latest["implied"] is not None:
        low, high = latest["low"], latest["high"]
        error = {"type": "data", "symmetric": False,
                 "array": [0 if high is None else high - latest["implied"]],
                 "arrayminus": [0 if low is None else latest["implied"] - low], "color": LATEST}
        data.append({"type": "scatter", "mode": "markers", "name": f"Latest price ({latest['month']}), 95% band",
                     "x": [latest["market_year"]], "y": [latest["implied"]], "error_y": error,
                     "marker": {"color": LATEST, "size": 11, "symbol": "diamond"},
                     "hovertemplate": f"<b>{latest['month']} price</b><br>implies %{{y:.1f}}%<extra></extra>"})
    layout = figures.base_layout(title, "world ending stocks, % of use")
    years = [int(y) for y in frame["market_year"]] + ([latest["market_year"]] if latest else [])
    if years:
        figures.year_ticks(layout, sorted(set(years)))
    return {"data": data, "layout": _credit(layout)}


def finite(value):
    """Return value when it is a finite number, else None."""
    return value if value is not None and math.isfinite(value) else None
