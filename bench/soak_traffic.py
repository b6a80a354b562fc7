"""The soak's traffic: clients mixing what people do (landing, sign-in, account, charts, the API, health checks),
each request recorded as (time sent, kind, status or error name)."""
import itertools
import json
import re
import threading
import time

import requests

from tests.harness.charts import chart_bodies
from tests.harness.env import callback_headers
from tests.harness.live import PASSWORD

API = "/api/v1/metrics?metric=production&metric=ending_stocks&country=BRA&country=WORLD&start=2010&end=2025"


class Traffic:
    """Client threads against a SoakHost until stop(); requests are kept in .records."""

    def __init__(self, host, clients=4, pause=0.05):
        self.host, self.clients, self.pause = host, clients, pause
        self.records = []
        self.stopping = threading.Event()
        self.bodies = [json.dumps(body) for _, body in chart_bodies(host.server, host.session)]
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(clients)]

    def start(self):
        """Start every client."""
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        """Stop every client after its request under way."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _client(self, n):
        """Send requests in a fixed mix, one after another, with a short pause."""
        url = self.host.server.url
        session = requests.Session()
        session.cookies.update(self.host.session.cookies)
        session.headers["User-Agent"] = self.host.session.headers["User-Agent"]
        anonymous = requests.Session()
        kinds = itertools.cycle(["chart", "api", "landing", "chart", "account", "health", "chart", "api", "sign-in"])
        bodies = itertools.cycle(self.bodies[n:] + self.bodies[:n])
        for kind in kinds:
            if self.stopping.is_set():
                return
            sent = time.monotonic()
            try:
                if kind == "chart":
                    status = session.post(f"{url}/_dash-update-component", data=next(bodies), timeout=30,
                                          headers=callback_headers(session)).status_code
                elif kind == "api":
                    status = session.get(f"{url}{API}", timeout=30).status_code
                elif kind == "account":
                    status = session.get(f"{url}/account", timeout=30, allow_redirects=False).status_code
                elif kind == "landing":
                    status = anonymous.get(f"{url}/", timeout=30).status_code
                elif kind == "health":
                    status = anonymous.get(f"{url}/healthz", timeout=30).status_code
                else:
                    status = self._sign_in(url)
            except requests.RequestException as exc:
                status = type(exc).__name__
            self.records.append((sent, kind, status))
            time.sleep(self.pause)

    def _sign_in(self, url):
        """Sign in from a new browser session: the form, then the POST; return the POST's status."""
        browser = requests.Session()
        form = browser.get(f"{url}/login", timeout=30)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
        if form.status_code != 200 or token is None:
            return form.status_code
        return browser.post(f"{url}/login", data={"email": self.host.email, "password": PASSWORD,
                                                  "csrf_token": token.group(1)}, allow_redirects=False,
                            timeout=30).status_code

    def between(self, start, end):
        """Return the records of requests sent in [start, end)."""
        return [r for r in self.records if start <= r[0] < end]

    def first_success_after(self, moment, kinds):
        """Return the time of the first 2xx/3xx of kinds sent at or after moment, or None."""
        found = [t for t, kind, status in self.records
                 if t >= moment and kind in kinds and isinstance(status, int) and status < 400]
        return min(found) if found else None
