"""The cost of the live-user entitlement check on a cached chart callback: a subscriber in no team vs team members."""
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.callbacks import percentile
from bench.observability import CHART, WARM_UP, _form_token
from tests.harness import dash_client as dc
from tests.harness.live import PASSWORD, SECRET

# Who is timed: (label, email, own subscription, member of the active team).
USERS = (("no team, own subscription", "solo@example.com", True, False),
         ("team member, own subscription", "both@example.com", True, True),
         ("team member, access through the team", "member@example.com", False, True))
TEAM_SIZE = 10  # the other seats of the team, so its lookups are not of a one-row table


def _app(data_dir):
    """Return an app on data_dir with a fresh users database holding USERS and an active team of TEAM_SIZE + 2."""
    from flask_migrate import upgrade

    from app import create_app
    from auth.users import create_user
    from extensions import db
    from models.teams import Team, TeamMember

    users = Path(tempfile.mkdtemp(prefix="bench-entitlement-")) / "users.db"
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{users}",
                      "BEANFLOWS_DATA_DIR": str(data_dir), "RATELIMIT_STORAGE_URI": "memory://",
                      "CACHE_TYPE": "SimpleCache", "USAGE_FLUSH_SIZE": 10**9, "USAGE_FLUSH_SECONDS": 3600,
                      "ARGON2_PROFILE": "CHEAPEST"})
    with app.app_context():
        upgrade()
        made = {email: create_user(email, PASSWORD) for _, email, _, _ in USERS}
        others = [create_user(f"seat{i}@example.com", PASSWORD) for i in range(TEAM_SIZE)]
        team = Team(name="Bench desk", owner_id=others[0].id, seats=TEAM_SIZE + 2, subscription_status="active")
        db.session.add(team)
        db.session.flush()
        for _, email, own, in_team in USERS:
            made[email].subscription_status = "active" if own else None
            if in_team:
                db.session.add(TeamMember(team_id=team.id, user_id=made[email].id, role="member"))
        db.session.add_all(TeamMember(team_id=team.id, user_id=u.id, role="owner" if i == 0 else "member")
                           for i, u in enumerate(others))
        db.session.commit()
    return app


def _client(app, email):
    """Return (logged-in test client, chart callback body or None when refused, CSRF token)."""
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": _form_token(client)})
    try:
        body = dc.drawn_body(client, "/dashboards/production", *CHART)
    except Exception:  # the page or its layout refused: this code gives this user no access
        return client, None, None
    return client, body, client.get_cookie("_csrf_token").value


def _timers():
    """Wrap the live-user query and the entitlement test the gate runs with timers; return {name: [seconds]}."""
    from auth import access, login_sessions

    spent = {"live user": [], "is_subscriber": []}

    def timed(module, attribute, key):
        real = getattr(module, attribute)

        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                spent[key].append(time.perf_counter() - started)
        setattr(module, attribute, run)
        return lambda: setattr(module, attribute, real)

    undo = [timed(login_sessions, "live_user", "live user"), timed(access, "is_subscriber", "is_subscriber")]
    return spent, lambda: [u() for u in undo]


def run(data_dir, label, repeat=2000):
    """Time `repeat` cached chart callbacks per user, interleaved in random order; print p50 and p99."""
    app = _app(data_dir)
    clients = {name: _client(app, email) for name, email, _, _ in USERS}
    refused = [name for name, (_, body, _) in clients.items() if body is None]
    timed = [name for name in clients if name not in refused]
    spent, undo = _timers()
    times = {name: {"request": [], "live user": [], "is_subscriber": []} for name in timed}
    rng = random.Random(24)
    order = [name for _ in range(repeat) for name in rng.sample(timed, len(timed))]
    try:
        for i, name in enumerate([n for n in timed for _ in range(WARM_UP)] + order):
            client, body, csrf = clients[name]
            for values in spent.values():
                values.clear()
            started = time.perf_counter()
            response = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf})
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"chart callback for {name} failed: {response.status_code}")
            if i >= WARM_UP * len(timed):  # the first answers fill the response cache
                times[name]["request"].append(elapsed)
                for key, values in spent.items():
                    times[name][key].append(sum(values))
    finally:
        undo()
    print(f"\nEntitlement check on a cached chart callback ({CHART[0]}), {label}: in-process, SQLite, {repeat} "
          f"requests per user in random order; a team of {TEAM_SIZE + 2} members with an active subscription")
    print(f"{'':<40}{'request p50':>13}{'p99':>10}{'live user p50':>15}{'p99':>10}{'is_subscriber p50':>19}{'p99':>10}")
    for name in timed:
        cells = "".join(f"{statistics.median(ms):>{w1}.3f}{percentile(ms, 99):>10.3f}"
                        for ms, w1 in ((_ms(times[name]["request"]), 13), (_ms(times[name]["live user"]), 15),
                                       (_ms(times[name]["is_subscriber"]), 19)))
        print(f"{name:<40}{cells}   (ms)")
    for name in refused:
        print(f"{name:<40}refused: this code gives no subscriber access through a team")
    if timed:
        base = statistics.median(times[timed[0]]["request"]) * 1000
        for name in timed[1:]:
            print(f"{name}: {statistics.median(times[name]['request']) * 1000 - base:+.3f} ms at p50 against "
                  f"{timed[0]}")


def _ms(seconds):
    """Return seconds as milliseconds."""
    return [s * 1000 for s in seconds]
