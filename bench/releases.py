"""Export time, serving-file size and web-worker RSS with 1, 5 and 20 releases of the real data.

Run: .venv/bin/python -m bench.releases [--counts 1,5,20] [--no-rss]
"""
import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from tests.harness.live import RAW_ZIP
from data import iceberg
from data.export import export
from data.ingest import read_source
from data.pipeline import content_hash


def _edited(base, rng, share=0.01):
    """Return base with a share of its values revised by up to +-3%."""
    values = base["value"].to_numpy().copy()
    picked = rng.random(len(values)) < share
    values[picked] *= rng.uniform(0.97, 1.03, picked.sum())
    return base.set_column(base.schema.get_field_index("value"), "value", pa.array(values))


def _worker_rss(data_dir):
    """Return the peak RSS (MB) of the gunicorn workers after API and chart-size requests."""
    from tests.harness.env import serve
    from bench.memory import worker_peak_rss_mb

    server, session = serve(data_dir, workers=2, threads=2)
    try:
        for _ in range(20):
            session.get(f"{server.url}/api/v1/metrics", params={"metric": ["production", "exports"]}, timeout=30)
            session.get(f"{server.url}/healthz", timeout=10)
        return max(peak for peak, _ in worker_peak_rss_mb(server.proc.pid).values())
    finally:
        server.stop()


def main():
    """Build releases in a temp dir and print the figures at each count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", default="1,5,20")
    parser.add_argument("--no-rss", action="store_true", help="Skip starting gunicorn to measure worker RSS.")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))
    base, kind = read_source(str(RAW_ZIP))
    rng = np.random.default_rng(5)
    with tempfile.TemporaryDirectory() as tmp:
        config = {"BEANFLOWS_DATA_DIR": str(Path(tmp) / "data")}
        table = iceberg.open_table(iceberg.open_catalog(config), create=True)
        print(f"{'releases':>8}  {'export s':>8}  {'serving MB':>10}  {'worker peak RSS MB':>18}")
        for number in range(1, counts[-1] + 1):
            values = base if number == 1 else _edited(base, rng)
            release = {"release_id": f"{2020 + (number - 1) // 12}-{(number - 1) % 12 + 1:02d}",
                       "content_hash": content_hash(values)}
            iceberg.write_load(table, values, f"bench release {number}", kind, release)
            if number in counts:
                started = time.perf_counter()
                path = export(config)
                seconds = time.perf_counter() - started
                rss = "-" if args.no_rss else f"{_worker_rss(config['BEANFLOWS_DATA_DIR']):.0f}"
                print(f"{number:>8}  {seconds:>8.2f}  {path.stat().st_size / 1e6:>10.1f}  {rss:>18}", flush=True)


if __name__ == "__main__":
    main()
