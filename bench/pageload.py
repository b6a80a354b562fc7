"""Time, in headless Chromium, until every chart of each dashboard has drawn; bytes on the wire; each
dashboard next to a bare Dash app holding Production's five graphs and a static page of them (plotly.py)."""
import statistics
import time

from bench import bare_dash, patches, static_page, transfer
from tests.harness.drawn import ALL_DRAWN
from tests.harness.live import browser_cookies, launch_chromium

PRODUCTION = "/dashboards/production"
BARE, STATIC = "bare Dash app, same 5 graphs", "static page, same 5 graphs"
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
    """Return draw times of each dashboard, the bare Dash app and the static page (interleaved), and transfer."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        results["transfer"] = transfer.measure(browser, server, session, PRODUCTION, ALL_DRAWN)
        context = browser.new_context(base_url=server.url)
        context.add_cookies(browser_cookies(session, server))
        page = context.new_page()
        draw_time(page, PRODUCTION, ALL_DRAWN)
        figures = page.evaluate(static_page.FIGURES)
        site, bare = static_page.StaticSite(figures), bare_dash.BareDash(figures)
        targets = {**{path: (path, SETTLED) for path in paths}, BARE: (bare.url, ALL_DRAWN),
                   STATIC: (site.url, ALL_DRAWN)}
        try:
            for url, drawn in targets.values():
                draw_time(page, url, drawn)  # warm the browser cache and the servers
            # Round after round over every target, so a burst of load from elsewhere hits them all alike.
            times = {name: [] for name in targets}
            for _ in range(repeat):
                for name, (url, drawn) in targets.items():
                    times[name].append(draw_time(page, url, drawn))
        finally:
            site.close()
            bare.close()
        results["times"] = times
        results["patches"] = patches.measure(browser, server, session, PRODUCTION, repeat)
        browser.close()
    return results


def _median_ms(times):
    return statistics.median(times) * 1000


def report(results):
    """Print transfer, each dashboard's draw time next to the bare Dash app, and what each patch buys."""
    transfer.report(PRODUCTION, results["transfer"])
    times = results["times"]
    bare = _median_ms(times[BARE])
    rounds = len(times[BARE])
    print(f"\nPage load in headless Chromium (navigation until every chart drawn, warm cache, loopback), "
          f"median of {rounds} interleaved rounds; ratio to the bare Dash app")
    print(f"  {'page':<34}{'median ms':>10}{'max ms':>10}{'/ bare':>9}")
    for name, values in times.items():
        print(f"  {name:<34}{_median_ms(values):10.0f}{max(values) * 1000:10.0f}{_median_ms(values) / bare:9.2f}")
    dashboards = {name: _median_ms(v) / bare for name, v in times.items() if name.startswith("/dashboards/")}
    worst = max(dashboards, key=dashboards.get)
    print(f"  {PRODUCTION} / bare Dash app: {dashboards[PRODUCTION]:.2f} (budget 1.10); "
          f"every dashboard / bare: at most {dashboards[worst]:.2f}, {worst} (budget 1.35); "
          f"{PRODUCTION} / static page: {_median_ms(times[PRODUCTION]) / _median_ms(times[STATIC]):.2f}")
    patches.report(PRODUCTION, results["patches"])


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
