"""Record the callback requests a browser makes while drawing each dashboard."""
import json

from bench.live import browser_cookies, launch_chromium
from bench.pageload import ALL_DRAWN


def record_callbacks(server, session, paths):
    """Return [(path, output, body)] for every Dash callback POST made on load."""
    from playwright.sync_api import sync_playwright

    recorded = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(base_url=server.url)
        context.add_cookies(browser_cookies(session, server))
        page = context.new_page()
        current = {"path": None}

        def on_request(request):
            if request.url.endswith("/_dash-update-component") and request.method == "POST":
                body = request.post_data or ""
                recorded.append((current["path"], json.loads(body).get("output", ""), body))

        page.on("request", on_request)
        for path in paths:
            current["path"] = path
            page.goto(path)
            page.wait_for_function(ALL_DRAWN, timeout=30000)
            page.wait_for_load_state("networkidle")
        browser.close()
    return recorded


def chart_callbacks(recorded):
    """Return the recorded callbacks that draw a chart (output a figure), one per output."""
    seen, charts = set(), []
    for path, output, body in recorded:
        if ".figure" in output and output not in seen:
            seen.add(output)
            charts.append((path, output, body))
    return charts
