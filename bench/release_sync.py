"""Several hosts on one shared catalog: publish-to-serve time, per-host build time and bytes read from the bucket.

PostgreSQL catalog (127.0.0.1:5432, database `test` to create scratch databases), Redis (127.0.0.1:6379) and
moto's S3 server (a stand-in for R2/S3, started here) must be available.
Run: .venv/bin/python -m bench.release_sync [--publishes 5] [--counts 1,20]
"""
import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import psycopg
import requests

from bench.releases import _edited
from data.serving import export
from data.lake import iceberg
from data import pipeline
from data.sources.psd import read_source
from data.lake.psd import content_hash
from tests.harness.live import RAW_ZIP, SECRET, migrate_database, start_server
from tests.harness.s3 import S3Store

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


class Databases:
    """Scratch PostgreSQL databases, dropped at the end."""

    def __init__(self):
        self.admin = psycopg.connect(ADMIN_URL, autocommit=True)
        self.names = []

    def make(self):
        """Create a database; return its SQLAlchemy URL."""
        name = f"beanflows_bench_{uuid.uuid4().hex[:10]}"
        self.admin.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    def drop(self):
        """Drop every database made here."""
        iceberg._shared_catalog.cache_clear()  # its pools hold connections to them
        for name in self.names:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.close()


def _release(number):
    """Return release number's id (YYYY-MM from 2020-01 on)."""
    return f"{2020 + (number - 1) // 12}-{(number - 1) % 12 + 1:02d}"


def _publish(config, base, rng, number):
    """Store release number (the real data, 1% of it revised) in the shared catalog; return its id."""
    values = base if number == 1 else _edited(base, rng)
    summary = pipeline.store(config, values, f"bench release {number}", "usda", force=True,
                             release_id=_release(number), export=False)
    assert summary["new"], summary
    return summary["release_id"]


def builds(databases, store, base, counts, repeat=3):
    """Print a host's serving-file build time and the bytes it reads from the bucket, at each release count."""
    rng = np.random.default_rng(5)
    config = {"BEANFLOWS_DATA_DIR": tempfile.mkdtemp(prefix="bench-publisher-"),
              "ICEBERG_CATALOG_URI": databases.make(), **store.warehouse()}
    print(f"\nServing-file build per host from the shared catalog (PostgreSQL + moto S3 on loopback), "
          f"real data, median of {repeat} builds")
    print(f"{'releases':>8}  {'build s':>8}  {'MB sent by the bucket (HTTP, headers included)':>46}")
    for number in range(1, max(counts) + 1):
        _publish(config, base, rng, number)
        if number not in counts:
            continue
        seconds, read = [], []
        for _ in range(repeat):
            host = {**config, "BEANFLOWS_DATA_DIR": tempfile.mkdtemp(prefix="bench-host-")}
            before, started = store.gate.bytes_served, time.perf_counter()
            export.export(host)
            seconds.append(time.perf_counter() - started)
            read.append(store.gate.bytes_served - before)
        print(f"{number:>8}  {statistics.median(seconds):>8.2f}  {statistics.median(read) / 1e6:>46.2f}", flush=True)


def _served(host):
    """Return the release host serves (its /readyz)."""
    try:
        return requests.get(f"{host.url}/readyz", timeout=5).json()["release"]["served"]
    except (requests.RequestException, ValueError, KeyError):
        return None


def publish_to_serve(databases, store, base, publishes):
    """Print the seconds from a publish to both of two hosts serving it: with a Redis notice, then polling only.

    Polling only, each release is published at a random moment of the hosts' poll cycle, so the median is
    about half the poll interval plus a build.
    """
    rng = np.random.default_rng(7)
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    shared = {"SECRET_KEY": SECRET, "DATABASE_URL": databases.make(), "REDIS_URL": REDIS_URL,
              "REDIS_KEY_PREFIX": f"bf-bench-{uuid.uuid4().hex[:8]}", "ICEBERG_CATALOG_URI": databases.make(),
              **store.warehouse()}
    publisher = {**shared, "BEANFLOWS_DATA_DIR": str(tmp / "publisher")}
    number = 1
    _publish(publisher, base, rng, number)
    migrate_database(shared["DATABASE_URL"], tmp / "publisher")
    hosts = [start_server({**shared, "BEANFLOWS_DATA_DIR": str(tmp / name)}, workers=2, threads=2)
             for name in ("host-a", "host-b")]
    poll = 30.0  # RELEASE_POLL_SECONDS's default
    print(f"\nPublish to serve: seconds from a release's commit to both of two hosts serving it (gunicorn 2x2 each, "
          f"RELEASE_POLL_SECONDS={poll:.0f}, real data), median of {publishes}")
    try:
        deadline = time.monotonic() + 120
        while not all(_served(host) == _release(1) for host in hosts):
            assert time.monotonic() < deadline, "hosts did not build their first file"
            time.sleep(0.2)
        for label, notice in (("Redis notice", True), ("polling only", False)):
            times = []
            for _ in range(publishes):
                if not notice:  # publish at a random point of the hosts' poll cycle, not just after a check
                    time.sleep(rng.uniform(0, poll))
                number += 1
                config = publisher if notice else {**publisher, "REDIS_URL": None}
                release_id = _publish(config, base, rng, number)
                table = iceberg.open_table(iceberg.open_catalog(config))
                committed = table.current_snapshot().timestamp_ms / 1000
                while not all(_served(host) == release_id for host in hosts):
                    assert time.time() - committed < poll + 120, f"{release_id} not served"
                    time.sleep(0.05)
                times.append(time.time() - committed)
            print(f"  {label:<13} median {statistics.median(times):6.1f} s  "
                  f"(each: {', '.join(f'{t:.1f}' for t in times)})", flush=True)
    finally:
        for host in hosts:
            host.stop()


def run(publishes=5, counts=(1, 20)):
    """Run both measurements on fresh databases and a fresh moto server."""
    base, _ = read_source(str(RAW_ZIP))
    databases, store = Databases(), S3Store()
    try:
        publish_to_serve(databases, store, base, publishes)
        builds(databases, store, base, counts)
    finally:
        store.stop()
        databases.drop()


def run_if_available():
    """Run when PostgreSQL and Redis answer; else say why the figures are missing."""
    import redis

    try:
        psycopg.connect(ADMIN_URL, connect_timeout=3).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except (psycopg.OperationalError, redis.RedisError) as exc:
        print(f"\nSeveral hosts on a shared catalog: skipped ({type(exc).__name__}: PostgreSQL on 127.0.0.1:5432 "
              "and Redis on 127.0.0.1:6379 are needed)")
        return
    run()


def main():
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--publishes", type=int, default=5, help="releases published per way of noticing")
    parser.add_argument("--counts", default="1,20", help="release counts at which a build is timed")
    args = parser.parse_args()
    run(args.publishes, tuple(int(c) for c in args.counts.split(",")))


if __name__ == "__main__":
    main()
