"""Signed one-click unsubscribe links (RFC 8058) that work without logging in."""
from flask import Blueprint, abort, current_app, render_template, request
from itsdangerous import BadSignature, URLSafeSerializer

from auth.access import PUBLIC, requires
from extensions import csrf, db
from links import external_url
from models.accounts import User
from models.alerts import DELIVERY_KINDS, MailPreference

SALT = "beanflows-unsubscribe"
bp = Blueprint("unsubscribe", __name__, template_folder="templates")
# What each kind of email stops when its unsubscribe link is used.
FIELDS = {"alerts": "alerts_email", "release": "release_digest", "prices": "alerts_email"}


def _serializer():
    """Return the serializer keyed by SECRET_KEY."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def link(user_id, kind):
    """Return the absolute unsubscribe URL for user_id's emails of kind."""
    return external_url("unsubscribe.unsubscribe", token=_serializer().dumps({"uid": user_id, "kind": kind}))


def headers(url):
    """Return the List-Unsubscribe headers for an email whose unsubscribe URL is url."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _target(token):
    """Return (user, kind) a token names, or abort with 404."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        abort(404)
    if not isinstance(data, dict) or data.get("kind") not in DELIVERY_KINDS or not isinstance(data.get("uid"), int):
        abort(404)
    user = db.session.get(User, data["uid"])
    if user is None:
        abort(404)
    return user, data["kind"]


def preference(user_id):
    """Return user_id's mail preferences, creating the default row."""
    pref = db.session.get(MailPreference, user_id)
    if pref is None:
        pref = MailPreference(user_id=user_id, alerts_email=True, release_digest=False)
        db.session.add(pref)
    return pref


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
@csrf.exempt  # the signed token is the authority; mail clients POST without a form token (RFC 8058)
def unsubscribe(token):
    """Show a confirmation button (GET), or unsubscribe at once (POST)."""
    user, kind = _target(token)
    if request.method == "POST":
        setattr(preference(user.id), FIELDS[kind], False)
        db.session.commit()
    what = "release digests" if kind == "release" else "alert digests"
    return render_template("alerts/unsubscribe.html", done=request.method == "POST", what=what, email=user.email)
