"""What each browser patch in assets/ buys: a dashboard's draw time with each speed patch blocked, and the
bytes the lazy bundles keep out of pages that draw no grid."""
import re
import statistics
import time

import requests

from tests.harness.drawn import ALL_DRAWN
from tests.harness.live import browser_cookies

# Speed patches of assets/patches.js, each measured by loading the page without it (the behaviour patches,
# session and theme-charts, have browser tests instead; lazy-bundles is measured in bytes: without it grids break).
SPEED = ("plotly-resize", "warm-lazy")


def _draw(page, path):
    """Return seconds from navigating to path until every chart has drawn."""
    start = time.perf_counter()
    page.goto(path)
    page.wait_for_function(ALL_DRAWN, timeout=30000, polling=10)
    return time.perf_counter() - start


def _lazy_bytes(server, session, path):
    """Return {library: brotli bytes of its bundle} for the libraries path's page leaves out until used."""
    html = session.get(f"{server.url}{path}", timeout=30).text
    sizes = {}
    for content in re.findall(r'<meta name="beanflows-lazy-bundle" content="([^"]+)"', html):
        namespace, _, url = content.split(" ")
        response = requests.get(f"{server.url}{url}", headers={"Accept-Encoding": "br"}, timeout=60, stream=True)
        sizes[namespace] = len(response.raw.read(decode_content=False))
    return sizes


def measure(browser, server, session, path, repeat=5):
    """Return {"times": {variant: [seconds]}, "lazy": {library: bytes}} for path, variants interleaved."""
    pages = {}
    for variant in ("all patches", *SPEED):
        context = browser.new_context(base_url=server.url)
        context.add_cookies(browser_cookies(session, server))
        if variant in SPEED:  # the page's scripts leave out the patches this names (assets/patches.js)
            context.add_init_script(f"window.beanflowsSkipPatches = ['{variant}'];")
        pages[variant] = context.new_page()
        _draw(pages[variant], path)  # warm
    times = {variant: [] for variant in pages}
    for _ in range(repeat):
        for variant, page in pages.items():
            times[variant].append(_draw(page, path))
    for page in pages.values():
        page.context.close()
    return {"times": times, "lazy": _lazy_bytes(server, session, path)}


def report(path, results):
    """Print each speed patch's effect on path's draw time and the bytes the lazy-bundles patch keeps out."""
    times = results["times"]
    base = statistics.median(times["all patches"]) * 1000
    print(f"\nWhat each browser patch buys on {path} (median of {len(times['all patches'])} interleaved loads)")
    print(f"  with every patch: {base:.0f} ms")
    for variant in SPEED:
        without = statistics.median(times[variant]) * 1000
        print(f"  without {variant:<18}{without:6.0f} ms ({without - base:+.0f} ms, {without / base:.2f}x)")
    for library, size in results["lazy"].items():
        print(f"  the lazy-bundles patch keeps {library}'s bundle ({size / 1000:.0f} kB brotli) out of pages without one")
