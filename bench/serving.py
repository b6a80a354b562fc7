"""Throughput, page load and memory of a gunicorn-served app on one dataset."""
import json
import statistics

from bench import memory, pageload, transport
from tests.harness import env
from tests.harness.charts import chart_bodies
from bench.load import alternate, describe


def measure(data_dir, label, seconds=10, workers=2, threads=2, connections=8, page_repeat=5, rounds=3,
            pages=True):
    """Serve data_dir and print load, page-load (unless pages is False) and RSS figures; return them."""
    server, session = env.serve(data_dir, workers=workers, threads=threads)
    try:
        # The bench user's login checked an argon2 hash (64 MiB) in one worker: count serving from here.
        setup = memory.reset_peaks(server.proc.pid)
        paths = env.dashboard_paths(server, session)
        bodies = [json.dumps(body) for _, body in chart_bodies(server, session)]
        headers = env.callback_headers(session)
        health, mix = alternate(server.url, bodies, headers, seconds, connections, rounds, server.proc.pid)
        pages = pageload.measure(server, session, paths, repeat=page_repeat) if pages else None
        rss = memory.worker_peak_rss_mb(server.proc.pid)
        recorded = transport.record(server.url, [("GET", "/healthz", "", {})] + [
            ("POST", "/_dash-update-component", body, headers) for body in bodies])
    finally:
        server.stop()
    replay = transport.replay_rounds(recorded, bodies, headers, seconds, connections, rounds, workers, threads)
    print(f"\nUnder load on {label}: wrk, {connections} connections, {rounds} alternating rounds of {seconds} s, "
          f"gunicorn {workers} workers x {threads} threads, query cache on (warm)")
    for i, (h, m) in enumerate(zip(health, mix), 1):
        print(describe(f"round {i}: /healthz (ceiling)", h))
        print(describe(f"round {i}: {len(bodies)} chart callbacks", m))
    ratios = [m["rps"] / h["rps"] for h, m in zip(health, mix)]
    print(f"  chart callbacks / healthz throughput per round: {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"median {statistics.median(ratios):.2f} (budget >= 0.75)")
    p99s = [m["p99_us"] / 1000 for m in mix]
    print(f"  chart callbacks p99 per round: {', '.join(f'{p:.1f}' for p in p99s)} ms; "
          f"median {statistics.median(p99s):.1f} ms (budget <= 30 ms)")
    print(f"\nThe same bytes replayed by a WSGI app that does no work (bench/replay_app.py), same gunicorn and wrk: "
          f"the transport's own ceiling for these answers")
    for i, (h, m) in enumerate(zip(*replay), 1):
        print(describe(f"round {i}: /healthz replayed", h))
        print(describe(f"round {i}: charts replayed", m))
    ceiling = [m["rps"] / h["rps"] for h, m in zip(*replay)]
    print(f"  replayed charts / replayed healthz per round: {', '.join(f'{r:.2f}' for r in ceiling)}; "
          f"median {statistics.median(ceiling):.2f} (no app code runs: the most any app could reach here)")
    _cpu_report(health, mix, *replay)
    if pages is not None:
        pageload.report(pages)
    print("\nPeak RSS per gunicorn worker (VmHWM) while serving the load and page loads; before them, the start "
          "and the bench user's login (an argon2 check holds 64 MiB while it runs)")
    for pid, (peak, current) in sorted(rss.items()):
        print(f"  worker {pid}: serving peak {peak:6.1f} MB, now {current:6.1f} MB; "
              f"start and login peak {setup.get(pid, (0, 0))[0]:6.1f} MB")
    return {"health": health, "mix": mix, "replay": replay, "pages": pages, "rss": rss, "setup_rss": setup}


def _cpu_median(runs, key):
    """Return the median over runs of one CPU-per-request figure, in microseconds."""
    return statistics.median(run[key] for run in runs)


def _cpu_report(health, mix, replay_health, replay_mix):
    """Print CPU per request (robust to other jobs) and the ratio it allows, served and replayed."""
    h, c = (_cpu_median(health, "server_cpu_us"), _cpu_median(mix, "server_cpu_us"))
    rh, rc = (_cpu_median(replay_health, "server_cpu_us"), _cpu_median(replay_mix, "server_cpu_us"))
    hw, cw = (_cpu_median(health, "client_cpu_us"), _cpu_median(mix, "client_cpu_us"))
    print(f"\nCPU a request, medians of the rounds (workers; wrk): /healthz {h:.0f}; {hw:.0f} us, charts {c:.0f}; {cw:.0f} us; "
          f"replayed /healthz {rh:.0f} us, replayed charts {rc:.0f} us")
    print(f"  the chart's app work over /healthz's: {(c - rc) - (h - rh):.0f} us; "
          f"ratio the CPU allows, served: {(h + hw) / (c + cw):.2f}")
    # The chart's transport and wrk's work stay; its app work is set equal to /healthz's (no checks, no cache read).
    print(f"  ratio if a chart's app work cost no more than /healthz's: {(h + hw) / (rc + (h - rh) + cw):.2f} "
          f"(the ceiling of any per-request checking at all)")
