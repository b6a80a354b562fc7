"""/alerts and /views: forms checked against the allow-lists, no open redirects, and no access to others' ids."""
import re

import pytest

from extensions import db
from models.accounts import User
from models.alerts import AlertRule, Firing, SavedView
from tests.auth.conftest import cli_user, client_login, form_token


def _login(app, email, *flags):
    """Return a test client logged in as a new user."""
    cli_user(app, email, *flags)
    client = app.test_client()
    assert client_login(client, email).status_code in (302, 303)
    return client


def _rule(client, **fields):
    """Post the new-rule form; return the response."""
    data = {"kind": "revision", "country_code": "BRA", "metric": "production", "year_choice": "next",
            "threshold_pct": "5", "active": "y", "csrf_token": form_token(client, "/alerts"), **fields}
    return client.post("/alerts", data=data)


def _save_view(client, url, pin=True, name="Brazil stocks"):
    """Post the save-view form; return the response."""
    data = {"name": name, "url": url, "csrf_token": form_token(client, "/alerts"), **({"pin": "y"} if pin else {})}
    return client.post("/views", data=data)


def test_rules_are_checked_against_the_allow_lists(app):
    client = _login(app, "sub@example.com", "--comp")
    assert _rule(client).status_code == 303
    for fields, reason in [({"country_code": "ZZZ"}, "Not a valid choice"), ({"kind": "crash"}, "Not a valid choice"),
                           ({"metric": "password_hash"}, "Not a valid choice"),
                           ({"kind": "drawdown", "threshold_pct": "150"}, "between 1 and 100"),
                           ({"threshold_pct": "lots"}, "Enter the threshold as a number"), ({"year_choice": "2099"}, "Not a valid choice")]:
        response = _rule(client, **fields)
        assert response.status_code == 400 and reason in response.get_data(as_text=True), fields
    with app.app_context():
        rules = db.session.execute(db.select(AlertRule)).scalars().all()
    assert [(r.kind, r.country_code, r.metric, r.year_choice, r.threshold_pct) for r in rules] == \
        [("revision", "BRA", "production", "next", 5.0)]
    assert _rule(client, kind="drawdown", country_code="WORLD", metric="exports").status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(AlertRule.metric).where(AlertRule.kind == "drawdown")).scalar_one() == "ending_stocks"


def test_saved_views_pin_a_release_and_refuse_other_sites(app):
    client = _login(app, "sub@example.com", "--comp")
    response = _save_view(client, "/dashboards/supply?countries=BRA,VNM&year=2020")
    assert response.status_code == 303
    release = re.search(r"release=(\d{4}-\d\d)", response.headers["Location"]).group(1)
    assert response.headers["Location"] == f"/dashboards/supply?countries=BRA,VNM&year=2020&release={release}"
    assert _save_view(client, "/dashboards/overview?year=2019&release=1999-01", pin=False).headers["Location"] == \
        "/dashboards/overview?year=2019"
    for bad in ["https://evil.example/dashboards/supply", "//evil.example/dashboards/", "/admin", "/dashboards/../admin",
                "/\\evil.example/dashboards/", "javascript:alert(1)", ""]:
        assert _save_view(client, bad).status_code == 400, bad
    page = client.get("/account").get_data(as_text=True)
    assert "Brazil stocks" in page and release in page
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(SavedView.id))).scalar_one() == 2


def _owned_by(app, email):
    """Create a rule, a firing and a saved view for email's user; return their ids."""
    with app.app_context():
        user = User.by_email(email)
        rule = AlertRule(user_id=user.id, kind="revision", country_code="BRA", metric="production",
                         year_choice="current", threshold_pct=1.0, active=True)
        view = SavedView(user_id=user.id, name=f"{email} view", path="/dashboards/supply?countries=BRA")
        db.session.add_all([rule, view])
        db.session.flush()
        firing = Firing(rule_id=rule.id, user_id=user.id, release_id="2024-01", country_code="BRA",
                        metric="production", market_year=2023, old_value=1.0, new_value=2.0, change_pct=100.0)
        db.session.add(firing)
        db.session.commit()
        return {"rule": rule.id, "firing": firing.id, "view": view.id}


def _routes(ids):
    """Return every (method, path) that takes an id of a rule, firing or view."""
    return [("GET", f"/alerts/rules/{ids['rule']}"), ("POST", f"/alerts/rules/{ids['rule']}"),
            ("POST", f"/alerts/rules/{ids['rule']}/delete"), ("POST", f"/alerts/firings/{ids['firing']}/read"),
            ("GET", f"/alerts/firings/{ids['firing']}"), ("GET", f"/views/{ids['view']}"),
            ("POST", f"/views/{ids['view']}/rename"), ("POST", f"/views/{ids['view']}/delete")]


def test_each_user_gets_404_for_every_id_of_the_other(app):
    clients = {email: _login(app, email, "--comp") for email in ("one@example.com", "two@example.com")}
    ids = {email: _owned_by(app, email) for email in clients}
    for email, client in clients.items():
        other = next(e for e in clients if e != email)
        token = form_token(client, "/alerts")
        for method, path in _routes(ids[other]):
            data = {"csrf_token": token, "name": "mine now", "kind": "drawdown", "country_code": "VNM",
                    "threshold_pct": "50", "metric": "ending_stocks", "year_choice": "current"}
            response = client.get(path) if method == "GET" else client.post(path, data=data)
            assert response.status_code == 404, (email, method, path)
        page = client.get("/alerts").get_data(as_text=True) + client.get("/account").get_data(as_text=True)
        assert f"{other} view" not in page and f"/alerts/firings/{ids[other]['firing']}" not in page
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(AlertRule.id))).scalar_one() == 2
        assert {v.name for v in db.session.execute(db.select(SavedView)).scalars()} == \
            {"one@example.com view", "two@example.com view"}
        assert all(f.read_at is None for f in db.session.execute(db.select(Firing)).scalars())
    # The owner can do what the other could not.
    owner = clients["one@example.com"]
    opened = owner.get(f"/alerts/firings/{ids['one@example.com']['firing']}")
    assert opened.status_code == 303 and opened.headers["Location"] == \
        "/dashboards/country/BRA?commodity=coffee&metric=production&release=2024-01"
    assert owner.get(f"/views/{ids['one@example.com']['view']}").headers["Location"] == "/dashboards/supply?countries=BRA"


@pytest.mark.parametrize("path", ["/alerts", "/alerts/rules/1", "/views/1"])
def test_alerts_and_views_need_a_subscription(app, path):
    free = _login(app, "free@example.com")
    assert free.get(path).status_code == 403
    assert app.test_client().get(path).status_code == 302  # to the login page


def test_views_stay_and_rules_pause_when_access_lapses(app):
    client = _login(app, "lapse@example.com", "--comp")
    ids = _owned_by(app, "lapse@example.com")
    from alerts.evaluate import active_rules

    with app.app_context():
        assert active_rules().column("rule_id").to_pylist() == [ids["rule"]]
        User.by_email("lapse@example.com").access_granted = False
        db.session.commit()
        assert active_rules().num_rows == 0
    assert client.get("/alerts").status_code == 403
    assert "lapse@example.com view" in client.get("/account").get_data(as_text=True)


def test_ids_no_row_can_have_get_404_not_500(app):
    client = _login(app, "huge@example.com", "--comp")
    token = form_token(client, "/alerts")
    huge = {"rule": 10**20, "firing": 10**20, "view": 10**20}
    for method, path in _routes(huge):
        response = client.get(path) if method == "GET" else client.post(path, data={"csrf_token": token, "name": "x"})
        assert response.status_code == 404, (method, path)


# What a browser, a script or an attacker may send for a number, and the reason the form then gives.
NOT_A_NUMBER = "Enter the threshold as a number, such as 5 or 0.5."
OUT_OF_RANGE = "For this alert the threshold must be between 0.1 and 100%."
NOT_THRESHOLDS = {**{v: NOT_A_NUMBER for v in ["sNaN", "-sNaN", "NaN", "nan", "Infinity", "-Infinity", "inf",
                                               "lots", "5%", "0x10", "1,5", "1e", "   "]},
                  **{v: OUT_OF_RANGE for v in ["1e999", "-1e999", "1E+999999999", "1e-999999999"]},
                  "": "Enter a threshold in percent."}


def _threshold_errors(response):
    """Return the error messages shown under the threshold field of a re-rendered rule form."""
    text = response.get_data(as_text=True)
    field = re.search(r'<input[^>]*id="threshold_pct"[^>]*>((?:\s*<div class="invalid-feedback">[^<]*</div>)*)', text)
    assert field and 'id="alerts-form"' in text, text[:2000]
    return re.findall(r'<div class="invalid-feedback">([^<]*)</div>', field.group(1)) if "is-invalid" in field.group(0) else []


@pytest.mark.parametrize("value", NOT_THRESHOLDS)
def test_a_threshold_that_is_not_a_usable_number_rerenders_the_form(app, value):
    client = _login(app, "numbers@example.com", "--comp")
    created = _rule(client, threshold_pct=value)
    assert created.status_code == 400 and _threshold_errors(created) == [NOT_THRESHOLDS[value]], value
    # The email choices beside it still show what is stored (ticked), not the refused post's missing boxes.
    box = re.search(r'<input[^>]*id="alerts_email"[^>]*>', created.get_data(as_text=True)).group(0)
    assert " checked" in box, (value, box)
    rule_id = _owned_by(app, "numbers@example.com")["rule"]
    data = {"kind": "revision", "country_code": "VNM", "metric": "exports", "year_choice": "current",
            "threshold_pct": value, "csrf_token": form_token(client, f"/alerts/rules/{rule_id}")}
    edited = client.post(f"/alerts/rules/{rule_id}", data=data)
    assert edited.status_code == 400 and _threshold_errors(edited) == [NOT_THRESHOLDS[value]], value
    with app.app_context():
        rules = db.session.execute(db.select(AlertRule)).scalars().all()
    assert [(r.country_code, r.metric, r.threshold_pct) for r in rules] == [("BRA", "production", 1.0)]


def test_each_kind_accepts_its_documented_bounds_and_nothing_outside(app):
    client = _login(app, "bounds@example.com", "--comp")
    # (kind, lowest, highest) as the form's message and the README state them.
    for kind, low, high, below, above in [("revision", "0.1", "100", "0.0999", "100.001"),
                                          ("stocks_to_use", "0.1", "1000", "0.09", "1000.5"),
                                          ("drawdown", "1", "100", "0.99", "100.01")]:
        for value in (low, high):
            assert _rule(client, kind=kind, threshold_pct=value).status_code == 303, (kind, value)
        for value in (below, above):
            refused = _rule(client, kind=kind, threshold_pct=value)
            assert refused.status_code == 400, (kind, value)
            assert _threshold_errors(refused) == [f"For this alert the threshold must be between {low} and {high}%."]
    with app.app_context():
        stored = [(r.kind, r.threshold_pct) for r in db.session.execute(db.select(AlertRule).order_by(AlertRule.id)).scalars()]
    assert stored == [("revision", 0.1), ("revision", 100.0), ("stocks_to_use", 0.1), ("stocks_to_use", 1000.0),
                      ("drawdown", 1.0), ("drawdown", 100.0)]


def test_a_rule_can_be_edited_down_to_the_minimum_threshold(app):
    client = _login(app, "edit-min@example.com", "--comp")
    rule_id = _owned_by(app, "edit-min@example.com")["rule"]
    data = {"kind": "stocks_to_use", "country_code": "WORLD", "year_choice": "current", "threshold_pct": "0.1",
            "active": "y", "csrf_token": form_token(client, f"/alerts/rules/{rule_id}")}
    assert client.post(f"/alerts/rules/{rule_id}", data=data).status_code == 303
    with app.app_context():
        rule = db.session.get(AlertRule, rule_id)
        assert (rule.kind, rule.country_code, rule.metric, rule.threshold_pct) == ("stocks_to_use", "WORLD", "stocks_to_use_pct", 0.1)
