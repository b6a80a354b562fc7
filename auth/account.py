"""The account page: plan and subscription (billing/_account_panel.html), password change, named API tokens."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from auth import api_tokens
from auth.access import USER, requires
from auth.forms import ActionForm, ChangePasswordForm, TokenForm
from auth.passwords import check_password
from auth.steps import owes_factor_check
from auth.users import set_password
from auth.views import bp
from models.entitlement import is_subscriber


def _render(password_form=None, token_form=None, new_token=None, new_token_name=None, status=200):
    """Render the account page."""
    return render_template(
        "auth/account.html",
        subscriber=is_subscriber(current_user),
        password_form=password_form or ChangePasswordForm(),
        action_form=ActionForm(),
        token_form=token_form or TokenForm(),
        tokens=[(token, api_tokens.is_expired(token)) for token in api_tokens.live_tokens(current_user)],
        new_token=new_token,
        new_token_name=new_token_name,
    ), status


@bp.get("/account")
@requires(USER)
def account():
    """Show the account page."""
    return _render()


@bp.post("/account/password")
@requires(USER)
def change_password():
    """Change the password after checking the current one."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _render(password_form=form, status=400)
    if not check_password(current_user.password_hash, form.current_password.data):
        form.current_password.errors.append("That is not your current password.")
        return _render(password_form=form, status=400)
    user = current_user._get_current_object()
    revoked = set_password(user, form.password.data)
    # Other sessions end with the version bump; keep this one.
    login_user(user, remember=request.cookies.get("remember_token") is not None)
    flash("Your password has been changed. Other sessions were logged out"
          + (" and your API tokens were revoked: create new ones below." if revoked else "."), "success")
    return redirect(url_for("auth.account"), code=303)


@bp.post("/account/tokens")
@requires(USER)
def create_token():
    """Create an API token with the chosen expiry and show it once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _render(token_form=form, status=400)
    if owes_factor_check(current_user):  # a user with a second factor gives it again first (the policy decides)
        flash("Confirm it's you with your second factor, then create the token.", "info")
        return redirect(url_for("auth.second_step", next=url_for("auth.account")), code=303)
    if not is_subscriber(current_user):
        flash("API tokens are a subscriber feature.", "warning")
        return redirect(url_for("auth.account"), code=303)
    row, raw = api_tokens.create(current_user, form.expires.data, form.name.data)
    return _render(new_token=raw, new_token_name=row.name)


@bp.post("/account/tokens/<int:token_id>/revoke")
@requires(USER)
def revoke_token(token_id):
    """Revoke one of the user's API tokens."""
    if ActionForm().validate_on_submit() and api_tokens.revoke(current_user, token_id):
        flash("Token revoked.", "success")
    return redirect(url_for("auth.account"), code=303)
