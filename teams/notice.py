"""A team over its paid seats, as its owner and admins see it on every page and read it in their emails."""
from auth.nav import Notice
from billing import over_seats
from billing.over_seats import plural
from extensions import db
from links import external_url
from models.team_access import team_fields
from models.teams import MANAGING_ROLES, Team
from teams.outbox import composer

WHO_KEEPS = "the owner and admins first, then members by the date they joined"


def _text(team, found):
    """Return the sentence that says how many members and seats, what happens when, and what to do."""
    head = f"{team.name} has {plural(found['members'], 'member')} but pays for {plural(found['seats'], 'seat')}"
    if found["ended"]:
        return (f"{head}: since {found['ends_text']} only {found['seats']} of them have access ({WHO_KEEPS}). "
                f"Add {plural(found['excess'], 'seat')} or remove {plural(found['excess'], 'member')} to give everyone "
                "access again.")
    return (f"{head}. Everyone keeps access until {found['ends_text']}; after that only {found['seats']} will "
            f"({WHO_KEEPS}). Add {plural(found['excess'], 'seat')} or remove {plural(found['excess'], 'member')}.")


def notice(user):
    """Return {"text", "href"} for an owner or admin of a team over its paid seats, else None.

    Reads what the live-user query carries, so a user whose team fits its seats costs no query.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    fields = team_fields(user)
    if fields.team_over_seats_since is None or fields.team_role not in MANAGING_ROLES:
        return None
    team = db.session.get(Team, fields.team_id)
    if team is None or team.over_seats_since is None:
        return None
    if over_seats.observe(team):  # the grace period just ended: write it down once
        db.session.commit()
    found = over_seats.state(team)
    return {"text": _text(team, found), "href": "/team"}


def notices(user):
    """Return the over-seats notice under the navbar of every page (auth/nav.py), for an owner or admin."""
    found = notice(user)
    if found is None:
        return []
    return [Notice(found["text"], found["href"], "team-over-seats-banner", "Go to the team page")]


def _owner_message(row, ended):
    """Return (subject, body) of an over-seats email to the owner, or None when the team fits its seats again."""
    team = db.session.get(Team, row.team_id)
    found = over_seats.state(team) if team is not None else None
    if found is None or found["ended"] != ended:
        return None
    lost = "".join(f"\n- {user.email}" for user in found["lapsed"]) if ended else ""
    subject = (f"{team.name}: only {found['seats']} of {found['members']} members have access" if ended else
               f"{team.name}: {plural(found['members'], 'member')}, {plural(found['seats'], 'paid seat')}")
    return (subject,
            f"{_text(team, found)}{lost}\n\nManage seats and members on the team page: {external_url('teams.team')}\n")


@composer("over_seats")
def over_seats_message(row):
    """Tell the owner the team went over its paid seats: counts, the date, what to do."""
    return _owner_message(row, ended=False)


@composer("over_seats_ended")
def over_seats_ended_message(row):
    """Tell the owner the grace period ended and who lost access."""
    return _owner_message(row, ended=True)
