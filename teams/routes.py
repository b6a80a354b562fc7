"""The /team page and its forms: invitations, roles, removal, ownership, leaving and seats."""
import logging

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields import SelectChoice

from auth.access import USER, manages_team, requires
from auth.forms import ActionForm
from billing.client import team_configured
from extensions import db
from models.accounts import is_row_id
from models.entitlement import subscription_grants_access
from models.teams import MANAGING_ROLES, TeamInvitation, membership
from teams import invitations, seats as team_seats, service
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
    used, pending_count = service.seats_used(team)
    owner_form = owner_form or OwnerForm()
    owner_form.user_id.choices = [SelectChoice(m.user_id, user.email) for m, user in rows if m.role != "owner"]
    seats_form = seats_form or SeatsForm(seats=team.seats)
    return render_template(
        "teams/team.html", team=team, me=member, manage=member.role in MANAGING_ROLES, members=rows,
        pending=service.pending(team), members_count=used, pending_count=pending_count,
        invite_form=invite_form or InviteForm(), seats_form=seats_form, owner_form=owner_form,
        role_form=RoleForm(), action_form=ActionForm(), error=error, billing=team_configured(),
        grants=subscription_grants_access(team) or team.access_granted, ended=team.access_ended,
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
    return _page(member)


@bp.post("/team/invitations")
@requires(USER)
def invite():
    """Invite one or more addresses (comma- or newline-separated) by email."""
    member = _manager()
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(member, 400, invite_form=form)
    try:
        created = service.invite(current_user, member.team, form.emails.data)
    except service.TeamError as exc:
        form.emails.errors.append(str(exc))
        return _page(member, 400, invite_form=form)
    failed = invitations.send_all(created, current_user.email)
    if failed:
        flash(f"Could not email {', '.join(failed)} now; use Resend later.", "warning")
    return _done(f"Invited {len(created) - len(failed)} of {len(created)}: "
                 + ", ".join(row.email for row in created) + ".")


@bp.post("/team/invitations/<int:invitation_id>/resend")
@requires(USER)
def resend(invitation_id):
    """Send a pending invitation again, valid 7 more days."""
    member = _manager()
    invitation = _invitation_of(member.team_id, invitation_id)
    _confirmed()
    service.resend(current_user, invitation)
    if invitations.send_all([invitation], current_user.email):
        return _page(member, 503, error=f"Could not email {invitation.email} now; try again later.")
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
        return _page(member, 502, error="Stripe could not change the seats just now; nothing changed. Try again.")
    return _done(f"The team now pays for {count} seats; Stripe prorates the difference.")



