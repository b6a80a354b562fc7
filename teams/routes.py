"""The /team page and its forms: invitations, roles, removal, ownership, leaving and seats."""
import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields import SelectChoice

from auth.access import USER, manages_team, requires
from auth.forms import ActionForm
from billing import over_seats
from billing.client import provider_problem, team_configured
from billing.over_seats import plural
from extensions import db
from models.accounts import is_row_id
from models.teams import MANAGING_ROLES, TeamInvitation, member_count, membership
from teams import limits, outbox, seats as team_seats, service, view
from teams.forms import InviteForm, OwnerForm, RoleForm, SeatsForm

log = logging.getLogger(__name__)

bp = Blueprint("teams", __name__, template_folder="templates")


def _own_membership():
    """Return the current user's membership; 404 for someone in no team."""
    member = membership(current_user.id)
    if member is None:
        abort(404)
    return member


def _manager():
    """Return the current user's membership when they manage their team; 404 in no team, 403 as a member."""
    member = _own_membership()
    if not manages_team(current_user):  # the access policy, from the live-user record
        abort(403)
    return member


def _member_of(team_id, user_id):
    """Return user_id's membership of team_id, or 404 (another team's member looks like no one)."""
    target = membership(user_id) if is_row_id(user_id) else None
    if target is None or target.team_id != team_id:
        abort(404)
    return target


def _invitation_of(team_id, invitation_id):
    """Return the team's invitation, or 404 (another team's invitation looks like none)."""
    invitation = db.session.get(TeamInvitation, invitation_id) if is_row_id(invitation_id) else None
    if invitation is None or invitation.team_id != team_id:
        abort(404)
    return invitation


def _page(member, status=200, error=None, invite_form=None, seats_form=None, owner_form=None):
    """Render the team page for member."""
    team = member.team
    rows = service.members(team)
    owner_form = owner_form or OwnerForm()
    owner_form.user_id.choices = [SelectChoice(m.user_id, user.email) for m, user in rows if m.role != "owner"]
    seats_form = seats_form or SeatsForm(seats=team.seats)
    pending = service.pending(team)
    used, pending_count = member_count(team.id), len(pending)
    mails = view.mail_states(pending)
    if any(row.state == "queued" for row in mails.values()):
        outbox.kick()  # a worker restarted since: make sure someone is still trying
    return render_template(
        "teams/team.html", team=team, me=member, manage=member.role in MANAGING_ROLES, members=rows,
        pending=pending, mails={key: view.mail_text(row) for key, row in mails.items()}, members_count=used,
        pending_count=pending_count, invite_form=invite_form or InviteForm(), seats_form=seats_form,
        owner_form=owner_form, role_form=RoleForm(), action_form=ActionForm(), error=error,
        billing=team_configured(), **view.context(team, member),
    ), status


def _done(message):
    """Flash message and go back to the team page (303)."""
    flash(message, "success")
    return redirect(url_for("teams.team"), code=303)


def _confirmed():
    """Refuse (400) a button's POST without its valid CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.errorhandler(service.TeamError)
def _refused(exc):
    """Show the team page with the reason a change is not allowed (409)."""
    return _page(_own_membership(), 409, error=str(exc))


@bp.get("/team")
@requires(USER)
def team():
    """Show the user's team: members, invitations and seats (managers can change them)."""
    member = membership(current_user.id)
    if member is None:
        return render_template("teams/no_team.html")
    if over_seats.observe(member.team):  # its grace period just ended: write it down once
        db.session.commit()
    return _page(member)


def _send_now(mails):
    """Try the queued emails now; return the addresses not sent (retried in the background)."""
    failed = [mail.recipient for mail in mails if mail is not None and outbox.deliver(mail.id) != "sent"]
    if failed:
        outbox.kick()
    return failed


def _not_sent(failed):
    """Flash that some invitations' emails are waiting for the mail server."""
    flash(f"The mail server did not take the email to {', '.join(failed)} just now: it is retried automatically "
          "(see Pending invitations), and you can resend it.", "warning")


@bp.post("/team/invitations")
@requires(USER)
def invite():
    """Invite one or more addresses (separated by commas or new lines, with or without names) by email."""
    member = _manager()
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(member, 400, invite_form=form)
    try:
        created, skipped = service.invite(current_user, member.team, form.emails.data)
    except service.TeamError as exc:
        form.emails.errors.append(str(exc))
        return _page(member, 400, invite_form=form)
    failed = _send_now([mail for _, mail in created])
    if skipped:
        flash("Not invited: " + " ".join(skipped), "warning")
    if failed:
        _not_sent(failed)
    return _done(f"Invited {plural(len(created), 'address', 'addresses')}: "
                 + ", ".join(row.email for row, _ in created) + ".")


@bp.post("/team/invitations/<int:invitation_id>/resend")
@requires(USER)
def resend(invitation_id):
    """Send a pending invitation again, valid 7 more days (INVITATION_RESEND_RATE_LIMIT: once a minute, 10 a day)."""
    member = _manager()
    invitation = _invitation_of(member.team_id, invitation_id)
    _confirmed()
    reached = limits.reached(limits.RESEND, invitation.id)
    if reached:
        return _page(member, 429, error=f"{invitation.email}'s invitation was resent too often just now (at most "
                                        f"{reached}). Try again later.")
    mail = service.resend(current_user, invitation)
    limits.count(limits.RESEND, invitation.id)
    if _send_now([mail]):
        _not_sent([invitation.email])
        return redirect(url_for("teams.team"), code=303)
    return _done(f"Invitation sent again to {invitation.email}.")


@bp.post("/team/invitations/<int:invitation_id>/revoke")
@requires(USER)
def revoke(invitation_id):
    """Revoke a pending invitation."""
    member = _manager()
    invitation = _invitation_of(member.team_id, invitation_id)
    _confirmed()
    service.revoke(current_user, invitation)
    return _done(f"Invitation to {invitation.email} revoked.")


@bp.post("/team/members/<int:user_id>/role")
@requires(USER)
def role(user_id):
    """Make a member an admin, or an admin a member."""
    member = _manager()
    target = _member_of(member.team_id, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _page(member, 400, error="Choose admin or member.")
    service.set_role(current_user, target, form.role.data)
    return _done(f"{target.user.email} is now {'an admin' if form.role.data == 'admin' else 'a member'}.")


@bp.post("/team/members/<int:user_id>/remove")
@requires(USER)
def remove(user_id):
    """Remove a member from the team; their team access ends on their next request."""
    member = _manager()
    target = _member_of(member.team_id, user_id)
    _confirmed()
    email = target.user.email
    service.remove(current_user, target)
    return _done(f"{email} was removed from the team.")


@bp.post("/team/owner")
@requires(USER)
def owner():
    """Transfer ownership to another member (the owner only)."""
    member = _own_membership()
    if member.role != "owner":
        abort(403)
    form = OwnerForm()
    form.user_id.choices = []
    if not form.validate_on_submit():
        return _page(member, 400, owner_form=form)
    target = _member_of(member.team_id, form.user_id.data)
    service.transfer(current_user, member, target)
    return _done(f"{target.user.email} is now the team's owner; you stay an admin.")


@bp.post("/team/leave")
@requires(USER)
def leave():
    """Leave the team (the owner transfers ownership first)."""
    member = _own_membership()
    _confirmed()
    name = member.team.name
    service.leave(member)
    flash(f"You left {name}.", "success")
    return redirect(url_for("auth.account"), code=303)


@bp.post("/team/seats")
@requires(USER)
def seats():
    """Change the number of paid seats (the subscription's quantity, prorated by Stripe)."""
    from stripe import StripeError  # here, not at the top: see billing.client.client()

    member = _manager()
    form = SeatsForm()
    if not form.validate_on_submit():
        return _page(member, 400, seats_form=form)
    if not team_configured():
        return _page(member, 503, error="Billing is not configured on this server, so seats cannot change here.")
    try:
        count = team_seats.change(current_user, member.team, form.seats.data)
    except service.TeamError as exc:
        form.seats.errors.append(str(exc))
        return _page(member, 400, seats_form=form)
    except StripeError as exc:
        db.session.rollback()
        log.error("stripe call failed: %s", exc)
        status, message = provider_problem(exc)
        return _page(member, status, error=f"The seats were not changed. {message}")
    return _done(f"The team now pays for {plural(count, 'seat')}; Stripe prorates the difference.")



