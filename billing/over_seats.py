"""A team with more members than paid seats: when it starts and ends, who keeps a seat, every step audited.

Access itself is decided on every request from the live-user query (models.entitlement.seat_lapsed); this module
keeps the team's over-seats time, releases invitations that no longer fit, queues the owner's emails and audits.
"""
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db
from models.accounts import AuditLog, User, utcnow
from models.entitlement import aware, over_seats_grace_end
from models.teams import MAIL_KICK, Team, TeamMail, TeamMember, member_count, pending_invitations, seat_order


def plural(count, word, words=None):
    """Return '1 member', '2 members' (words: the plural when it is not word + 's')."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def _audit(actor_id, team, action, detail):
    """Add an audit row about team (its owner as the user concerned)."""
    db.session.add(AuditLog(actor_id=actor_id, target_id=team.owner_id, action=action,
                            detail=f"team {team.id} ({team.name}): {detail}"[:512]))


def _when(moment):
    """Return a UTC time as text for audit lines and emails."""
    return aware(moment).strftime("%d %b %Y %H:%M UTC")


def seat_holders(team):
    """Return the team's (TeamMember, User) pairs in seat order: the first team.seats keep access after the grace."""
    rows = db.session.execute(db.select(TeamMember, User).join(User, User.id == TeamMember.user_id)
                              .where(TeamMember.team_id == team.id)).all()
    return sorted(rows, key=lambda row: seat_order(row[0]))


def queue_mail(team, kind, invitation=None, recipient=None, kick=True):
    """Queue an email of the team; unless kick is False, teams.outbox sends it once this transaction commits.

    Returns the row, or None when there is no one to send it to."""
    recipient = recipient or (team.owner.email if team.owner else None)
    if not recipient:
        return None
    row = TeamMail(team_id=team.id, invitation_id=invitation.id if invitation else None, kind=kind,
                   recipient=recipient, next_at=utcnow())
    db.session.add(row)
    sender = current_app.extensions.get(MAIL_KICK)
    if kick and sender is not None:
        event.listen(db.session(), "after_commit", lambda session: sender(), once=True)
    return row


def cancel_mail(team_id, kind=None, invitation_id=None):
    """Cancel the team's queued emails of kind (or of one invitation): what they said is no longer true."""
    query = db.update(TeamMail).where(TeamMail.team_id == team_id, TeamMail.state == "queued")
    query = query.where(TeamMail.kind == kind) if kind else query.where(TeamMail.invitation_id == invitation_id)
    db.session.execute(query.values(state="cancelled").execution_options(synchronize_session="fetch"))


def reconcile(team, actor_id=None, source="Stripe", now=None):
    """After a locked team's seats or members changed: start or end its over-seats state, release invitations
    beyond the paid seats (members + pending invitations never exceed them). The caller commits."""
    now = now or utcnow()
    members = member_count(team.id)
    if members > team.seats and team.over_seats_since is None:
        team.over_seats_since, team.over_seats_enforced_at = now, None
        _audit(actor_id, team, "team.over_seats",
               f"{plural(members, 'member')}, {plural(team.seats, 'paid seat')} ({source}); every member keeps "
               f"access until {_when(over_seats_grace_end(now))}, then {team.seats} do")
        queue_mail(team, "over_seats")
    elif members <= team.seats and team.over_seats_since is not None:
        team.over_seats_since = team.over_seats_enforced_at = None
        _audit(actor_id, team, "team.over_seats_resolved",
               f"{plural(members, 'member')}, {plural(team.seats, 'paid seat')} ({source}): every member has a seat")
        cancel_mail(team.id, "over_seats")
    free = max(team.seats - members, 0)
    for invitation in pending_invitations(team.id, now)[free:]:
        invitation.revoked_at = now
        cancel_mail(team.id, invitation_id=invitation.id)
        _audit(actor_id, team, "team.invite_revoke",
               f"revoked {invitation.email}: {plural(team.seats, 'paid seat')} and {plural(members, 'member')}")


def observe(team, now=None):
    """Record (once) that a team's grace period ended: audit who lost access and email the owner.

    Access already followed the time on every request; this writes it down. Returns True when it wrote.
    """
    now = now or utcnow()
    if team.over_seats_since is None or team.over_seats_enforced_at is not None:
        return False
    ends = over_seats_grace_end(team.over_seats_since)
    if now < ends:
        return False
    # One writer however many requests notice it at once: the row says whether this one came first.
    first = db.session.execute(db.update(Team).where(Team.id == team.id, Team.over_seats_enforced_at.is_(None))
                               .values(over_seats_enforced_at=now)).rowcount == 1
    set_committed_value(team, "over_seats_enforced_at", now)  # written above; nothing left to flush
    if not first:
        return False
    lapsed = [user.email for _, user in seat_holders(team)[team.seats:]]
    _audit(None, team, "team.over_seats_enforced",
           f"grace period ended {_when(ends)}; {team.seats} keep access, without it: {', '.join(lapsed) or 'nobody'}")
    queue_mail(team, "over_seats_ended")
    return True


def state(team, now=None):
    """Return what the team page, the banner and the emails say about a team over its paid seats, or None."""
    if team.over_seats_since is None:
        return None
    now = now or utcnow()
    holders = seat_holders(team)
    ends = over_seats_grace_end(team.over_seats_since)
    return {"members": len(holders), "seats": team.seats, "since": aware(team.over_seats_since), "ends": ends,
            "ends_text": ends.strftime("%d %b %Y %H:%M UTC"), "ended": now >= ends,
            "excess": max(len(holders) - team.seats, 0),
            "lapsed": [user for _, user in holders[team.seats:]],
            "lapsed_ids": {user.id for _, user in holders[team.seats:]}}
