"""The /admin Teams section: teams with seats, members and status; grant or end a team's access, audited."""
from datetime import timedelta

from extensions import db
from models.accounts import AuditLog, utcnow
from models.teams import Team, TeamInvitation
from tests.auth.conftest import cli_user, client_login, dash_for
from tests.harness.dash_client import body
from tests.teams_sharing.conftest import PEOPLE, email, logged_in, make_teams

TEAMS, TEAM_AUDIT, PENDING, STATUS, CONFIRM_YES, REFRESH, USERS, SEARCH = (
    "admin-teams", "admin-team-audit", "admin-pending", "admin-status", "admin-confirm-yes", "admin-refresh",
    "admin-users", "admin-search")


def _admin(app):
    """Return a DashClient logged in as a site admin."""
    cli_user(app, "root@example.com", "--admin")
    client = app.test_client()
    client_login(client, "root@example.com")
    return dash_for(client)


def _listing(dash):
    """Return (team rows, team audit text) as the admin page shows them."""
    response = dash.call(USERS, {(SEARCH, "value"): None, (REFRESH, "data"): 0})
    assert response.status_code == 200, response.text[:300]
    out = response.json()["response"]
    return out[TEAMS]["rowData"], str(out[TEAM_AUDIT]["children"])


def _confirm(dash, team_id, field, value):
    """Press Confirm on a pending team change; return the response."""
    pending = {"team_id": team_id, "field": field, "value": value}
    return dash.post(body(dash.find(STATUS), {(CONFIRM_YES, "n_clicks"): 1, (PENDING, "data"): pending,
                                              (REFRESH, "data"): 0}, changed=[f"{CONFIRM_YES}.n_clicks"]))


def _invite(app, team_id, address, **state):
    """Store an invitation to a team, in a given state."""
    with app.app_context():
        now = utcnow()
        db.session.add(TeamInvitation(team_id=team_id, email=address, expires_at=now + timedelta(days=7), **state))
        db.session.commit()


def test_teams_are_listed_with_seats_members_status_and_pending_invitations(auth_app):
    dash = _admin(auth_app)
    users, teams = make_teams(auth_app)
    _invite(auth_app, teams["A"], "new@example.com")
    _invite(auth_app, teams["A"], "took@example.com", accepted_at=utcnow())
    _invite(auth_app, teams["A"], "nope@example.com", revoked_at=utcnow())
    with auth_app.app_context():
        db.session.add(TeamInvitation(team_id=teams["B"], email="late@example.com",
                                      expires_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    rows, _ = _listing(dash)
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"Team A", "Team B"}
    for label, pending in (("A", 1), ("B", 0)):
        row = by_name[f"Team {label}"]
        people = {name: role for name, (team, role) in PEOPLE.items() if team == label}
        owner = next(name for name, role in people.items() if role == "owner")
        assert (row["id"], row["owner"], row["seats"], row["used"], row["status"], row["invitations"]) == \
            (teams[label], email(owner), 5, len(people), "active", pending)
        assert row["seats_text"] == f"{len(people)} of 5"
        assert sorted(row["members"].split(", ")) == sorted(f"{email(n)} ({r})" for n, r in people.items())
        assert row["members"].startswith(f"{email(owner)} (owner)")
        assert (row["access_granted"], row["access_ended"]) == (False, False)


def test_ending_and_granting_a_team_access_is_confirmed_and_audited(auth_app):
    dash = _admin(auth_app)
    users, teams = make_teams(auth_app)
    # A change the teams module writes (an invitation): shown with who did it.
    with auth_app.app_context():
        db.session.add(AuditLog(actor_id=users["a_owner"], target_id=None, action="team.invite",
                                detail=f"team {teams['A']}: new@example.com"))
        db.session.commit()
    ask = dash.post(body(dash.find(PENDING), {(TEAMS, "cellValueChanged"): [
        {"rowIndex": 0, "rowId": str(teams["A"]), "data": {"id": teams["A"]}, "oldValue": False, "value": True,
         "colId": "access_ended"}]}, changed=[f"{TEAMS}.cellValueChanged"])).json()["response"]
    assert ask["admin-confirm"]["is_open"] is True and "End the access of every member of team Team A" in \
        ask["admin-confirm-text"]["children"]
    assert ask[PENDING]["data"] == {"team_id": teams["A"], "field": "access_ended", "value": True}
    with auth_app.app_context():
        assert db.session.get(Team, teams["A"]).access_ended is False  # asked, not done

    # A subscriber who is no site admin cannot press Confirm; neither can a request without the CSRF token.
    outsider = dash_for(logged_in(auth_app, "a_owner"))
    assert _confirm(outsider, teams["A"], "access_ended", True).status_code == 403
    no_token = dash.session.client.post("/_dash-update-component", json=body(dash.find(STATUS), {
        (CONFIRM_YES, "n_clicks"): 1, (PENDING, "data"): {"team_id": teams["A"], "field": "access_ended", "value": True}},
        changed=[f"{CONFIRM_YES}.n_clicks"]))
    assert no_token.status_code == 400
    # Unknown changes are refused with the reason.
    assert "Unknown team or change" in _confirm(dash, teams["A"], "seats", True).text
    assert "Unknown team or change" in _confirm(dash, 10**30, "access_ended", True).text

    assert "access has ended" in _confirm(dash, teams["A"], "access_ended", True).text
    assert "now has subscriber access granted" in _confirm(dash, teams["B"], "access_granted", True).text
    _confirm(dash, teams["B"], "access_granted", True)  # no change: no second audit row
    assert "access is restored" in _confirm(dash, teams["A"], "access_ended", False).text
    with auth_app.app_context():
        a, b = db.session.get(Team, teams["A"]), db.session.get(Team, teams["B"])
        assert (a.access_ended, a.access_granted, b.access_ended, b.access_granted) == (False, False, False, True)
        log = [(e.actor.email, e.action, e.target.email if e.target else None, e.detail) for e in db.session.execute(
            db.select(AuditLog).where(AuditLog.action.startswith("team.")).order_by(AuditLog.id)).scalars()]
    assert log[1:] == [("root@example.com", "team.end_access", email("a_owner"), f"team {teams['A']} Team A"),
                       ("root@example.com", "team.grant_access", email("b_owner"), f"team {teams['B']} Team B"),
                       ("root@example.com", "team.restore_access", email("a_owner"), f"team {teams['A']} Team A")]
    rows, audit = _listing(dash)
    for action in ("team.invite", "team.end_access", "team.grant_access", "team.restore_access"):
        assert action in audit
    assert email("a_owner") in audit and "new@example.com" in audit
    assert {r["name"]: r["access_granted"] for r in rows} == {"Team A": False, "Team B": True}
