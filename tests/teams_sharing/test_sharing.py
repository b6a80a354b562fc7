"""Saved views and alert rules shared with a team: who sees them, who may change them, and unsharing on leaving."""
from extensions import db
from models.alerts import AlertRule, SavedView
from models.teams import TeamMember
from tests.auth.conftest import form_token
from tests.teams_sharing.conftest import email, logged_in

REFUSED = "Only its author or an owner or admin of the team can change a shared"


def _save(client, name, share, url="/dashboards/supply?countries=BRA"):
    """Save a view through the Views menu's form; return the response."""
    data = {"name": name, "url": url, "csrf_token": form_token(client, "/account"), **({"share": "y"} if share else {})}
    return client.post("/views", data=data)


def _view_id(app, name):
    """Return the id of the saved view called name."""
    with app.app_context():
        return db.session.execute(db.select(SavedView.id).where(SavedView.name == name)).scalar_one()


def _post(client, path, **data):
    """POST a form with the page's CSRF token."""
    return client.post(path, data={"csrf_token": form_token(client, "/account"), **data})


def _menu(client):
    """Return the Dash layout (it carries the navbar and its Views menu) as text."""
    return client.get("/_dash-layout").get_data(as_text=True)


def test_shared_views_are_seen_by_the_team_only_and_changed_by_author_or_team_admins(teams):
    app, users, team_ids = teams
    clients = {name: logged_in(app, name) for name in users}
    assert _save(clients["a_member"], "Team supply", share=True).status_code == 303
    assert _save(clients["a_member"], "Mine only", share=False).status_code == 303
    assert _save(clients["b_owner"], "B desk", share=True).status_code == 303
    assert _save(clients["outsider"], "Lone view", share=True).status_code == 303  # no team: stays private
    with app.app_context():
        stored = dict(db.session.execute(db.select(SavedView.name, SavedView.team_id)).all())
    assert stored == {"Team supply": team_ids["A"], "Mine only": None, "B desk": team_ids["B"], "Lone view": None}

    sees = {"a_owner": {"Team supply"}, "a_admin": {"Team supply"}, "a_quiet": {"Team supply"},
            "a_member": {"Team supply", "Mine only"}, "b_owner": {"B desk"}, "b_member": {"B desk"},
            "outsider": {"Lone view"}}
    for name, expected in sees.items():
        account, menu = clients[name].get("/account").get_data(as_text=True), _menu(clients[name])
        for view in stored:
            assert (view in account) == (view in expected), (name, view, "account")
            assert (view in menu) == (view in expected), (name, view, "menu")
    # Teammates see the author's name; the author sees their own views without it.
    assert f"by {email('a_member')}" in clients["a_owner"].get("/account").get_data(as_text=True)
    assert email("a_member") in _menu(clients["a_quiet"])
    assert f"by {email('a_member')}" not in clients["a_member"].get("/account").get_data(as_text=True)
    # The save form offers sharing to team members only.
    assert "Share with my team" in _menu(clients["b_member"]) and "Share with my team" not in _menu(clients["outsider"])

    shared, private, other = _view_id(app, "Team supply"), _view_id(app, "Mine only"), _view_id(app, "B desk")
    assert clients["a_quiet"].get(f"/views/{shared}").status_code == 303
    for name, view_id in (("b_owner", shared), ("outsider", shared), ("a_owner", private), ("a_admin", other)):
        assert clients[name].get(f"/views/{view_id}").status_code == 404, (name, view_id)

    # A plain member may not rename or delete a teammate's shared view, and is told why; other teams see nothing.
    for action, data in (("rename", {"name": "Hijacked"}), ("delete", {})):
        refused = _post(clients["a_quiet"], f"/views/{shared}/{action}", **data)
        assert refused.status_code == 403 and REFUSED in refused.get_data(as_text=True)
        assert _post(clients["b_owner"], f"/views/{shared}/{action}", **data).status_code == 404
        assert _post(clients["a_admin"], f"/views/{private}/{action}", **data).status_code == 404
    # A sharing toggle is the author's alone.
    assert _post(clients["a_admin"], f"/views/{shared}/share").status_code == 403
    # Without the CSRF token nothing changes.
    assert clients["a_admin"].post(f"/views/{shared}/rename", data={"name": "No token"}).status_code == 400
    assert _post(clients["a_admin"], f"/views/{shared}/rename", name="Desk supply").status_code == 303
    with app.app_context():
        assert db.session.get(SavedView, shared).name == "Desk supply"
    assert _post(clients["b_owner"], f"/views/{other}/rename", name="B renamed").status_code == 303  # owner of B

    # The author makes it private, shares it again; then leaves: unshare_for makes it private for good.
    assert _post(clients["a_member"], f"/views/{shared}/share").status_code == 303
    assert "Desk supply" not in clients["a_owner"].get("/account").get_data(as_text=True)
    assert _post(clients["a_member"], f"/views/{shared}/share", share="y").status_code == 303
    assert "Desk supply" in clients["a_owner"].get("/account").get_data(as_text=True)
    from models.alerts import unshare_for

    with app.app_context():
        unshare_for(users["a_member"])
        db.session.execute(db.delete(TeamMember).where(TeamMember.user_id == users["a_member"]))
        db.session.commit()
        assert db.session.get(SavedView, shared).team_id is None
    assert "Desk supply" not in clients["a_owner"].get("/account").get_data(as_text=True)
    assert "Desk supply" in clients["a_member"].get("/account").get_data(as_text=True)

    # The owner deletes the other team member's shared view.
    assert _post(clients["a_owner"], f"/views/{shared}/delete").status_code == 404  # private now
    b_shared = _view_id(app, "B renamed")
    assert _post(clients["b_member"], f"/views/{b_shared}/delete").status_code == 403
    assert _post(clients["b_owner"], f"/views/{b_shared}/delete").status_code == 303
    with app.app_context():
        assert db.session.get(SavedView, b_shared) is None


def test_a_member_who_left_without_unsharing_is_no_longer_seen(teams):
    app, users, team_ids = teams
    author = logged_in(app, "b_member")
    assert _save(author, "Left behind", share=True).status_code == 303
    assert "Left behind" in logged_in(app, "b_owner").get("/account").get_data(as_text=True)
    with app.app_context():
        db.session.execute(db.delete(TeamMember).where(TeamMember.user_id == users["b_member"]))
        db.session.commit()
    assert "Left behind" not in logged_in(app, "b_owner").get("/account").get_data(as_text=True)


def _rule(client, share):
    """Create a revision rule through the /alerts form; return the response."""
    data = {"kind": "revision", "country_code": "BRA", "metric": "production", "year_choice": "next",
            "threshold_pct": "5", "active": "y", "csrf_token": form_token(client, "/alerts"),
            **({"share": "y"} if share else {})}
    return client.post("/alerts", data=data)


def test_shared_rules_are_listed_for_the_team_and_deleted_by_author_or_team_admins(teams):
    app, users, team_ids = teams
    clients = {name: logged_in(app, name) for name in ("a_member", "a_owner", "a_quiet", "a_admin", "b_owner")}
    assert "Share with my team" in clients["a_member"].get("/alerts").get_data(as_text=True)
    assert _rule(clients["a_member"], share=True).status_code == 303
    assert _rule(clients["a_member"], share=False).status_code == 303
    with app.app_context():
        shared, private = db.session.execute(db.select(AlertRule.id, AlertRule.team_id).order_by(AlertRule.id)).all()
    assert shared[1] == team_ids["A"] and private[1] is None
    page = clients["a_owner"].get("/alerts").get_data(as_text=True)
    assert "Shared by your team" in page and email("a_member") in page
    assert page.count("Brazil") == 1 + page.count('<option value="BRA"')  # the shared rule only, not the private one
    assert "Shared by your team" not in clients["b_owner"].get("/alerts").get_data(as_text=True)

    edit = clients["a_quiet"].get(f"/alerts/rules/{shared[0]}")
    assert edit.status_code == 403 and "Only its author edits an alert" in edit.get_data(as_text=True)
    assert clients["b_owner"].get(f"/alerts/rules/{shared[0]}").status_code == 404
    assert clients["a_owner"].get(f"/alerts/rules/{private[0]}").status_code == 404
    token = form_token(clients["a_quiet"], "/alerts")
    refused = clients["a_quiet"].post(f"/alerts/rules/{shared[0]}/delete", data={"csrf_token": token})
    assert refused.status_code == 403 and REFUSED in refused.get_data(as_text=True)
    token = form_token(clients["b_owner"], "/alerts")
    assert clients["b_owner"].post(f"/alerts/rules/{shared[0]}/delete", data={"csrf_token": token}).status_code == 404

    # The author unshares by editing; shares again; a team admin deletes it.
    edit_form = {"kind": "revision", "country_code": "BRA", "metric": "production", "year_choice": "next",
                 "threshold_pct": "7", "active": "y", "csrf_token": form_token(clients["a_member"], "/alerts")}
    assert clients["a_member"].post(f"/alerts/rules/{shared[0]}", data=edit_form).status_code == 303
    with app.app_context():
        assert db.session.get(AlertRule, shared[0]).team_id is None
    assert clients["a_member"].post(f"/alerts/rules/{shared[0]}", data={**edit_form, "share": "y"}).status_code == 303
    token = form_token(clients["a_admin"], "/alerts")
    assert clients["a_admin"].post(f"/alerts/rules/{shared[0]}/delete", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.get(AlertRule, shared[0]) is None and db.session.get(AlertRule, private[0]) is not None
