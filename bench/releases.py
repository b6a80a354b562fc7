"""Export time, serving-file size, the changes page's callback p95 and web-worker RSS with 1, 5 and 20 releases.

Run: .venv/bin/python -m bench.releases [--counts 1,5,20] [--repeat 20] [--no-serve]
"""
import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from data.lake import psd as lake
from data.serving.export import export
from data.sources.psd import read_source
from tests.harness.live import RAW_ZIP


def _edited(base, rng, share=0.01):
    """Return base with a share of its values revised by up to +-3%."""
    values = base["value"].to_numpy().copy()
    picked = rng.random(len(values)) < share
    values[picked] *= rng.uniform(0.97, 1.03, picked.sum())
    return base.set_column(base.schema.get_field_index("value"), "value", pa.array(values))


def _served(data_dir, repeat):
    """Return (worst changes-callback server p95 ms, worker peak RSS MB) on a gunicorn with the query cache off."""
    from bench.callbacks import percentile, time_server
    from bench.memory import reset_peaks, worker_peak_rss_mb
    from callbacks import changes
    from tests.harness import dash_client as dc
    from tests.harness.charts import page_defaults
    from tests.harness.env import serve

    server, session = serve(data_dir, workers=2, threads=2, extra_env={"QUERY_CACHE_ENABLED": "0"})
    try:
        setup = reset_peaks(server.proc.pid)  # start and the login's argon2 check (64 MiB), as in bench.serving
        session.get(f"{server.url}/dashboards/overview", timeout=30)
        client = dc.DashClient(session, server.url)
        values = page_defaults(client, changes.PAGE)
        p95 = max(percentile(time_server(server, session, dc.body(client.find(s.ids.view, s.view_prop), values),
                                         repeat)[0], 95) * 1000 for s in changes.PAGE.charts)
        release = values[(changes.PAGE.component("old"), "value")]
        for _ in range(10):  # the other release readers: as_of and the overview as published
            session.get(f"{server.url}/api/v1/metrics", params={"metric": ["production", "exports"],
                                                                "as_of": release}, timeout=30)
            session.get(f"{server.url}/dashboards/overview", params={"release": release}, timeout=30)
            session.get(f"{server.url}/api/v1/metrics", params={"metric": ["production", "exports"]}, timeout=30)
        serving = max(peak for peak, _ in worker_peak_rss_mb(server.proc.pid).values())
        return p95, (serving, max(peak for peak, _ in setup.values()))
    finally:
        server.stop()


def run(counts=(1, 5, 20), repeat=20, serve=True):
    """Build releases in a temp dir and print the figures at each count."""
    counts = sorted(counts)
    base, kind = read_source(str(RAW_ZIP))
    rng = np.random.default_rng(5)
    print(f"\nReleases of the real data, each revising 1% of the values; changes page callbacks: worst server "
          f"p95 of its three charts over {repeat} requests, query cache off; "
          f"gunicorn 2 workers x 2 threads")
    with tempfile.TemporaryDirectory() as tmp:
        config = {"BEANFLOWS_DATA_DIR": str(Path(tmp) / "data")}
        print(f"{'releases':>8}  {'export s':>8}  {'serving MB':>10}  {'changes p95 ms':>14}  "
              f"{'worker peak RSS MB: serving':>27}  {'start and login':>15}")
        for number in range(1, counts[-1] + 1):
            values = base if number == 1 else _edited(base, rng)
            release_id = f"{2020 + (number - 1) // 12}-{(number - 1) % 12 + 1:02d}"
            lake.write(config, values, f"bench release {number}", kind, force=True, release_id=release_id)
            if number in counts:
                started = time.perf_counter()
                path = export(config)
                seconds = time.perf_counter() - started
                p95, rss = _served(config["BEANFLOWS_DATA_DIR"], repeat) if serve else (None, None)
                p95 = "-" if p95 is None else f"{p95:.1f}"
                rss, setup = ("-", "-") if rss is None else (f"{rss[0]:.0f}", f"{rss[1]:.0f}")
                print(f"{number:>8}  {seconds:>8.2f}  {path.stat().st_size / 1e6:>10.1f}  {p95:>14}  {rss:>27}  "
                      f"{setup:>15}", flush=True)


def main():
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", default="1,5,20")
    parser.add_argument("--repeat", type=int, default=20, help="requests per changes callback")
    parser.add_argument("--no-serve", action="store_true", help="Skip gunicorn (callback p95 and worker RSS).")
    args = parser.parse_args()
    run([int(c) for c in args.counts.split(",")], args.repeat, not args.no_serve)


if __name__ == "__main__":
    main()
