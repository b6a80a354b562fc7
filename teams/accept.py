"""Accepting an invitation: sign the invitee up (or ask them to log in with that address), then join."""
from flask import flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from auth.access import PUBLIC, requires
from auth.forms import ActionForm
from auth.users import UserError, create_user
from auth.views import _start_session
from models.accounts import User
from teams import limits, service
from teams.forms import AcceptSignupForm
from teams.invitations import InvitationError, invitation_for_token, token_invitation_id
from teams.routes import bp

# The same words whether or not the address has an account: a link holder learns nothing more.
EXISTING = "We could not create an account for this address. If you already have one, log in with it to accept."


def _refused(message, status):
    """Render the page that says why this invitation cannot be used."""
    return render_template("teams/invitation_invalid.html", message=message), status


def _join(user, invitation):
    """Join user to the invitation's team and go to /team, or show why not."""
    try:
        service.join(user, invitation)
    except service.TeamError as exc:
        return _refused(str(exc), 409)
    flash(f"Welcome to {invitation.team.name}.", "success")
    return redirect(url_for("teams.team"), code=303)


def _limited(token):
    """Count a POST against its invitation's own limit (a forged link's against its address); return the limit
    already reached, or None. A whole office behind one address accepts its invitations each on its own count."""
    invitation_id = token_invitation_id(token)
    key = invitation_id if invitation_id is not None else f"unsigned:{get_remote_address()}"
    reached = limits.reached(limits.ACCEPT, key)
    if reached is None:
        limits.count(limits.ACCEPT, key)
    return reached


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
def accept(token):
    """Show an invitation; join as the logged-in invitee, or create the invitee's account and join."""
    if request.method == "POST":
        reached = _limited(token)
        if reached:
            return _refused(f"Too many tries with this invitation (at most {reached}). Wait a little, then open "
                            "the link again.", 429)
    try:
        invitation = invitation_for_token(token)
    except InvitationError as exc:
        return _refused(str(exc), 400)
    if current_user.is_authenticated:
        if User.normalize_email(current_user.email) != invitation.email:
            return _refused("This invitation was sent to another email address than the one you are logged in "
                            "with. Log out, then open the link again.", 403)
        if ActionForm().validate_on_submit():
            return _join(current_user._get_current_object(), invitation)
        return render_template("teams/accept.html", invitation=invitation, token=token, action_form=ActionForm())
    form = AcceptSignupForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            user = create_user(invitation.email, form.password.data)
        except UserError:
            error, status = EXISTING, 400
        else:
            _start_session(user, False)
            return _join(user, invitation)
    elif form.is_submitted():
        status = 400
    return render_template("teams/accept.html", invitation=invitation, token=token, form=form, error=error,
                           login_url=url_for("auth.login", next=url_for("teams.accept", token=token))), status
