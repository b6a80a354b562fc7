"""Time, in headless Chromium, until every chart of each dashboard has drawn."""
import statistics
import time

from tests.harness.live import browser_cookies, launch_chromium

# True once no Dash callback is loading and every plot holds drawn, non-pending data.
ALL_DRAWN = """() => {
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (!plots.length) return false;
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  return Array.from(plots).every(g =>
    !g.classList.contains('dash-graph--pending') && g._fullLayout && g.data && g.data.length > 0);
}"""


def measure(server, session, paths, repeat=5):
    """Return {path: [seconds]} from navigation start until every chart has drawn."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(base_url=server.url)
        context.add_cookies(browser_cookies(session, server))
        page = context.new_page()
        for path in paths:
            page.goto(path)  # warm the browser cache and the server
            page.wait_for_function(ALL_DRAWN, timeout=30000)
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                page.goto(path)
                page.wait_for_function(ALL_DRAWN, timeout=30000, polling=10)
                times.append(time.perf_counter() - start)
            results[path] = times
        browser.close()
    return results


def report(results):
    """Print median and max page-to-drawn time per dashboard."""
    print("\nPage load in headless Chromium (navigation until every chart drawn), loopback")
    print(f"  {'page':<34}{'median ms':>10}{'max ms':>10}")
    for path, times in results.items():
        print(f"  {path:<34}{statistics.median(times) * 1000:10.0f}{max(times) * 1000:10.0f}")
