"""Time, in headless Chromium, until every chart of each dashboard has drawn; bytes on the wire;
the Production dashboard next to a static page of the same charts pre-rendered with plotly.py."""
import statistics
import time

from bench import static_page, transfer
from tests.harness.drawn import ALL_DRAWN
from tests.harness.live import browser_cookies, launch_chromium

PRODUCTION = "/dashboards/production"
# Every chart in its final state: drawn with traces, or drawn empty with its message (the changes page on
# one release has nothing to compare), never the "Loading..." placeholder.
SETTLED = """() => {
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (!plots.length || document.querySelector('[data-dash-is-loading="true"]')) return false;
  return Array.from(plots).every(g => !g.classList.contains('dash-graph--pending') && g._fullLayout && g.layout
    && ((g.data && g.data.length > 0) || !(g.layout.annotations || []).some(a => a.text === 'Loading...')));
}"""


def draw_time(page, url, drawn=SETTLED):
    """Return seconds from navigating to url until every chart has drawn."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(drawn, timeout=30000, polling=10)
    return time.perf_counter() - start


def measure(server, session, paths, repeat=5):
    """Return draw times per dashboard, the Production transfer, and Production vs the static page."""
    from playwright.sync_api import sync_playwright

    results = {"pages": {}}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        results["transfer"] = transfer.measure(browser, server, session, PRODUCTION, ALL_DRAWN)
        context = browser.new_context(base_url=server.url)
        context.add_cookies(browser_cookies(session, server))
        page = context.new_page()
        for path in paths:
            draw_time(page, path)  # warm the browser cache and the server
            results["pages"][path] = [draw_time(page, path) for _ in range(repeat)]
        draw_time(page, PRODUCTION, ALL_DRAWN)
        site = static_page.StaticSite(page.evaluate(static_page.FIGURES))
        try:
            draw_time(page, site.url, ALL_DRAWN)
            pairs = [(draw_time(page, PRODUCTION, ALL_DRAWN), draw_time(page, site.url, ALL_DRAWN))
                     for _ in range(repeat)]
        finally:
            site.close()
        results["static"] = {"dashboard": [a for a, _ in pairs], "static": [b for _, b in pairs]}
        browser.close()
    return results


def report(results):
    """Print transfer, per-dashboard draw times and the dashboard-vs-static ratio."""
    transfer.report(PRODUCTION, results["transfer"])
    print("\nPage load in headless Chromium (navigation until every chart drawn, warm cache), loopback")
    print(f"  {'page':<34}{'median ms':>10}{'max ms':>10}")
    for path, times in results["pages"].items():
        print(f"  {path:<34}{statistics.median(times) * 1000:10.0f}{max(times) * 1000:10.0f}")
    dash_ms = statistics.median(results["static"]["dashboard"]) * 1000
    static_ms = statistics.median(results["static"]["static"]) * 1000
    print(f"\n{PRODUCTION} vs a static page of its charts pre-rendered with plotly.py and the full plotly.js "
          f"({len(results['static']['static'])} loads each, interleaved)")
    print(f"  dashboard median {dash_ms:.0f} ms, static median {static_ms:.0f} ms, ratio {dash_ms / static_ms:.2f}")


def main():
    """Serve the real data (else demo) and print only the page figures."""
    from tests.harness import env

    data_dir = env.workdir()
    env.prepare_data(data_dir)
    server, session = env.serve(data_dir)
    try:
        results = measure(server, session, env.dashboard_paths(server, session))
    finally:
        server.stop()
    report(results)


if __name__ == "__main__":
    main()
