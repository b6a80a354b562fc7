"""`python -m bench.soak --swap-only`: chart callbacks under wrk on loopback, an export swapping the serving file midway."""
import argparse
import json
import threading
import time

from tests.harness import env
from bench.load import describe, run_wrk
from tests.harness.charts import chart_bodies


def soak(seconds):
    """Load chart callbacks for `seconds`, export at half time; return wrk's figures."""
    data_dir = env.workdir()
    print(f"Data: {env.prepare_data(data_dir)}")
    server, session = env.serve(data_dir)
    try:
        bodies = [json.dumps(body) for _, body in chart_bodies(server, session)]
        swap = threading.Timer(seconds / 2, env.run_export, args=(server,))
        swap.start()
        started = time.monotonic()
        figures = run_wrk(server.url, "/_dash-update-component", bodies, method="POST",
                          headers=env.callback_headers(session), seconds=seconds, connections=8)
        swap.join()
        print(f"\nSoak: {seconds} s of {len(bodies)} chart callbacks, serving file swapped at "
              f"{seconds / 2:.0f} s (took {time.monotonic() - started:.0f} s in all)")
        print(describe("callbacks during swap", figures))
        return figures
    finally:
        server.stop()


def run(seconds):
    """Run the swap soak; return 1 on any failed request, else 0."""
    figures = soak(seconds)
    failed = figures["non2xx"] + figures["socket_errors"] + figures["timeouts"]
    print(f"  failed requests: {failed}")
    return 1 if failed else 0
