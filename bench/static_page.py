"""A static HTML page holding a dashboard's figures, pre-rendered with plotly.py and the full plotly.js."""
import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

# Every drawn chart of the page, as plain {data, layout} dicts.
FIGURES = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => ({
  data: JSON.parse(JSON.stringify(g.data)), layout: JSON.parse(JSON.stringify(g.layout))}))"""


def write(figures, directory):
    """Write index.html with figures pre-rendered and plotly.js (installed plotly's full bundle) beside it."""
    import plotly.graph_objects as go

    divs = [go.Figure(f).to_html(full_html=False, include_plotlyjs="directory" if i == 0 else False)
            for i, f in enumerate(figures)]
    html = ("<!doctype html><html><head><meta charset='utf-8'><title>static</title></head><body>"
            + "".join(divs) + "</body></html>")
    directory = Path(directory)
    (directory / "index.html").write_text(html, encoding="utf-8")
    from plotly.offline import get_plotlyjs

    (directory / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    return directory


class StaticSite:
    """Serve a directory over HTTP on loopback from a thread (a static host)."""

    def __init__(self, figures):
        self.directory = write(figures, tempfile.mkdtemp(prefix="beanflows-static-"))
        handler = functools.partial(_QuietHandler, directory=str(self.directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/index.html"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        """Stop serving and remove the files."""
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.directory, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging every request."""

    def log_message(self, *args):
        """Log nothing."""
