"""A bare Dash 4 app holding only given dcc.Graph figures: what a dashboard is measured against.

Served by gunicorn in its own process, as the product is (one worker, four threads), so nothing the product
does to Dash reaches it; Dash's defaults throughout, but for the product's plotly.js build in its assets.
"""
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.harness.live import ROOT, free_port

# The product's custom plotly.js (vendor/, or assets/ in trees from before it moved there).
PLOTLY = [ROOT / "vendor" / "plotly" / "plotly-custom.min.js", ROOT / "assets" / "plotly-custom.min.js"]


class BareDash:
    """Serve a bare Dash app of figures from a subprocess on a free loopback port."""

    def __init__(self, figures):
        self.directory = Path(tempfile.mkdtemp(prefix="beanflows-bare-"))
        (self.directory / "figures.json").write_text(json.dumps(figures))
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/"
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.proc = subprocess.Popen([str(gunicorn), "--config", "/dev/null", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
                                      f"bench.bare_dash:create({str(self.directory)!r})"],
                                     cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url, timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        self.close()
        raise RuntimeError("the bare Dash app did not start in 60 s")

    def close(self):
        """Stop the server and remove its files."""
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


def create(directory):
    """Return the Flask server of a bare Dash app showing directory/figures.json as dcc.Graphs."""
    import dash
    from dash import dcc, html

    directory = Path(directory)
    assets = directory / "assets"
    assets.mkdir()
    shutil.copy(next(p for p in PLOTLY if p.exists()), assets / "plotly-custom.min.js")
    figures = json.loads((directory / "figures.json").read_text())
    app = dash.Dash(__name__, assets_folder=str(assets), serve_locally=True, title="bare Dash")
    app.layout = html.Div([dcc.Graph(figure=figure) for figure in figures])
    return app.server
