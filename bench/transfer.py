"""Bytes on the wire for a cold load and a warm reload of a page, from Chromium's network events."""
from tests.harness.live import browser_cookies


class Wire:
    """Sum the bytes each request took on the wire (headers and body, as received) on one page."""

    def __init__(self, context, page):
        self.requests, self.received = {}, {}
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.requestWillBeSent", lambda e: self.requests.setdefault(e["requestId"], e["request"]["url"]))
        self.cdp.on("Network.loadingFinished", lambda e: self.received.__setitem__(e["requestId"], e["encodedDataLength"]))

    def reset(self):
        """Start counting afresh."""
        self.requests.clear()
        self.received.clear()

    def totals(self):
        """Return (bytes, requests that went to the network, requests made, {url: bytes})."""
        by_url = {self.requests.get(rid, rid): size for rid, size in self.received.items()}
        return (sum(self.received.values()), sum(1 for s in self.received.values() if s > 0),
                len(self.requests), by_url)


def measure(browser, server, session, path, drawn):
    """Return {"cold": totals, "warm": totals} for path in a fresh browser context; drawn is a JS predicate."""
    context = browser.new_context(base_url=server.url)
    context.add_cookies(browser_cookies(session, server))
    page = context.new_page()
    wire = Wire(context, page)
    result = {}
    try:
        for label, load in (("cold", lambda: page.goto(path)), ("warm", page.reload)):
            wire.reset()
            load()
            page.wait_for_function(drawn, timeout=30000)
            page.wait_for_load_state("networkidle")
            result[label] = wire.totals()
    finally:
        context.close()
    return result


def report(path, result, top=8):
    """Print the cold and warm transfer of path and its largest responses."""
    print(f"\nBytes on the wire for {path} (headless Chromium, logged in; cold cache, then a reload)")
    for label, (size, network, made, _) in result.items():
        print(f"  {label:<5} {size / 1000:9.1f} kB in {network} requests over the network ({made} made)")
        for url, size in sorted(result[label][3].items(), key=lambda item: -item[1])[:top]:
            print(f"        {size / 1000:9.1f} kB  {url.split('//', 1)[-1].split('/', 1)[-1][:90]}")
