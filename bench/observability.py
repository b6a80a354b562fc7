"""The per-request cost of the metrics and usage logging on a cached chart callback, with and without them."""
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.callbacks import percentile
from tests.harness import dash_client as dc
from tests.harness.live import PASSWORD, SECRET

CHART = ("production-by-country-graph", "figure")
HOOKS = ("web.metrics:start", "web.metrics:record")
WARM_UP = 20


def _client(data_dir):
    """Return (app, logged-in test client, callback body, CSRF token) for a subscriber on data_dir."""
    from flask_migrate import upgrade

    from app import create_app
    from auth.users import create_user

    users = Path(tempfile.mkdtemp(prefix="bench-observability-")) / "users.db"
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{users}",
                      "BEANFLOWS_DATA_DIR": str(data_dir), "RATELIMIT_STORAGE_URI": "memory://", "CACHE_TYPE": "SimpleCache",
                      "METRICS_TOKEN": "bench", "USAGE_FLUSH_SIZE": 10**9, "USAGE_FLUSH_SECONDS": 3600})
    with app.app_context():
        upgrade()
        create_user("observed@example.com", PASSWORD, comp=True)
    client = app.test_client()
    client.post("/login", data={"email": "observed@example.com", "password": PASSWORD,
                                "csrf_token": _form_token(client)})
    body = dc.drawn_body(client, "/dashboards/production", *CHART)
    return app, client, body, client.get_cookie("_csrf_token").value


def _form_token(client):
    """Return the login form's CSRF token."""
    import re

    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _switch(app):
    """Return fn(on) that puts the metrics hooks in, timed, or takes them out (no-ops in their places)."""
    from web import pipeline

    spent = []
    lists = {"before": app.before_request_funcs[None], "after": app.after_request_funcs[None]}
    places = {name: (kind, i) for kind, hooks in lists.items() for i, h in enumerate(hooks)
              if (name := pipeline.hook_name(h)) in HOOKS}
    real = {name: lists[kind][i] for name, (kind, i) in places.items()}

    def timed(hook):
        def run(*args):
            started = time.perf_counter()
            try:
                return hook(*args)
            finally:
                spent.append(time.perf_counter() - started)
        return run

    def switch(on):
        for name, (kind, i) in places.items():
            lists[kind][i] = timed(real[name]) if on else (lambda response=None: response)
    return switch, spent


def run(data_dir, label, repeat=2000):
    """Time `repeat` cached chart callbacks each with and without the hooks, interleaved; print p50 and p99."""
    app, client, body, csrf = _client(data_dir)
    switch, spent = _switch(app)
    times = {True: [], False: []}
    # In pairs, one with and one without, in random order within each pair: neighbours share the machine's
    # load, and strict alternation would line up with whatever else alternates between requests.
    rng = random.Random(25)
    order = [on for _ in range(repeat) for on in rng.sample([True, False], 2)]
    for i, on in enumerate([True] * WARM_UP + order):
        switch(on)
        started = time.perf_counter()
        response = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf})
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"chart callback failed: {response.status_code}")
        if i >= WARM_UP:  # the first answers fill the response cache
            times[on].append(elapsed)
    spent = spent[2 * WARM_UP:]
    hooks = [spent[i] + spent[i + 1] for i in range(0, len(spent) - 1, 2)]  # start + record of one request
    from auth import usage

    started = time.perf_counter()
    written = usage.flush(app)  # the writer thread's work, timed here in one batch instead
    flush_ms = (time.perf_counter() - started) * 1000
    ms = {key: [t * 1000 for t in values] for key, values in times.items()}
    print(f"\nMetrics and usage logging on a cached chart callback ({CHART[0]}), {label}: in-process, "
          f"{repeat} pairs of requests, with and without in random order within each pair")
    print(f"{'':<26}{'p50':>10}{'p99':>10}")
    for name, values in (("with metrics + usage", ms[True]), ("without", ms[False]),
                         ("the hooks themselves", [t * 1000 for t in hooks])):
        print(f"{name:<26}{statistics.median(values):>7.3f} ms{percentile(values, 99):>7.3f} ms")
    print(f"writing the {written:,} rows the requests left, off the request path: {flush_ms:.0f} ms in one batch, "
          f"{flush_ms / max(written, 1):.4f} ms a request")
    paired = [with_ - without for with_, without in zip(ms[True], ms[False])]  # the i-th of each: one pair
    print(f"difference of medians {statistics.median(ms[True]) - statistics.median(ms[False]):.3f} ms; "
          f"median of the paired differences {statistics.median(paired):.3f} ms (target: under 0.2 ms at p50)")
