"""`make soak`: traffic for 20 minutes against a host on PostgreSQL and Redis, a release every few minutes, and one
fault after another (Redis down, the users database down, a worker killed, the mail server down); reports the
requests, the errors by status, and the recovery time of each fault.

Recovery: from the fault cleared to the first success of what it took away (/readyz back to ready, a signed-in
page, a worker in the killed one's place, every digest sent). Exit status 1 on an error a fault does not explain,
or a digest lost or sent twice. `--minutes 5 --fault-seconds 20 --settle-seconds 20 --release-every 90` is a short
run with every fault once.
"""
import argparse
import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench import soak_swap
from bench.soak_host import SoakHost
from bench.soak_traffic import Traffic

FAULTS = ("redis", "postgres", "kill", "smtp")
# What a fault may cost users, by request kind: the users database down answers 503 to what needs an account.
ACCOUNT_KINDS = {"chart", "api", "account", "sign-in"}
UNDER_WAY = 2.0  # seconds: a request sent this long before a fault may still be under way when it strikes


@dataclass
class Fault:
    """One fault: when it began and was cleared, when what it took away came back, what it cost."""

    name: str
    started: float
    cleared: float = 0.0
    recovered: float | None = None
    what: str = ""
    outcomes: Counter = field(default_factory=Counter)
    unexpected: Counter = field(default_factory=Counter)


def _wait(condition, timeout=180.0):
    """Return the time condition() first holds (polled every 0.1 s), or None after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return time.monotonic()
        except Exception:  # the service is still coming back
            pass
        time.sleep(0.1)
    return None


def _first_success(traffic, moment, kinds):
    """Return a condition: some request of kinds sent after moment succeeded."""
    return lambda: traffic.first_success_after(moment, kinds)


def run_fault(name, host, traffic, seconds, release_lock):
    """Cause one fault for seconds (a kill is instant), clear it, and wait for what it took away to come back."""
    fault = Fault(name, time.monotonic())
    if name in ("redis", "postgres"):
        gate = host.redis if name == "redis" else host.postgres
        gate.shut()
        time.sleep(seconds)
        gate.open()
        fault.cleared = time.monotonic()
        if name == "redis":
            fault.recovered, fault.what = _wait(lambda: host.ready() == "ready"), "/readyz ready"
        else:
            found = _wait(_first_success(traffic, fault.cleared, {"account"}))
            fault.recovered, fault.what = found and traffic.first_success_after(fault.cleared, {"account"}), \
                "a signed-in page"
    elif name == "kill":
        victim = host.kill_worker()
        fault.cleared = time.monotonic()
        fault.recovered = _wait(lambda: len(host.worker_pids()) == host.workers and victim not in host.worker_pids())
        fault.what = "a worker in the killed one's place"
    else:
        host.smtp_down()
        with release_lock:  # a release during the outage: a digest that has to wait for the mail server
            host.release()
        time.sleep(max(0.0, fault.started + seconds - time.monotonic()))
        host.smtp_up()
        fault.cleared = time.monotonic()
        fault.recovered, fault.what = _wait(lambda: set(host.deliveries()) <= {"sent"}), "every digest sent"
    return fault


def account(fault, traffic, end):
    """Count what the requests sent during a fault (until recovery) got, and which of those it does not explain."""
    for _, kind, status in traffic.between(fault.started - UNDER_WAY, end):
        fault.outcomes[status] += 1
        if status in (200, 204, 302, 303):
            continue
        expected = (fault.name == "postgres" and status == 503 and kind in ACCOUNT_KINDS) or \
                   (fault.name == "kill" and isinstance(status, str))
        if not expected:
            fault.unexpected[(kind, status)] += 1


def releases_every(host, seconds, stop, lock):
    """Load a new release every seconds until stop is set."""
    while not stop.wait(seconds):
        with lock:
            release, took, code = host.release()
        print(f"  {time.strftime('%H:%M:%S')} release {release} loaded in {took:.1f} s (exit {code})", flush=True)


def soak(minutes, fault_seconds, settle_seconds, release_every, clients):
    """Run the soak; return (traffic records, faults, host facts) for the report."""
    host = SoakHost().start()
    traffic = Traffic(host, clients=clients).start()
    stop, lock = threading.Event(), threading.Lock()
    releaser = threading.Thread(target=releases_every, args=(host, release_every, stop, lock), daemon=True)
    faults = []
    started = time.monotonic()
    deadline = started + minutes * 60
    try:
        releaser.start()
        time.sleep(settle_seconds)
        for name in itertools.cycle(FAULTS):
            if time.monotonic() + fault_seconds + settle_seconds > deadline:
                break
            fault = run_fault(name, host, traffic, fault_seconds, lock)
            faults.append(fault)
            took = "never" if fault.recovered is None else f"{fault.recovered - fault.cleared:.2f} s"
            print(f"  {time.strftime('%H:%M:%S')} {name}: {fault.what} after {took}", flush=True)
            time.sleep(settle_seconds)
        time.sleep(max(0.0, deadline - time.monotonic()))
        stop.set()
        releaser.join(timeout=600)
        traffic.stop()
        _wait(lambda: set(host.deliveries()) <= {"sent"}, timeout=120)
        for fault in faults:
            account(fault, traffic, fault.recovered or fault.cleared)
        facts = {"seconds": time.monotonic() - started, "releases": list(host.releases),
                 "deliveries": host.deliveries(), "mail": list(host.mailbox.messages), "clients": clients}
        return traffic.records, faults, facts
    finally:
        stop.set()
        traffic.stop()
        host.stop()


def report(records, faults, facts):
    """Print the figures; return the number of problems (unexplained errors, digests lost or sent twice)."""
    statuses = Counter(status for _, _, status in records)
    print(f"\nSoak: {facts['seconds'] / 60:.1f} min, {facts['clients']} clients, {len(records)} requests "
          f"({len(records) / facts['seconds']:.0f}/s): " + ", ".join(f"{k}: {v}" for k, v in statuses.most_common()))
    by_kind = Counter((kind, status) for _, kind, status in records)
    for kind in sorted({kind for _, kind, _ in records}):
        print(f"  {kind:8} " + ", ".join(f"{status}: {n}" for (k, status), n in sorted(by_kind.items(), key=str)
                                          if k == kind))
    loaded = [r for r in facts["releases"][1:] if r[2] == 0]
    print(f"Releases: {len(facts['releases']) - 1} loaded during the soak ({len(loaded)} without error), "
          f"median {sorted(r[1] for r in loaded)[len(loaded) // 2] if loaded else 0:.1f} s each")
    print(f"\n{'fault':9} {'at':>6} {'lasted':>7} {'requests':>8}  {'recovery':>9}  outcomes (what came back)")
    problems = 0
    start = min((r[0] for r in records), default=0.0)
    for fault in faults:
        recovery = "never" if fault.recovered is None else f"{fault.recovered - fault.cleared:.2f} s"
        outcomes = ", ".join(f"{k}: {v}" for k, v in fault.outcomes.most_common())
        print(f"{fault.name:9} {fault.started - start:6.0f} {fault.cleared - fault.started:6.1f}s "
              f"{sum(fault.outcomes.values()):8}  {recovery:>9}  {outcomes} ({fault.what})")
        if fault.unexpected:
            print(f"          unexpected: {dict(fault.unexpected)}")
        problems += sum(fault.unexpected.values()) + (fault.recovered is None)
    windows = [(f.started - UNDER_WAY, f.recovered or f.cleared) for f in faults]
    outside = [(kind, status) for t, kind, status in records if status not in (200, 204, 302, 303)
               and not any(a <= t < b for a, b in windows)]
    print(f"Errors outside any fault: {len(outside)} {dict(Counter(outside)) if outside else ''}")
    digests = [subject for _, subject in facts["mail"] if "alert" in subject]
    expected = len([r for r in facts["releases"][1:] if r[2] == 0])
    twice = len(digests) - len(set(digests))
    print(f"Digests: {expected} releases to tell, {len(set(digests))} sent, {twice} sent twice; "
          f"deliveries by status {facts['deliveries']}")
    return problems + len(outside) + twice + abs(expected - len(set(digests)))


def main():
    """Run the soak and exit non-zero on any problem."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--fault-seconds", type=float, default=45.0, help="how long each outage lasts")
    parser.add_argument("--settle-seconds", type=float, default=45.0, help="calm between two faults")
    parser.add_argument("--release-every", type=float, default=240.0, help="seconds between releases")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--swap-only", action="store_true",
                        help="instead: chart callbacks under wrk for --seconds, the serving file swapped halfway")
    parser.add_argument("--seconds", type=int, default=180, help="with --swap-only: how long")
    args = parser.parse_args()
    if args.swap_only:
        raise SystemExit(soak_swap.run(args.seconds))
    records, faults, facts = soak(args.minutes, args.fault_seconds, args.settle_seconds, args.release_every,
                                  args.clients)
    problems = report(records, faults, facts)
    print(f"Problems: {problems}")
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
