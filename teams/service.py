"""Team changes: invite, resend, revoke, join, change a role, remove, transfer ownership, leave; each audited."""
from email.utils import getaddresses

from email_validator import EmailNotValidError, validate_email

from billing.over_seats import cancel_mail, plural, queue_mail, reconcile
from billing.team_subscriptions import lock_team
from extensions import db
from models.accounts import AuditLog, User, utcnow
from models.alerts import unshare_for
from models.teams import TeamInvitation, TeamMember, member_count, membership, pending_invitations
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
    return pending_invitations(team.id)


def seats_used(team):
    """Return (members, pending invitations): each holds a seat."""
    return member_count(team.id), len(pending(team))


def _split(text):
    """Return the items of an address list: split at commas, semicolons and new lines outside quotes and <>."""
    items, current, quoted, angled = [], [], False, False
    for ch in (text or "") + ",":
        if ch == '"' and not angled:
            quoted = not quoted
        elif ch in "<>" and not quoted:
            angled = ch == "<"
        elif ch in ",;\n\r" and not quoted and not angled:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    # Bare addresses separated by spaces ("ann@x.com bob@x.com") are several items too.
    return [part for item in items for part in (item.split() if '"' not in item and "<" not in item else [item])]


def parse_emails(text):
    """Return (addresses, reasons) of a list as mail clients write it ("Ann <ann@x.com>, bob@x.com", or one a line),
    each address parsed with email.utils, validated and normalised once; reasons name the items that are not."""
    found, reasons = [], []
    for item in _split(text):
        parsed = getaddresses([item])
        try:
            if len(parsed) != 1 or not parsed[0][1]:
                raise EmailNotValidError("not one address")
            address = User.normalize_email(validate_email(parsed[0][1], check_deliverability=False).normalized)
        except EmailNotValidError:
            reasons.append(f"{item[:80]} is not a valid email address.")
            continue
        if address not in found:
            found.append(address)
    if not found and not reasons:
        reasons.append("Enter at least one email address.")
    return found, reasons


def invite(actor, team, text):
    """Invite every usable address in text; return (invitations and their queued emails, reasons the others were
    not invited). Raise TeamError with every reason, inviting nobody, when none is usable or they do not fit."""
    addresses, reasons = parse_emails(text)
    team = lock_team(team.id)
    member_emails = {user.email for _, user in members(team)}
    pending_emails = {row.email for row in pending(team)}
    fresh = []
    for address in addresses:
        if address in member_emails:
            reasons.append(f"{address} is already a member of this team.")
        elif address in pending_emails:
            reasons.append(f"{address} already has a pending invitation: resend it instead.")
        else:
            fresh.append(address)
    taken, invited = seats_used(team)
    if taken > team.seats:
        reasons = [f"The team has {plural(taken, 'member')} but pays for {plural(team.seats, 'seat')}: no one can be "
                   "invited until seats are added or members removed."]
    elif fresh and taken + invited + len(fresh) > team.seats:
        free = max(team.seats - taken - invited, 0)
        reasons.append(f"The team pays for {plural(team.seats, 'seat')} and {taken + invited} are taken or invited, "
                       f"so {free} {'is' if free == 1 else 'are'} free; {plural(len(fresh), 'invitation')} would go "
                       "beyond them. Add seats or revoke a pending invitation first.")
    if not fresh or taken > team.seats or taken + invited + len(fresh) > team.seats:
        db.session.rollback()
        raise TeamError(" ".join(reasons))
    now = utcnow()
    created = []
    for address in fresh:
        row = TeamInvitation(team_id=team.id, email=address, invited_by_id=actor.id, created_at=now,
                             expires_at=now + VALID_FOR, last_sent_at=now)
        db.session.add(row)
        db.session.flush()
        created.append((row, queue_mail(team, "invitation", row, address, kick=False)))
        audit(actor.id, None, "team.invite", f"team {team.id}: invited {address}")
    db.session.commit()
    return created, reasons


def resend(actor, invitation):
    """Renew a pending invitation for another 7 days with a new email; the previous link stops working.

    Returns the queued email (the caller sends it)."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise TeamError("This invitation was already accepted or revoked; send a new one.")
    now = utcnow()
    invitation.last_sent_at = now
    invitation.expires_at = now + VALID_FOR
    cancel_mail(invitation.team_id, invitation_id=invitation.id)
    mail = queue_mail(invitation.team, "invitation", invitation, invitation.email, kick=False)
    audit(actor.id, None, "team.invite_resend", f"team {invitation.team_id}: resent to {invitation.email}")
    db.session.commit()
    return mail


def revoke(actor, invitation):
    """Revoke a pending invitation: its link stops working and its seat is free again."""
    if invitation.accepted_at is not None:
        raise TeamError("This invitation was already accepted; remove the member instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        cancel_mail(invitation.team_id, invitation_id=invitation.id)
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
        raise TeamError(f"The team has no free seat: all {plural(team.seats, 'paid seat')} are taken. "
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
    team = lock_team(member.team_id)
    audit(actor.id, member.user_id, "team.remove", f"team {member.team_id}: removed {member.user.email}")
    unshare_for(member.user_id)
    db.session.delete(member)
    db.session.flush()
    reconcile(team, actor.id, "a member removed")
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
    team = lock_team(member.team_id)
    audit(member.user_id, member.user_id, "team.leave", f"team {member.team_id}: left")
    unshare_for(member.user_id)
    db.session.delete(member)
    db.session.flush()
    reconcile(team, member.user_id, "a member left")
    db.session.commit()
