"""Alert evaluation of 10,000 subscribers x 5 rules against one release, and the digest send rate over SMTP.

Run: .venv/bin/python -m bench.alerts [--users 10000] [--send 300]
"""
import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.releases import _edited
from data import pipeline
from data.sources.psd import read_source
from tests.harness.live import RAW_ZIP, SECRET

KINDS = [("revision", "production"), ("revision", "exports"), ("stocks_to_use", "stocks_to_use_pct"),
         ("drawdown", "ending_stocks"), ("revision", "ending_stocks")]


def _load_releases(config, rng):
    """Load the real file and an edited copy as two releases; return the second's id."""
    base, kind = read_source(str(RAW_ZIP))
    pipeline.store(config, base, "bench release 1", kind, release_id="2025-01")
    pipeline.store(config, _edited(base, rng, share=0.05), "bench release 2", kind, release_id="2025-04", force=True)
    return "2025-04"


def _users_and_rules(app, users, rng, countries):
    """Insert users subscribed by grant, each with five rules on random countries and thresholds."""
    from extensions import db
    from models.accounts import User
    from models.alerts import AlertRule

    with app.app_context():
        db.session.execute(db.insert(User), [{"email": f"bench{i}@example.com", "password_hash": "x", "role": "user",
                                              "active": True, "access_granted": True, "session_version": 1,
                                              "cancel_at_period_end": False} for i in range(users)])
        ids = db.session.execute(db.select(User.id)).scalars().all()
        rules = [{"user_id": uid, "kind": kind, "metric": metric, "country_code": str(rng.choice(countries)),
                  "year_choice": "next" if rng.random() < 0.5 else "current",
                  "threshold_pct": float(rng.choice([0.5, 1, 2, 5, 20])), "active": True}
                 for uid in ids for kind, metric in KINDS]
        db.session.execute(db.insert(AlertRule), rules)
        db.session.commit()
        return len(rules)


def _send_rate(app, count):
    """Send count queued digests to a local aiosmtpd server; return (sent, seconds)."""
    from aiosmtpd.controller import Controller

    from alerts import deliveries
    from extensions import db
    from models.alerts import Delivery
    from tests.harness.live import free_port

    class Sink:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Sink.received += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
        with app.app_context():
            ids = db.session.execute(db.select(Delivery.id).where(Delivery.kind == "alerts").limit(count)).scalars().all()
            started = time.perf_counter()
            for delivery_id in ids:
                deliveries.deliver(delivery_id)
            return Sink.received, time.perf_counter() - started
    finally:
        controller.stop()


def main():
    """Parse the options and run the bench."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--send", type=int, default=300, help="digests to send to the local SMTP server")
    args = parser.parse_args()
    run(args.users, args.send)


def run(users=10_000, send=300):
    """Build the data and users, then print evaluation time and send rate."""
    from flask_migrate import upgrade

    from alerts import deliveries
    from alerts.evaluate import evaluate
    from app import create_app

    rng = np.random.default_rng(12)
    with tempfile.TemporaryDirectory() as tmp:
        config = {"TESTING": True, "SECRET_KEY": SECRET, "BEANFLOWS_DATA_DIR": str(Path(tmp) / "data"),
                  "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'users.db'}", "REDIS_URL": None,
                  "CACHE_TYPE": "SimpleCache", "RATELIMIT_STORAGE_URI": "memory://", "BASE_URL": "http://bench.test"}
        release = _load_releases(config, rng)
        app = create_app(config)
        with app.app_context():
            upgrade()
            from data.queries import metrics as queries
            countries = ["WORLD", *queries.countries()["country_code"].head(40)]
        rules = _users_and_rules(app, users, rng, countries)
        with app.app_context():
            started = time.perf_counter()
            _, per_user = evaluate(release)
            evaluated = time.perf_counter() - started
            queued = deliveries.create(release, per_user.keys(), "alerts")
            again = time.perf_counter()
            _, repeat = evaluate(release)
            repeated = time.perf_counter() - again
        print(f"alerts: {users:,} users x {len(KINDS)} rules = {rules:,} rules against release {release}: "
              f"{evaluated:.2f} s (target < 30 s), {sum(per_user.values()):,} firings for {len(per_user):,} users; "
              f"again: {repeated:.2f} s, {sum(repeat.values())} new firings")
        sent, seconds = _send_rate(app, min(send, len(queued)))
        print(f"alerts: {sent} digests sent to a local SMTP server (aiosmtpd) in {seconds:.2f} s: "
              f"{sent / seconds:.0f} emails/s")


if __name__ == "__main__":
    main()
