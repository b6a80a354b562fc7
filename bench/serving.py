"""Throughput, page load and memory of a gunicorn-served app on one dataset."""
import json

from bench import env, memory, pageload
from bench.callbacks import chart_bodies
from bench.load import describe, run_wrk


def measure(data_dir, label, seconds=10, workers=2, threads=2, connections=8, page_repeat=5):
    """Serve data_dir and print load, page-load and RSS figures; return them."""
    server, session = env.serve(data_dir, workers=workers, threads=threads)
    try:
        paths = env.dashboard_paths(server, session)
        bodies = [json.dumps(body) for _, body in chart_bodies(server, session)]
        headers = env.callback_headers(session)
        run_wrk(server.url, "/_dash-update-component", bodies, "POST", headers, seconds=2, connections=connections)
        health = run_wrk(server.url, "/healthz", seconds=seconds, connections=connections)
        mix = run_wrk(server.url, "/_dash-update-component", bodies, "POST", headers, seconds=seconds,
                      connections=connections)
        pages = pageload.measure(server, session, paths, repeat=page_repeat)
        rss = memory.worker_peak_rss_mb(server.proc.pid)
    finally:
        server.stop()
    print(f"\nUnder load on {label}: wrk, {connections} connections, {seconds} s each, gunicorn {workers} workers x "
          f"{threads} threads, query cache on (warm)")
    print(describe("/healthz (ceiling)", health))
    print(describe(f"mix of {len(bodies)} chart callbacks", mix))
    print(f"  chart callbacks / healthz throughput: {mix['rps'] / health['rps']:.2f}")
    pageload.report(pages)
    print("\nPeak RSS per gunicorn worker (VmHWM), after the load and page loads")
    for pid, (peak, current) in sorted(rss.items()):
        print(f"  worker {pid}: peak {peak:6.1f} MB, now {current:6.1f} MB")
    return {"health": health, "mix": mix, "pages": pages, "rss": rss}
