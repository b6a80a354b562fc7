"""Time each chart callback on a served app next to the DuckDB time of the same queries."""
import re
import statistics
import time

import duckdb

from tests.harness import env
from tests.harness.charts import chart_bodies  # noqa: F401  (bench.serving and soak use it here)
from tests.harness.live import PASSWORD, SECRET

EMAIL = "bench@example.com"

def percentile(values, q):
    """Return the q-th percentile (0-100) of values, nearest rank."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]

def time_server(server, session, body, repeat):
    """Return (server seconds from Server-Timing, round-trip seconds) of `repeat` POSTs, after two warm-ups."""
    url, headers = f"{server.url}/_dash-update-component", {"X-CSRFToken": session.cookies.get("_csrf_token", "")}
    app_times, round_trips = [], []
    for i in range(repeat + 2):
        start = time.perf_counter()
        response = session.post(url, json=body, headers=headers, timeout=60)
        elapsed = time.perf_counter() - start
        response.raise_for_status()
        if i >= 2:
            round_trips.append(elapsed)
            app_times.append(float(response.headers["Server-Timing"].split("dur=")[1].split(",")[0]) / 1000)
    return app_times, round_trips

class Recorder:
    """Record the SQL and parameters the app's serving file runs."""

    def __init__(self, store):
        self.statements = []
        connection = store.connection
        store.connection = lambda: _RecordingCursor(connection(), self)


class _RecordingCursor:
    """A serving cursor that notes each statement in its recorder before running it."""

    def __init__(self, cursor, recorder):
        self._cursor, self._recorder = cursor, recorder

    def execute(self, sql, params=None):
        """Record, then run, one statement."""
        self._recorder.statements.append((sql, list(params or [])))
        return self._cursor.execute(sql, params) if params is not None else self._cursor.execute(sql)

    def __getattr__(self, name):
        return getattr(self._cursor, name)

def recording_client(data_dir, database_url):
    """Return (test client logged in as the bench user, recorder) on an in-process app with no query cache."""
    from app import create_app

    app = create_app({
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BEANFLOWS_DATA_DIR": str(data_dir),
        "QUERY_CACHE_ENABLED": False,
    })
    import registry

    recorder = Recorder(registry.of(app).serving)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    client.get("/dashboards/overview")
    return client, recorder

def record_statements(client, recorder, body):
    """Return the statements one in-process run of the callback executes."""
    recorder.statements = []
    csrf = client.get_cookie("_csrf_token")
    response = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf.value if csrf else ""})
    if response.status_code != 200:
        raise RuntimeError(f"callback failed in-process: {response.status_code}")
    return list(recorder.statements)

def time_duckdb(path, statements, repeat):
    """Return the seconds DuckDB takes to run and fetch the statements, `repeat` times after a warm-up."""
    con = duckdb.connect(":memory:", config={"threads": 1})
    con.execute("ATTACH ? AS serving (READ_ONLY)", [str(path)])
    con.execute("USE serving")
    times = []
    try:
        for i in range(repeat + 1):
            start = time.perf_counter()
            for sql, params in statements:
                con.execute(sql, params).fetchall()
            if i:
                times.append(time.perf_counter() - start)
    finally:
        con.close()
    return times

def run(data_dir, label, cache=False, repeat=30):
    """Serve data_dir, time every chart callback and print a table; cache on means warmed first."""
    server, session = env.serve(data_dir, workers=1, threads=1,
                                extra_env={"QUERY_CACHE_ENABLED": "1" if cache else "0"})
    try:
        bodies = chart_bodies(server, session)
        client, recorder = recording_client(data_dir, server.env["DATABASE_URL"])
        rows = []
        for name, body in bodies:
            statements = record_statements(client, recorder, body)
            server_times, round_trips = time_server(server, session, body, repeat)
            db_times = time_duckdb(data_dir / "serving.duckdb", statements, repeat)
            rows.append((name, len(statements), server_times, db_times, round_trips))
    finally:
        server.stop()
    state = "query cache on, warm" if cache else "query cache off"
    print(f"\nChart callbacks on {label}: gunicorn 1 worker x 1 thread, {state}, {repeat} requests each; "
          f"server time from the Server-Timing header, round trip as the client saw it, "
          f"DuckDB running and fetching the same queries")
    print(report(rows))
    return rows

def report(rows):
    """Return the timing table as text, in milliseconds."""
    head = (f"{'callback':<24}{'queries':>8}{'server med':>12}{'server p95':>12}{'duckdb med':>12}"
            f"{'duckdb p95':>12}{'ratio':>7}{'round trip med':>16}")
    lines = [head, "-" * len(head)]
    for name, count, server_times, db_times, round_trips in rows:
        s_med, s_95 = statistics.median(server_times) * 1000, percentile(server_times, 95) * 1000
        d_med, d_95 = statistics.median(db_times) * 1000, percentile(db_times, 95) * 1000
        r_med = statistics.median(round_trips) * 1000
        ratio = f"{s_med / d_med:>6.1f}x" if count and d_med else f"{'n/a':>7}"
        lines.append(f"{name:<24}{count:>8}{s_med:>9.1f} ms{s_95:>9.1f} ms{d_med:>9.1f} ms{d_95:>9.1f} ms"
                     f"{ratio}{r_med:>13.1f} ms")
    all_p95 = [percentile(r[2], 95) * 1000 for r in rows]
    lines.append(f"worst server p95 {max(all_p95):.1f} ms; median of the p95s {statistics.median(all_p95):.1f} ms")
    return "\n".join(lines)
