"""Plain-dict Plotly figures: stable country colours, units, hover with market years."""
import math
import zlib

import pandas as pd

from data.schema import WORLD

# Colour-blind-safe colours (Okabe-Ito first, then Paul Tol's muted scheme), one fixed colour
# per large producer and trader so the same country looks the same on every chart.
FIXED_COLOURS = {
    WORLD: "#444444",
    "BRA": "#0072B2",
    "VNM": "#D55E00",
    "COL": "#E69F00",
    "IDN": "#009E73",
    "ETH": "#CC79A7",
    "EU": "#56B4E9",
    "USA": "#882255",
    "JPN": "#117733",
    "HND": "#332288",
    "IND": "#AA4499",
    "UGA": "#44AA99",
    "MEX": "#999933",
    "PER": "#661100",
    "GTM": "#6699CC",
    "CIV": "#DDCC77",
}
PALETTE = ("#88CCEE", "#44AA99", "#117733", "#332288", "#DDCC77", "#999933", "#CC6677", "#882255",
           "#AA4499", "#661100", "#6699CC", "#888888")
# Metric lines (one country or the world) use Paul Tol's vibrant scheme, apart from the country colours.
SERIES_COLOURS = {
    "production": "#0077BB",
    "domestic_consumption": "#CC3311",
    "exports": "#009988",
    "imports": "#EE3377",
    "ending_stocks": "#EE7733",
    "arabica_production": "#33BBEE",
    "robusta_production": "#BBBBBB",
    "other_production": "#000000",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def colour(code):
    """Return the colour of a country code, the same on every chart."""
    if code in FIXED_COLOURS:
        return FIXED_COLOURS[code]
    return PALETTE[zlib.crc32(str(code).encode()) % len(PALETTE)]


def market_year(year):
    """Return the marketing-year label: 2023 -> '2023/24'."""
    year = int(year)
    return f"{year}/{(year + 1) % 100:02d}"


def span(start, end):
    """Return a readable range of market years."""
    return market_year(start) if start == end else f"{market_year(start)} to {market_year(end)}"


def clean(values):
    """Return a list of JSON-safe numbers: NaN and infinities become None."""
    out = []
    for v in values:
        if v is None or v is pd.NA or v is pd.NaT:
            out.append(None)
            continue
        v = float(v)
        out.append(v if math.isfinite(v) else None)
    return out


def base_layout(title, y_title, x_title="", **extra):
    """Return the shared layout of every chart."""
    layout = {
        "title": {"text": title, "font": {"size": 15}, "x": 0.01, "xanchor": "left"},
        "font": {"family": FONT, "size": 12},
        "margin": {"t": 48, "r": 16, "b": 40, "l": 64},
        "height": 400,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        # Years need no axis title (hover shows 2023/24); the legend sits under the ticks.
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0, "maxheight": 0.25},
        "xaxis": {"title": {"text": x_title, "standoff": 4}, "gridcolor": "#eee", "zeroline": False},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#eee", "zerolinecolor": "#bbb", "tickformat": ",~r"},
    }
    layout.update(extra)
    return layout


def empty(message):
    """Return a figure with no axes that says why it is empty."""
    return {
        "data": [],
        "layout": {
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "height": 380,
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "annotations": [{"text": message, "showarrow": False, "font": {"size": 14, "color": "#666"},
                             "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}],
        },
    }


def hover(unit, value_format=",.1f"):
    """Return a hover template showing series, market year, value and unit."""
    return f"<b>%{{fullData.name}}</b><br>%{{customdata}}: %{{y:{value_format}}} {unit}<extra></extra>"


def series_colour(key):
    """Return the colour of a metric series."""
    return SERIES_COLOURS.get(key, "#555555")


def lines(frame, value, unit, title, y_title=None, name="country", key="country_code", dash=None,
          value_format=",.1f", mode="lines+markers", colours=colour):
    """Return a line per series (key, and dash group when given) over market years."""
    # Plain lists grouped in one pass: a groupby and per-row Series access cost a line chart ~15 ms.
    keys, names, years = frame[key].tolist(), frame[name].tolist(), [int(y) for y in frame["market_year"].tolist()]
    styles = frame[dash].tolist() if dash else [None] * len(keys)
    values = clean(frame[value].tolist())
    rows = {}  # (key, dash group) -> row positions, in order of first appearance, as groupby(sort=False)
    for i, group in enumerate(zip(keys, styles)):
        if not pd.isna(group[0]) and not (dash and pd.isna(group[1])):
            rows.setdefault(group, []).append(i)
    data = []
    dashes = {}
    for (code, style), positions in rows.items():
        label = names[positions[0]]
        trace = {
            "type": "scatter",
            "mode": mode,
            "name": label if not dash else f"{label} {style}",
            "x": [years[i] for i in positions],
            "y": [values[i] for i in positions],
            "customdata": [market_year(years[i]) for i in positions],
            "hovertemplate": hover(unit, value_format),
            "line": {"color": colours(code), "width": 2},
            "marker": {"size": 4},
        }
        if dash:
            trace["line"]["dash"] = dashes.setdefault(style, ("solid", "dash", "dot")[len(dashes) % 3])
        if code == WORLD:
            trace["line"]["dash"] = "dash"
        data.append(trace)
    return {"data": data, "layout": year_ticks(base_layout(title, y_title or unit), frame["market_year"])}


def year_ticks(layout, years):
    """Return layout with whole-year ticks on the x axis (a tick per year over short ranges)."""
    layout["xaxis"]["tickformat"] = "d"
    if len(years) and int(max(years)) - int(min(years)) <= 8:
        layout["xaxis"]["dtick"] = 1
    return layout


def stacked_bars(frame, category, series, value, unit, title, series_labels):
    """Return stacked bars of value per category, one trace per series column value."""
    data = []
    for key, part in frame.groupby(series, sort=False):
        data.append({
            "type": "bar",
            "name": series_labels.get(key, key),
            "x": part[category].tolist(),
            "y": clean(part[value]),
            "customdata": [market_year(y) for y in part["market_year"]],
            "hovertemplate": f"<b>%{{x}}</b> %{{fullData.name}}<br>%{{customdata}}: %{{y:,.1f}} {unit}<extra></extra>",
            "marker": {"color": SERIES_COLOURS.get(key)},
        })
    layout = base_layout(title, unit, x_title="")
    layout["barmode"] = "stack"
    layout["legend"]["traceorder"] = "normal"
    return {"data": data, "layout": layout}


def bars(frame, value, unit, title, value_format=",.1f"):
    """Return horizontal bars of value per country, largest on top."""
    ordered = frame.iloc[::-1]
    return {
        "data": [{
            "type": "bar",
            "orientation": "h",
            "name": "",
            "y": ordered["country"].tolist(),
            "x": clean(ordered[value]),
            "customdata": [market_year(y) for y in ordered["market_year"]],
            "marker": {"color": [colour(c) for c in ordered["country_code"]]},
            "hovertemplate": f"<b>%{{y}}</b><br>%{{customdata}}: %{{x:{value_format}}} {unit}<extra></extra>",
        }],
        "layout": base_layout(title, "", x_title=unit, showlegend=False,
                              margin={"t": 48, "r": 16, "b": 48, "l": 140}),
    }


def sankey(links, unit, title):
    """Return a Sankey from a frame of source, target, value, share_pct and colour codes."""
    labels = list(dict.fromkeys(links["source"].tolist() + links["target"].tolist()))
    index = {label: i for i, label in enumerate(labels)}
    node_colours = {}
    for src, tgt, code in zip(links["source"], links["target"], links["country_code"]):
        country_label = tgt if src == POOL else src
        node_colours[country_label] = colour(code) if code != "OTHER" else "#bbbbbb"
    node_colours[POOL] = "#444444"
    return {
        "data": [{
            "type": "sankey",
            "arrangement": "snap",
            "valueformat": ",.0f",
            "valuesuffix": f" {unit}",
            "node": {"label": labels, "pad": 12, "thickness": 14,
                     "color": [node_colours.get(label, "#888888") for label in labels],
                     "hovertemplate": "<b>%{label}</b><br>%{value:,.0f} " + unit + "<extra></extra>"},
            "link": {
                "source": [index[s] for s in links["source"]],
                "target": [index[t] for t in links["target"]],
                "value": clean(links["value"]),
                "customdata": [f"{p:.1f}% of world {side}" for p, side in zip(links["share_pct"], links["side"])],
                "hovertemplate": "%{source.label} to %{target.label}<br>%{value:,.0f} " + unit
                                 + " (%{customdata})<extra></extra>",
            },
        }],
        "layout": {**base_layout(title, ""), "height": 460},
    }


POOL = "World market pool"
