"""Compare plotly express, graph objects and plain dicts for one chart callback."""
import base64
import statistics
import time

import numpy as np
import plotly.express as px
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from data.schema import COFFEE

COUNTRIES = ("BRA", "VNM", "COL", "IDN", "ETH")


def _frame(con):
    """Return production by country for five producers over every year."""
    return con.execute(
        "SELECT country, market_year, production FROM obt_commodity_metrics "
        "WHERE commodity_code = ? AND list_contains(?, country_code) ORDER BY country, market_year",
        [COFFEE, list(COUNTRIES)],
    ).df()


def with_express(frame):
    """Build the chart with plotly express."""
    fig = px.line(frame, x="market_year", y="production", color="country")
    fig.update_layout(yaxis_title="1000 60-kg bags", xaxis_title="Market year")
    return fig.to_plotly_json()


def with_graph_objects(frame):
    """Build the chart with graph objects."""
    fig = go.Figure(layout={"yaxis": {"title": {"text": "1000 60-kg bags"}}, "xaxis": {"title": {"text": "Market year"}}})
    for country, part in frame.groupby("country", sort=True):
        fig.add_trace(go.Scatter(x=part["market_year"], y=part["production"], mode="lines", name=country))
    return fig.to_plotly_json()


def with_dicts(frame):
    """Build the chart as plain dicts."""
    traces = [
        {"type": "scatter", "mode": "lines", "name": country,
         "x": part["market_year"].tolist(), "y": part["production"].tolist()}
        for country, part in frame.groupby("country", sort=True)
    ]
    return {"data": traces, "layout": {"yaxis": {"title": {"text": "1000 60-kg bags"}},
                                       "xaxis": {"title": {"text": "Market year"}}}}


def _points(figure):
    """Return {trace name: list of (x, y)} to check the three builds draw the same."""
    return {t["name"]: list(zip(map(int, _values(t["x"])), map(float, _values(t["y"])))) for t in figure["data"]}


def _values(array):
    """Return a plain sequence from a list, numpy array or plotly typed-array dict."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return array


def run(con, repeat=200):
    """Print the median build+serialise time of each way and the ratio to the fastest."""
    frame = _frame(con)
    builders = {"plotly express": with_express, "graph objects": with_graph_objects, "plain dicts": with_dicts}
    reference = _points(with_dicts(frame))
    results = {}
    for name, build in builders.items():
        assert _points(build(frame)) == reference, f"{name} draws different points"
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            to_json_plotly(build(frame))
            times.append(time.perf_counter() - start)
        results[name] = statistics.median(times) * 1000
    fastest = min(results.values())
    print("\nFigure building (5 countries x all years, build + JSON), median of", repeat)
    for name, ms in results.items():
        print(f"  {name:<16} {ms:8.3f} ms   x{ms / fastest:5.1f}")
    return results
