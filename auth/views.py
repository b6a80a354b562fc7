"""Login, logout and signup routes (plain HTML form POSTs)."""
from functools import wraps

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from auth import login_sessions, signin
from auth.access import PUBLIC, requires, stuck
from auth.forms import LoginForm, SignupForm
from auth.passwords import MIN_LENGTH
from auth.redirects import HOME, safe_next
from auth.users import UserError, authenticate, create_user
from extensions import db, limiter
from models.accounts import User, utcnow

# Its static folder holds the passkey script of the sign-in pages (not a Dash asset: dashboards never load it).
bp = Blueprint("auth", __name__, template_folder="templates", static_folder="static", static_url_path="/auth/static")

LOGIN_FAILED = "Invalid email or password."


def _login_limit():
    """Return the configured login rate limit."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response):
    """Count a login or signup POST against the limit unless it succeeded (or the server could not judge it)."""
    return response.status_code != 303 and response.status_code < 500


def _email_key():
    """Rate-limit key for the email being tried from any address (the slow cap against many hosts)."""
    return "login-email:" + User.normalize_email(request.form.get("email", ""))


def _pair_key():
    """Rate-limit key for the email being tried from this address (the advertised limit)."""
    return f"login-pair:{get_remote_address()}:{User.normalize_email(request.form.get('email', ''))}"


def _limit(setting):
    """Return a function reading a rate limit from the configuration."""
    return lambda: current_app.config[setting]


def _signup_key():
    """Rate-limit key for accounts created from this address (apart from the login limits' counts)."""
    return "signup:" + get_remote_address()


def _not_an_account_attempt():
    """Return True (exempt) unless the request is a signup POST whose form passes its checks."""
    # Only such a POST hashes a password and may create an account; a mistyped form costs nothing.
    return request.method != "POST" or not SignupForm().validate()


def _signup_page(form, error, status):
    """Render the signup form with an error and status."""
    form.password.data = None
    return render_template("auth/signup.html", form=form, error=error, min_length=MIN_LENGTH), status


def _form_when_limited(view):
    """Answer a signup refused by a rate limit with the form again and the reason (429)."""
    @wraps(view)
    def limited(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except RateLimitExceeded as exc:
            reason = f"Too many sign-ups from your address (at most {exc.description}). Try again later."
            return _signup_page(SignupForm(), reason, 429)
    return limited


def _start_session(user, remember):
    """Log user in on a fresh session and record the time."""
    session.clear()
    login_sessions.start(user)
    login_user(user, remember=remember)
    user.last_login_at = utcnow()
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
# The advertised limit counts every attempt as it arrives, so parallel requests cannot slip past it;
# the wider caps count failures only, so a busy shared address or a known email is not locked out.
@limiter.limit(_login_limit, methods=["POST"], key_func=_pair_key)
@limiter.limit(_limit("LOGIN_ADDRESS_RATE_LIMIT"), methods=["POST"], deduct_when=_failed)
@limiter.limit(_limit("LOGIN_EMAIL_RATE_LIMIT"), methods=["POST"], deduct_when=_failed, key_func=_email_key)
def login():
    """Show the login form; log in on a valid POST."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
        if current_user.is_authenticated:
            return redirect(form.next.data or HOME)
    error, sso = None, request.args.get("sso")
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            try:
                return signin.begin(user, "password", bool(form.remember.data), form.next.data)
            except signin.Refused as exc:  # only once the password is right: the reason tells nothing to others
                error, sso = str(exc), exc.provider
        else:
            error = LOGIN_FAILED
    form.password.data = None
    return render_template("auth/login.html", form=form, error=error, sso=sso), 200 if request.method == "GET" else 401


@bp.route("/logout", methods=["GET", "POST"])
@requires(PUBLIC)
def logout():
    """Log out on POST (CSRF-checked); GET only shows the button."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect("/")
        return render_template("auth/logout.html")
    if current_user.is_authenticated:
        login_sessions.end(current_user._get_current_object())
    elif stuck() is not None:  # a login stuck at a step of signing in ends too
        login_sessions.end(stuck()[1])
    logout_user()
    session.clear()
    return redirect("/", code=303)


@bp.route("/signup", methods=["GET", "POST"])
@requires(PUBLIC)
@_form_when_limited
# Accounts per address count as each attempt arrives, so a parallel burst gets no more than a
# sequential one; failed forms count against the login limit, as failed logins do.
@limiter.limit(_limit("SIGNUP_RATE_LIMIT"), methods=["POST"], key_func=_signup_key, exempt_when=_not_an_account_attempt)
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
def signup():
    """Show the signup form; create the account and log in on a valid POST."""
    form = SignupForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    error = None
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data)
        except UserError:
            error = "We could not create an account with that email. If you already have one, log in or reset your password."
        else:
            _start_session(user, False)
            return redirect(safe_next(form.next.data) or HOME, code=303)
    return _signup_page(form, error, 200 if request.method == "GET" else 400)

