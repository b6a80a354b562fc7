"""`flask --app app teams list` and `teams show ID`, checked against the rows the test made."""
from datetime import timedelta

from extensions import db
from models.accounts import utcnow
from models.teams import Team, TeamInvitation
from tests.teams_sharing.conftest import PEOPLE, email, make_teams


def test_teams_list_and_show_print_what_is_stored(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["teams", "list"]).output.strip() == "No teams."
    users, teams = make_teams(app)
    with app.app_context():
        db.session.get(Team, teams["B"]).subscription_status = "past_due"
        db.session.get(Team, teams["B"]).access_ended = True
        db.session.add_all([TeamInvitation(team_id=teams["A"], email=f"{n}@example.com",
                                           expires_at=utcnow() + timedelta(days=days)) for n, days in
                            (("one", 7), ("two", 3), ("old", -1))])
        db.session.commit()
    listed = runner.invoke(args=["teams", "list"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split() == ["ID", "NAME", "OWNER", "SEATS", "STATUS", "ACCESS"]
    size = {label: sum(1 for team, _ in PEOPLE.values() if team == label) for label in "AB"}
    assert lines[1].split() == [str(teams["A"]), "Team", "A", email("a_owner"), f"{size['A']}/5", "active", "subscription"]
    assert lines[2].split() == [str(teams["B"]), "Team", "B", email("b_owner"), f"{size['B']}/5", "past_due",
                                "ended", "by", "an", "admin"]

    shown = runner.invoke(args=["teams", "show", str(teams["A"])])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert f"Team {teams['A']}: Team A" in out and f"Owner: {email('a_owner')}" in out
    assert f"Seats: {size['A']} used of 5 paid" in out and "Status: active" in out
    assert "Pending invitations: 2" in out
    listed_members = [line.split() for line in out.split(f"Members ({size['A']}):\n")[1].splitlines()]
    assert sorted(map(tuple, listed_members)) == sorted((role, email(n)) for n, (t, role) in PEOPLE.items() if t == "A")
    assert listed_members[0] == ["owner", email("a_owner")]
    assert email("b_owner") not in out

    missing = runner.invoke(args=["teams", "show", "999999"])
    assert missing.exit_code != 0 and "No team with id 999999" in missing.output
    assert runner.invoke(args=["teams", "show", "x"]).exit_code == 2
