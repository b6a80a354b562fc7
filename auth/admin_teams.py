"""What the /admin page's Teams section shows and changes: teams, their seats and members, their access, their audit."""
from sqlalchemy.orm import joinedload

from auth.users import UserError
from extensions import db
from models.accounts import AuditLog, User, is_row_id, utcnow
from models.stripe_events import UnappliedSubscription
from models.teams import Team, TeamInvitation, TeamMember

# The site admin's switches on a team, as on a user: grant access whatever the subscription says, or end it.
FIELDS = ("access_granted", "access_ended")
ACTIONS = {("access_granted", True): "team.grant_access", ("access_granted", False): "team.revoke_grant",
           ("access_ended", True): "team.end_access", ("access_ended", False): "team.restore_access"}
ACTION_TEXT = {
    ("access_granted", True): "Grant subscriber access to every member of team {name} (#{id}), whatever its subscription?",
    ("access_granted", False): "Take back the admin grant of team {name} (#{id})? Its subscription decides again.",
    ("access_ended", True): "End the access of every member of team {name} (#{id})? Their next request is refused.",
    ("access_ended", False): "Give team {name} (#{id}) its access back? Its subscription or grant decides again.",
}
DONE_TEXT = {
    ("access_granted", True): "Team {name} now has subscriber access granted.",
    ("access_granted", False): "Team {name} no longer has admin-granted access.",
    ("access_ended", True): "Team {name}'s access has ended.",
    ("access_ended", False): "Team {name}'s access is restored.",
}
TEAM_ACTIONS = "team."


def _when(moment):
    """Return a timestamp as text for the grid."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def pending_invitations(team_ids):
    """Return {team id: invitations not accepted, revoked or expired}."""
    if not team_ids:
        return {}
    return dict(db.session.execute(
        db.select(TeamInvitation.team_id, db.func.count(TeamInvitation.id))
        .where(TeamInvitation.team_id.in_(team_ids), TeamInvitation.accepted_at.is_(None),
               TeamInvitation.revoked_at.is_(None), TeamInvitation.expires_at > utcnow())
        .group_by(TeamInvitation.team_id)).all())


def members(team_ids):
    """Return {team id: [(email, role)]}, owners first, then admins, then members, by email."""
    order = db.case({"owner": 0, "admin": 1}, value=TeamMember.role, else_=2)
    found = {}
    for team_id, email, role in db.session.execute(
            db.select(TeamMember.team_id, User.email, TeamMember.role).join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id.in_(team_ids)).order_by(TeamMember.team_id, order, User.email)).all():
        found.setdefault(team_id, []).append((email, role))
    return found


def unapplied(team_ids):
    """Return {team id: [text of each live second subscription recorded, not applied]} for site admins."""
    found = {}
    for row in db.session.execute(
            db.select(UnappliedSubscription).where(UnappliedSubscription.team_id.in_(team_ids),
                                                   UnappliedSubscription.resolved_at.is_(None))
            .order_by(UnappliedSubscription.id)).scalars():
        found.setdefault(row.team_id, []).append(
            f"{row.subscription_id} ({row.status}, {row.seats} seats, customer {row.customer_id or '-'}, "
            f"since {_when(row.first_seen_at)}): not applied, refund or cancel it in Stripe")
    return found


def _status(team, second):
    """Return the grid's Stripe status of a team, with any second subscription recorded and not applied."""
    status = team.subscription_status or ""
    return f"{status} · UNAPPLIED SECOND SUBSCRIPTION: {'; '.join(second)}" if second else status


def team_rows(limit=500):
    """Return grid rows of the teams: name, owner, seats paid and used, members, status, switches, invitations."""
    teams = db.session.execute(db.select(Team).options(joinedload(Team.owner)).order_by(Team.name, Team.id)
                               .limit(limit)).scalars().all()
    ids = [team.id for team in teams]
    people, invited, second = (members(ids), pending_invitations(ids), unapplied(ids)) if ids else ({}, {}, {})
    return [{
        "id": team.id, "name": team.name, "owner": team.owner.email if team.owner else "",
        "seats": team.seats, "used": len(people.get(team.id, [])),
        "seats_text": f"{len(people.get(team.id, []))} of {team.seats}"
                      + (f" · over seats since {_when(team.over_seats_since)}" if team.over_seats_since else ""),
        "members": ", ".join(f"{email} ({role})" for email, role in people.get(team.id, [])),
        "status": _status(team, second.get(team.id)), "unapplied": len(second.get(team.id, [])),
        "access_granted": bool(team.access_granted),
        "access_ended": bool(team.access_ended), "invitations": invited.get(team.id, 0),
        "created_at": _when(team.created_at),
    } for team in teams]


def audit_rows(limit=100):
    """Return the latest team changes in the audit log (actions starting 'team.'), newest first."""
    entries = db.session.execute(
        db.select(AuditLog).where(AuditLog.action.startswith(TEAM_ACTIONS))
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(limit)).scalars()
    return [{"when": _when(entry.created_at), "actor": entry.actor.email if entry.actor else "system",
             "action": entry.action, "target": entry.target.email if entry.target else "", "detail": entry.detail or ""}
            for entry in entries]


def _team(team_id, field, value):
    """Return the team a change names, or None when it is not a known change."""
    if not is_row_id(team_id) or field not in FIELDS or not isinstance(value, bool):
        return None
    return db.session.get(Team, team_id)


def describe(team_id, field, value):
    """Return the confirmation question for a change of a team, or None when it is not a known change."""
    team = _team(team_id, field, value)
    return None if team is None else ACTION_TEXT[(field, value)].format(name=team.name, id=team.id)


def apply(actor, team_id, field, value):
    """Apply one confirmed change of a team by actor and audit it; return a message, raise UserError when refused."""
    if actor is None or not actor.is_admin:
        raise UserError("Only admins can change teams.")
    team = _team(team_id, field, value)
    if team is None:
        raise UserError("Unknown team or change.")
    if getattr(team, field) != value:
        setattr(team, field, value)
        db.session.add(AuditLog(actor_id=actor.id, target_id=team.owner_id, action=ACTIONS[(field, value)],
                                detail=f"team {team.id} {team.name}"[:512]))
        db.session.commit()
    return DONE_TEXT[(field, value)].format(name=team.name)
