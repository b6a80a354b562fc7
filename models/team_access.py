"""The team part of the live-user record: what the live-user query carries, so access needs no extra query.

auth/login_sessions.py (every request) and auth/api_tokens.py (a Bearer token) join these columns to the
user's row; models/entitlement.team_grants_access() decides from them.
"""
from extensions import db
from models.teams import SEAT_RANK, Team, TeamMember

MEMBERS, TEAMS = TeamMember.__table__, Team.__table__

# Over seats: how many members keep their seat before this one
# (owner, admins, then by join date: models.teams.seat_order). Counted only while the team is over its paid seats,
# so the live-user query costs nothing more for every other team; NULL otherwise and for someone in no team.
_AHEAD = MEMBERS.alias("seat_ahead")


def _seat_key(members):
    """Return (role rank, joined_at, id) of a team_members table (or alias) as a SQL row value."""
    rank = db.case(SEAT_RANK, value=members.c.role, else_=len(SEAT_RANK))
    return db.tuple_(rank, members.c.joined_at, members.c.id)


SEATS_AHEAD = db.case(
    (TEAMS.c.over_seats_since.is_(None), None),
    else_=db.select(db.func.count()).select_from(_AHEAD)
    .where(_AHEAD.c.team_id == MEMBERS.c.team_id, _seat_key(_AHEAD) < _seat_key(MEMBERS))
    .correlate(MEMBERS).scalar_subquery(),
)

# What a user's access reads of their team, under the names the live-user record carries them.
TEAM_COLUMNS = (
    MEMBERS.c.team_id.label("team_id"),
    MEMBERS.c.role.label("team_role"),
    TEAMS.c.name.label("team_name"),
    TEAMS.c.subscription_status.label("team_status"),
    TEAMS.c.past_due_since.label("team_past_due_since"),
    TEAMS.c.access_granted.label("team_access_granted"),
    TEAMS.c.access_ended.label("team_access_ended"),
    # Over seats: read by models.entitlement.seat_lapsed.
    TEAMS.c.seats.label("team_seats"),
    TEAMS.c.over_seats_since.label("team_over_seats_since"),
    SEATS_AHEAD.label("team_seats_ahead"),
)
TEAM_KEYS = tuple(column.key for column in TEAM_COLUMNS)


def join_team(selectable, user_id):
    """Return selectable outer-joined to the user's membership and team (user_id: the users.id column)."""
    return selectable.outerjoin(MEMBERS, MEMBERS.c.user_id == user_id).outerjoin(TEAMS, TEAMS.c.id == MEMBERS.c.team_id)


def carry(user, mapping):
    """Put the team fields of a query row (mapping) on user and return user."""
    for key in TEAM_KEYS:
        setattr(user, key, mapping[key])
    return user


def team_fields(user):
    """Return user with its team fields; a user loaded outside the live-user query gets them in one lookup."""
    if "team_status" in vars(user):
        return user
    if getattr(user, "id", None) is None:
        return carry(user, dict.fromkeys(TEAM_KEYS))  # not stored yet: in no team
    row = db.session.execute(
        db.select(*TEAM_COLUMNS).select_from(MEMBERS.outerjoin(TEAMS, TEAMS.c.id == MEMBERS.c.team_id))
        .where(MEMBERS.c.user_id == user.id)
    ).mappings().first()
    return carry(user, row or dict.fromkeys(TEAM_KEYS))
