"""The /admin page's callbacks: search, confirm, apply, audit log, last-admin protection."""
from models.accounts import AuditLog, User
from extensions import db
from tests.auth import admin_ops
from tests.auth.conftest import cli_user, client_login, dash_for
from tests.harness.dash_client import body


def _admin_dash(app, email="root@example.com"):
    """Return a DashClient logged in as a new admin."""
    cli_user(app, email, "--admin")
    client = app.test_client()
    client_login(client, email)
    return dash_for(client)


def _user(app, email):
    """Return the stored user with email, fresh from the database."""
    with app.app_context():
        user = User.by_email(email)
        db.session.expunge(user)
        return user


def test_search_lists_matching_users_only(auth_app):
    dash = _admin_dash(auth_app)
    for email in ("alice@example.com", "bob@example.com", "al_x@example.com"):
        cli_user(auth_app, email)
    assert [r["email"] for r in admin_ops.user_rows(dash, "AL")] == ["al_x@example.com", "alice@example.com"]
    assert [r["email"] for r in admin_ops.user_rows(dash, "al_")] == ["al_x@example.com"]  # "_" is literal
    assert admin_ops.user_rows(dash, "%") == []
    assert len(admin_ops.user_rows(dash, None)) == 4
    row = admin_ops.user_rows(dash, "bob")[0]
    assert (row["active"], row["access_granted"], row["admin"], row["subscriber"]) == (True, False, False, False)


def test_ticking_a_box_asks_before_anything_changes(auth_app):
    dash = _admin_dash(auth_app)
    cli_user(auth_app, "carol@example.com")
    uid = admin_ops.user_id(dash, "carol@example.com")
    spec = dash.find(admin_ops.PENDING)
    change = [{"rowIndex": 0, "rowId": str(uid), "data": {"id": uid, "email": "carol@example.com"},
               "oldValue": False, "value": True, "colId": "access_granted"}]
    response = dash.post(body(spec, {(admin_ops.USERS, "cellValueChanged"): change}))
    out = response.json()["response"]
    assert out["admin-confirm"]["is_open"] is True
    assert out["admin-confirm-text"]["children"] == "Grant subscriber access to carol@example.com?"
    assert out[admin_ops.PENDING]["data"] == {"user_id": uid, "field": "access_granted", "value": True}
    assert _user(auth_app, "carol@example.com").access_granted is False
    # Cancel: nothing changes and the grid is reloaded from the database.
    spec = dash.find(admin_ops.STATUS)
    cancelled = dash.post(body(spec, {(admin_ops.CONFIRM_NO, "n_clicks"): 1, (admin_ops.PENDING, "data"): out[admin_ops.PENDING]["data"],
                                      (admin_ops.REFRESH, "data"): 3}, changed=[f"{admin_ops.CONFIRM_NO}.n_clicks"]))
    assert cancelled.json()["response"][admin_ops.REFRESH]["data"] == 4
    assert _user(auth_app, "carol@example.com").access_granted is False
    with auth_app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditLog.id))) == 0


def test_grant_revoke_promote_demote_take_effect_on_live_sessions_and_are_audited(auth_app):
    dash = _admin_dash(auth_app)
    cli_user(auth_app, "dave@example.com")
    dave = auth_app.test_client()
    client_login(dave, "dave@example.com")
    assert dave.get("/dashboards/trade").status_code == 403
    uid = admin_ops.user_id(dash, "dave@example.com")

    assert "now has subscriber access" in admin_ops.confirm_change(dash, uid, "access_granted", True)
    assert dave.get("/dashboards/trade").status_code == 200
    assert dave.get("/admin").status_code == 403
    admin_ops.confirm_change(dash, uid, "admin", True)
    assert dave.get("/admin").status_code == 200
    admin_ops.confirm_change(dash, uid, "admin", False)
    assert dave.get("/admin").status_code == 403
    admin_ops.confirm_change(dash, uid, "access_granted", False)
    assert dave.get("/dashboards/trade").status_code == 403

    with auth_app.app_context():
        log = [(e.actor.email, e.action, e.target.email) for e in db.session.execute(
            db.select(AuditLog).order_by(AuditLog.id)).scalars()]
    assert log == [("root@example.com", action, "dave@example.com")
                   for action in ("grant_access", "promote_admin", "demote_admin", "revoke_access")]
    shown = str(dash.call(admin_ops.USERS, {(admin_ops.SEARCH, "value"): None}).json()["response"][admin_ops.AUDIT]["children"])
    assert shown.index("revoke_access") < shown.index("grant_access")  # newest first
    assert "dave@example.com" in shown and "root@example.com" in shown


def test_last_admin_cannot_be_demoted_or_disabled(auth_app):
    dash = _admin_dash(auth_app, "only@example.com")
    me = admin_ops.user_id(dash, "only@example.com")
    assert "last active admin" in admin_ops.confirm_change(dash, me, "admin", False)
    assert "last active admin" in admin_ops.confirm_change(dash, me, "active", False)
    assert _user(auth_app, "only@example.com").is_admin and _user(auth_app, "only@example.com").active

    cli_user(auth_app, "second@example.com", "--admin")
    other = admin_ops.user_id(dash, "second@example.com")
    assert "disabled" in admin_ops.confirm_change(dash, other, "active", False)
    # A disabled admin does not count: "only" is still the last active admin.
    assert "last active admin" in admin_ops.confirm_change(dash, me, "admin", False)
    admin_ops.confirm_change(dash, other, "active", True)
    assert "no longer an admin" in admin_ops.confirm_change(dash, me, "admin", False)
    assert not _user(auth_app, "only@example.com").is_admin
    # The demoted admin's callbacks are refused at once.
    assert dash.call(admin_ops.USERS, {(admin_ops.SEARCH, "value"): None}).status_code == 403
    with auth_app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditLog.id))) == 3  # refusals change and log nothing


def test_bogus_changes_are_refused(auth_app):
    dash = _admin_dash(auth_app)
    cli_user(auth_app, "eve@example.com")
    uid = admin_ops.user_id(dash, "eve@example.com")
    for user_id, field, value in ((uid, "role", "admin"), (uid, "password_hash", "x"), (9999, "active", False),
                                  (str(uid), "active", False), (uid, "active", "false")):
        assert "Unknown user or change" in admin_ops.confirm_change(dash, user_id, field, value)
    assert _user(auth_app, "eve@example.com").active


def test_grid_shows_plan_and_its_key_date(auth_app):
    from datetime import datetime, timezone

    dash = _admin_dash(auth_app)
    cli_user(auth_app, "payer@example.com")
    cli_user(auth_app, "leaver@example.com")
    with auth_app.app_context():
        for email, cancel in (("payer@example.com", False), ("leaver@example.com", True)):
            user = User.by_email(email)
            user.subscription_status, user.subscription_plan = "active", "beanflows Pro (monthly)"
            user.current_period_end = datetime(2027, 1, 15, 12, tzinfo=timezone.utc)
            user.cancel_at_period_end = cancel
        db.session.commit()
    rows = {r["email"]: r for r in admin_ops.user_rows(dash, None)}
    assert (rows["payer@example.com"]["plan"], rows["payer@example.com"]["plan_date"]) == (
        "beanflows Pro (monthly)", "Renews on 15 Jan 2027")
    assert rows["leaver@example.com"]["plan_date"] == "Ends on 15 Jan 2027"
    assert rows["root@example.com"]["plan"] == rows["root@example.com"]["plan_date"] == ""


def test_malformed_searches_and_huge_ids_are_refused_without_a_500(auth_app):
    dash = _admin_dash(auth_app)
    cli_user(auth_app, "dora@example.com")
    assert admin_ops.user_rows(dash, "a" * 100_000) == []
    assert len(admin_ops.user_rows(dash, {"$ne": ""})) == 2  # not text: no filter, as when empty
    assert len(admin_ops.user_rows(dash, ["dora"])) == 2
    for huge in (2**31, 2**70, -(2**70)):
        status = admin_ops.confirm_change(dash, huge, "active", False)
        assert "Unknown user or change" in status
    assert _user(auth_app, "dora@example.com").active
