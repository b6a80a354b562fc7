"""Team changes: invite, resend, revoke, join, change a role, remove, transfer ownership, leave; each audited."""
import re

from email_validator import EmailNotValidError, validate_email

from billing.team_subscriptions import lock_team
from extensions import db
from models.accounts import AuditLog, User, utcnow
from models.entitlement import aware
from models.alerts import unshare_for
from models.teams import TeamInvitation, TeamMember, membership
from teams.invitations import VALID_FOR

ROLE_ORDER = {"owner": 0, "admin": 1, "member": 2}


class TeamError(ValueError):
    """A team change that is not allowed, with the reason to show."""


def audit(actor_id, target_id, action, detail):
    """Add an audit log row for a team change (committed with it)."""
    db.session.add(AuditLog(actor_id=actor_id, target_id=target_id, action=action, detail=detail[:512]))


def members(team):
    """Return the team's (TeamMember, User) pairs: owner, admins, then members, each by email."""
    rows = db.session.execute(
        db.select(TeamMember, User).join(User, User.id == TeamMember.user_id).where(TeamMember.team_id == team.id)
    ).all()
    return sorted(rows, key=lambda row: (ROLE_ORDER.get(row[0].role, 9), row[1].email))


def pending(team):
    """Return the team's invitations neither accepted, revoked nor expired, oldest first."""
    rows = db.session.execute(
        db.select(TeamInvitation).where(TeamInvitation.team_id == team.id, TeamInvitation.accepted_at.is_(None),
                                        TeamInvitation.revoked_at.is_(None)).order_by(TeamInvitation.created_at)
    ).scalars()
    now = utcnow()
    return [row for row in rows if aware(row.expires_at) > now]


def seats_used(team):
    """Return (members, pending invitations): each holds a seat."""
    count = db.session.execute(
        db.select(db.func.count()).select_from(TeamMember).where(TeamMember.team_id == team.id)).scalar_one()
    return count, len(pending(team))


def parse_emails(text):
    """Return (addresses, reasons) of a comma- or newline-separated list; each address normalised once."""
    found, reasons = [], []
    for raw in re.split(r"[,;\s]+", text or ""):
        if not raw:
            continue
        try:
            address = User.normalize_email(validate_email(raw, check_deliverability=False).normalized)
        except EmailNotValidError:
            reasons.append(f"{raw[:80]} is not a valid email address.")
            continue
        if address not in found:
            found.append(address)
    if not found and not reasons:
        reasons.append("Enter at least one email address.")
    return found, reasons


def invite(actor, team, text):
    """Create an invitation for each address in text; raise TeamError with every reason, inviting nobody."""
    addresses, reasons = parse_emails(text)
    team = lock_team(team.id)
    member_emails = {user.email for _, user in members(team)}
    pending_emails = {row.email for row in pending(team)}
    for address in addresses:
        if address in member_emails:
            reasons.append(f"{address} is already a member of this team.")
        elif address in pending_emails:
            reasons.append(f"{address} already has a pending invitation: resend it instead.")
    used = sum(seats_used(team))
    if not reasons and used + len(addresses) > team.seats:
        free = max(team.seats - used, 0)
        reasons.append(f"The team pays for {team.seats} seats and {used} are taken or invited, so {free} "
                       f"{'is' if free == 1 else 'are'} free; {len(addresses)} invitations would go beyond them. "
                       "Add seats or revoke a pending invitation first.")
    if reasons:
        db.session.rollback()
        raise TeamError(" ".join(reasons))
    now = utcnow()
    created = []
    for address in addresses:
        row = TeamInvitation(team_id=team.id, email=address, invited_by_id=actor.id, created_at=now,
                             expires_at=now + VALID_FOR, last_sent_at=now)
        db.session.add(row)
        created.append(row)
        audit(actor.id, None, "team.invite", f"team {team.id}: invited {address}")
    db.session.commit()
    return created


def resend(actor, invitation):
    """Renew a pending invitation for another 7 days; the previous link stops working."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise TeamError("This invitation was already accepted or revoked; send a new one.")
    now = utcnow()
    invitation.last_sent_at = now
    invitation.expires_at = now + VALID_FOR
    audit(actor.id, None, "team.invite_resend", f"team {invitation.team_id}: resent to {invitation.email}")
    db.session.commit()
    return invitation


def revoke(actor, invitation):
    """Revoke a pending invitation: its link stops working and its seat is free again."""
    if invitation.accepted_at is not None:
        raise TeamError("This invitation was already accepted; remove the member instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit(actor.id, None, "team.invite_revoke", f"team {invitation.team_id}: revoked {invitation.email}")
        db.session.commit()


def join(user, invitation):
    """Make user a member through invitation; raise TeamError with the reason when they cannot join."""
    team = lock_team(invitation.team_id)
    db.session.refresh(invitation)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        db.session.rollback()
        raise TeamError("This invitation has already been used or was revoked.")
    current = membership(user.id)
    if current is not None:
        db.session.rollback()
        raise TeamError("You are already a member of this team." if current.team_id == team.id else
                        "Your account is already in another team. Leave that team before joining this one.")
    taken = seats_used(team)[0]
    if taken >= team.seats:
        db.session.rollback()
        raise TeamError(f"The team has no free seat: all {team.seats} paid seats are taken. "
                        "Ask the team's owner or an admin to add seats.")
    db.session.add(TeamMember(team_id=team.id, user_id=user.id, role="member"))
    invitation.accepted_at, invitation.accepted_by_id = utcnow(), user.id
    audit(user.id, user.id, "team.join", f"team {team.id}: joined as {user.email}")
    db.session.commit()


def set_role(actor, member, role):
    """Make a member an admin or a member again."""
    if member.role == "owner":
        raise TeamError("The owner's role changes only by transferring ownership.")
    if role not in ("admin", "member"):
        raise TeamError("Choose admin or member.")
    if member.role != role:
        audit(actor.id, member.user_id, "team.role", f"team {member.team_id}: {member.role} -> {role}")
        member.role = role
        db.session.commit()


def remove(actor, member):
    """Remove a member: their team access ends on their next request."""
    if member.role == "owner":
        raise TeamError("The owner cannot be removed. The owner can transfer ownership, then leave.")
    if member.user_id == actor.id:
        raise TeamError("Use Leave the team to remove yourself.")
    audit(actor.id, member.user_id, "team.remove", f"team {member.team_id}: removed {member.user.email}")
    unshare_for(member.user_id)
    db.session.delete(member)
    db.session.commit()


def transfer(actor, owner, member):
    """Make member the owner; the previous owner stays as an admin."""
    if member.user_id == owner.user_id:
        raise TeamError("You are already the owner.")
    team = lock_team(owner.team_id)
    owner.role, member.role = "admin", "owner"
    team.owner_id = member.user_id
    audit(actor.id, member.user_id, "team.owner", f"team {team.id}: ownership from user {owner.user_id} "
          f"to user {member.user_id}")
    db.session.commit()


def leave(member):
    """Leave the team; the owner must transfer ownership first."""
    if member.role == "owner":
        raise TeamError("The owner cannot leave: transfer ownership to another member first.")
    audit(member.user_id, member.user_id, "team.leave", f"team {member.team_id}: left")
    unshare_for(member.user_id)
    db.session.delete(member)
    db.session.commit()
