"""Who a team's own provider may sign in: its members, its invitees, and verified addresses of its domains.

auth/oidc_routes.py asks through the registry (the slot this module fills at start): auth/ stands below teams/.
Joining this way follows the team's rules: an invitation is accepted with service.join; a domain's address takes a
free seat (members and pending invitations each hold one) or is refused with the reason.
"""
from billing.team_subscriptions import lock_team
from extensions import db
from models.sign_in import TeamDomain
from models.teams import Team, TeamMember, membership
from teams import service


def _invitation(team, email):
    """Return the team's pending invitation for email, or None."""
    return next((row for row in service.pending(team) if row.email == email), None)


def _by_domain(team_id, email):
    """Return True when email's domain is one the team takes members from."""
    domain = (email or "").rpartition("@")[2]
    claim = db.session.get(TeamDomain, domain) if domain else None
    return claim is not None and claim.team_id == team_id


def refusal(user, team_id, email):
    """Return why the team's provider may not sign this person in (user None: no account yet), or None."""
    member = membership(user.id) if user is not None else None
    if member is not None and member.team_id == team_id:
        return None
    team = db.session.get(Team, team_id)
    if team is None:
        return "This team no longer exists."
    if email is None:
        return (f"{team.name}'s provider did not confirm your email address, so it cannot add you to the team. "
                "Ask the team's owner for an invitation.")
    if _invitation(team, email) is not None:
        return None
    if _by_domain(team_id, email):
        return _no_seat(team)
    return f"You are not a member of {team.name}. Ask its owner or an admin for an invitation."


def _no_seat(team):
    """Return why the team cannot take one more member without an invitation (every seat held), or None."""
    if sum(service.seats_used(team)) < team.seats:
        return None
    return (f"{team.name} has no free seat: all {team.seats} paid seats are taken or invited. "
            "Ask the team's owner or an admin to add seats.")


def _join_by_domain(user, team_id, email):
    """Add user to the team as a member, taking a free seat; raise TeamError with the reason when there is none."""
    team = lock_team(team_id)
    if membership(user.id) is not None:
        db.session.rollback()
        raise service.TeamError("Your account is already in another team. Leave that team before joining this one.")
    reason = _no_seat(team)
    if reason:
        db.session.rollback()
        raise service.TeamError(reason)
    db.session.add(TeamMember(team_id=team.id, user_id=user.id, role="member"))
    service.audit(user.id, user.id, "team.join", f"team {team.id}: joined as {email} by its verified email domain")
    db.session.commit()


def join(user, team_id, email):
    """Make user a member of the team when the provider may sign them in; return why not, or None."""
    member = membership(user.id)
    if member is not None and member.team_id == team_id:
        return None
    reason = refusal(user, team_id, email)
    if reason:
        return reason
    invitation = _invitation(db.session.get(Team, team_id), email)
    try:
        if invitation is not None:
            service.join(user, invitation)
        else:
            _join_by_domain(user, team_id, email)
    except service.TeamError as exc:
        return str(exc)
    return None
