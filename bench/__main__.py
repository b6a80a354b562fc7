"""`make bench`: print the performance figures (see docs/performance.md)."""
import argparse

import duckdb

from bench import (alerts, callbacks, entitlement, figures, ingest, observability, publish, release_sync, releases,
                   serving)
from tests.harness import env
from tests.harness.live import RAW_ZIP
from bench.synthetic import synthetic_table


def main():
    """Run every benchmark on the real data, then on a 20x synthetic dataset."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30, help="requests per chart callback")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--skip-large", action="store_true", help="skip the 20x synthetic dataset")
    parser.add_argument("--skip-releases", action="store_true", help="skip 1, 5 and 20 releases of the real data")
    parser.add_argument("--rounds", type=int, default=3, help="alternating wrk rounds and page-load rounds")
    parser.add_argument("--budget", action="store_true",
                        help="only the speed budget: wrk (chart callbacks vs /healthz) and the page loads "
                             "(every dashboard vs a bare Dash app and a static page, and what each patch buys)")
    parser.add_argument("--load-only", action="store_true",
                        help="only the wrk rounds of the speed budget (chart callbacks vs /healthz), no page loads")
    parser.add_argument("--observability", action="store_true",
                        help="only the per-request cost of the metrics and usage logging on a cached chart callback")
    parser.add_argument("--entitlement", action="store_true",
                        help="only the cost of the live-user entitlement check on a cached chart callback, "
                             "for a user in no team and for team members")
    parser.add_argument("--ingest", action="store_true",
                        help="only `flask ingest` of the coffee and grains files end to end, and the serving build, "
                             "against DuckDB's own CSV-to-Parquet time (the floor)")
    parser.add_argument("--releases-sync", action="store_true",
                        help="only several hosts on a shared catalog: publish-to-serve time (Redis notice, polling), "
                             "build time at 1 and 20 releases, bytes read from the bucket (needs PostgreSQL, Redis)")
    args = parser.parse_args()
    if args.ingest:
        ingest.run()
        return
    if args.releases_sync:
        release_sync.run()
        return

    data_dir = env.workdir()
    label = env.prepare_data(data_dir)
    if args.load_only:
        serving.measure(data_dir, label, seconds=args.seconds, rounds=args.rounds, pages=False)
        return
    if args.observability:
        observability.run(data_dir, label)
        return
    if args.entitlement:
        entitlement.run(data_dir, label)
        return
    if args.budget:
        serving.measure(data_dir, label, seconds=args.seconds, rounds=args.rounds, page_repeat=max(5, args.rounds))
        return
    callbacks.run(data_dir, label, cache=False, repeat=args.repeat)
    callbacks.run(data_dir, label, cache=True, repeat=args.repeat)
    observability.run(data_dir, label)
    with duckdb.connect(str(data_dir / "serving.duckdb"), read_only=True) as con:
        figures.run(con)
    serving.measure(data_dir, label, seconds=args.seconds, rounds=args.rounds)
    ingest.run()
    if not args.skip_releases and RAW_ZIP.exists():
        publish.run(20)
        releases.run((1, 5, 20), repeat=args.repeat)
    alerts.run()  # 10,000 subscribers x 5 rules against one release, and the SMTP send rate
    if RAW_ZIP.exists():
        release_sync.run_if_available()  # several hosts on a shared catalog (PostgreSQL, Redis, moto S3)

    if args.skip_large or not RAW_ZIP.exists():
        return
    large_dir = env.workdir()
    table = synthetic_table(str(RAW_ZIP))
    large = f"{env.prepare_data(large_dir, table)} ({table.num_rows:,} values, 4 commodities, 5x countries)"
    callbacks.run(large_dir, large, cache=False, repeat=args.repeat)
    serving.measure(large_dir, large, seconds=args.seconds)


if __name__ == "__main__":
    main()
