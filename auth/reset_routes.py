"""Forgot-password routes: ask for a link, then set a new password from it."""
from flask import current_app, flash, redirect, render_template, url_for

from auth import reset
from auth.access import PUBLIC, requires
from auth.forms import ResetPasswordForm, ResetRequestForm
from auth.users import set_password
from auth.views import _login_limit, bp
from extensions import db, limiter

SENT = "If an account exists for that email, we have sent a link to reset its password."


@bp.route("/reset", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_login_limit, methods=["POST"])
def reset_request():
    """Ask for a reset link; the answer is the same whether the email exists or not."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            reset.send_reset_email(form.email.data)
        except OSError:
            current_app.logger.exception("sending the reset email failed")
        flash(SENT, "info")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
def reset_password(token):
    """Set a new password from a valid reset link."""
    try:
        user = reset.user_for_token(token)
    except reset.ResetTokenError as exc:
        return render_template("auth/reset_invalid.html", message=str(exc)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.consume(token)
        except reset.ResetTokenError as exc:
            return render_template("auth/reset_invalid.html", message=str(exc)), 400
        revoked = set_password(user, form.password.data)
        db.session.commit()
        flash("Your password has been changed. Log in with the new one."
              + (" Your API tokens were revoked: create new ones on your account page." if revoked else ""), "success")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/reset_password.html", form=form, token=token)
