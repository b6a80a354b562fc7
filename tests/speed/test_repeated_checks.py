"""What a page's burst of callbacks repeats is checked on every request: CSRF tokens, callback bodies and who sends them."""
from tests.billing.conftest import add_user, login
from tests.harness import dash_client as dc


def _chart_bodies(client, page="overview"):
    """Return a dashboard's chart callback bodies as the page sets its filters, and the CSRF token."""
    client.get(f"/dashboards/{page}")
    csrf = client.get_cookie("_csrf_token").value
    deps = client.get("/_dash-dependencies").get_json()
    router = dc.body(dc.find(deps, dc.ROUTER_OUTPUT), {(dc.ROUTER_LOCATION, "pathname"): f"/dashboards/{page}",
                                                      (dc.ROUTER_LOCATION, "search"): ""})
    props = dc.walk_props(client.post("/_dash-update-component", json=router, headers={"X-CSRFToken": csrf})
                          .get_json()["response"][dc.ROUTER_OUTPUT]["children"])
    values = {(cid, prop): value for cid, p in props.items() for prop, value in p.items()}
    charts = [dc.body(spec, values) for spec in deps
              if spec["output"].startswith(f"..{page}-") and "graph.figure" in spec["output"]]
    assert len(charts) >= 2
    return charts, csrf


def _subscriber(app, client, email, page="overview"):
    """Log a subscriber in on client and return a dashboard's chart bodies and CSRF token."""
    login(client, app, add_user(app, email, access_granted=True))
    return _chart_bodies(client, page)


def _post(client, body, token):
    """POST one callback body with a header token, as dash-renderer does."""
    return client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": token})


def test_every_callback_of_a_burst_checks_its_csrf_token(app, client, monkeypatch):
    import flask_wtf.csrf

    charts, csrf = _subscriber(app, client, "csrf-burst@example.com")
    checks = []
    original = flask_wtf.csrf.validate_csrf
    monkeypatch.setattr(flask_wtf.csrf, "validate_csrf", lambda *a, **k: checks.append(1) or original(*a, **k))
    for _ in range(3):
        for body in charts:
            assert _post(client, body, csrf).status_code == 200
    assert len(checks) == 3 * len(charts)


def test_a_wrong_or_missing_token_right_after_a_good_one_is_refused(app, client):
    charts, csrf = _subscriber(app, client, "csrf-wrong@example.com")
    assert _post(client, charts[0], csrf).status_code == 200
    assert _post(client, charts[0], csrf[:-2] + ("AA" if not csrf.endswith("AA") else "BB")).status_code == 400
    assert client.post("/_dash-update-component", json=charts[0]).status_code == 400
    assert _post(client, charts[0], csrf).status_code == 200


def test_a_token_accepted_for_one_session_is_refused_for_another(app, client):
    charts, csrf = _subscriber(app, client, "csrf-first@example.com")
    assert _post(client, charts[0], csrf).status_code == 200
    other = app.test_client()
    _subscriber(app, other, "csrf-second@example.com")
    assert _post(other, charts[0], csrf).status_code == 400  # its session holds another raw token


def test_the_same_body_is_judged_for_each_sender(app, client):
    charts, csrf = _subscriber(app, client, "verdict-sub@example.com", "production")  # subscribers only
    assert _post(client, charts[0], csrf).status_code == 200
    free = app.test_client()
    login(free, app, add_user(app, "verdict-free@example.com"))
    free.get("/dashboards/overview")
    # The same bytes a subscriber just sent: judged again, body and sender.
    assert _post(free, charts[0], free.get_cookie("_csrf_token").value).status_code == 403
    anonymous = app.test_client()
    anonymous.get("/")
    assert _post(anonymous, charts[0], anonymous.get_cookie("_csrf_token").value).status_code == 401


def test_a_body_judged_malformed_stays_malformed_and_a_good_one_stays_good(app, client):
    charts, csrf = _subscriber(app, client, "verdict-shape@example.com")
    bad = {**charts[0], "inputs": charts[0]["inputs"][:-1]}
    for _ in range(2):
        assert _post(client, bad, csrf).status_code == 400
        assert _post(client, charts[0], csrf).status_code == 200
    not_json = client.post("/_dash-update-component", data=client.application.json.dumps(charts[0]),
                           headers={"X-CSRFToken": csrf, "Content-Type": "text/plain"})
    assert 400 <= not_json.status_code < 500


def test_an_integer_past_64_bits_in_a_chart_input_is_a_4xx_or_a_drawn_chart(app, client):
    charts, csrf = _subscriber(app, client, "bigint@example.com")
    body = {**charts[0], "inputs": [{**item, "value": 2 ** 70} for item in charts[0]["inputs"]]}
    assert _post(client, body, csrf).status_code in (200, 204, 400)


def test_declared_endpoints_skip_the_rate_limit_lookup_only_while_no_app_wide_limit_is_set(app, monkeypatch):
    from extensions import limiter
    from web import unlimited

    with app.test_request_context("/healthz"):
        assert unlimited._unlimited()
    with app.test_request_context("/login", method="POST"):
        assert not unlimited._unlimited()
    monkeypatch.setattr(type(limiter.limit_manager), "default_limits", property(lambda self: ["10/minute"]))
    with app.test_request_context("/healthz"):
        assert not unlimited._unlimited()
