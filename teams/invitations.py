"""Signed, single-use invitation links valid 7 days, and the emails that carry them."""
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from extensions import db
from links import external_url
from models.accounts import is_row_id, utcnow
from models.entitlement import aware
from models.teams import TeamInvitation
from teams.outbox import composer
from auth.nav import brand

SALT = "beanflows-team-invitation"
VALID_FOR = timedelta(days=7)


class InvitationError(ValueError):
    """An invitation link that cannot be used, with the reason to show."""


def _serializer():
    """Return the serializer keyed by the app's SECRET_KEY."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _sent(invitation):
    """Return when the invitation was last sent, in whole seconds: a resend makes older links invalid."""
    return int(aware(invitation.last_sent_at or invitation.created_at).timestamp())


def make_token(invitation):
    """Return the signed token of the invitation's latest email."""
    return _serializer().dumps({"iid": invitation.id, "sent": _sent(invitation)})


def invitation_for_token(token):
    """Return the pending invitation a token names; raise InvitationError with the reason otherwise."""
    try:
        data = _serializer().loads(token, max_age=int(VALID_FOR.total_seconds()))
    except SignatureExpired as exc:
        raise InvitationError("This invitation has expired. Ask the team for a new one.") from exc
    except BadSignature as exc:
        raise InvitationError("This invitation link is not valid.") from exc
    invitation_id = data.get("iid") if isinstance(data, dict) else None
    invitation = db.session.get(TeamInvitation, invitation_id) if is_row_id(invitation_id) else None
    if invitation is None:
        raise InvitationError("This invitation link is not valid.")
    if invitation.revoked_at is not None:
        raise InvitationError("This invitation was revoked by the team.")
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used.")
    if data.get("sent") != _sent(invitation):
        raise InvitationError("This invitation was sent again since: open the link in the newest email.")
    if aware(invitation.expires_at) <= utcnow():
        raise InvitationError("This invitation has expired. Ask the team for a new one.")
    return invitation


def token_invitation_id(token):
    """Return the invitation id a correctly signed token names (expired or not), else None: the accept limit's key."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    invitation_id = data.get("iid") if isinstance(data, dict) else None
    return invitation_id if is_row_id(invitation_id) else None


def is_pending(invitation, now=None):
    """Return True while an invitation can still be accepted."""
    return (invitation.accepted_at is None and invitation.revoked_at is None
            and aware(invitation.expires_at) > (now or utcnow()))


@composer("invitation")
def message(row):
    """Return (subject, body) of an invitation's email with its latest link, or None once it cannot be used."""
    invitation = db.session.get(TeamInvitation, row.invitation_id) if row.invitation_id else None
    if invitation is None or not is_pending(invitation):
        return None
    team, inviter = invitation.team, invitation.invited_by
    who = inviter.email if inviter is not None else "A colleague"
    link = external_url("teams.accept", token=make_token(invitation))
    return (f"Join {team.name} on {brand()}",
            f"{who} invites you to join the team {team.name} on {brand()}.\n\n"
            f"Open this link within {VALID_FOR.days} days to join (you can create your account there):\n{link}\n\n"
            "If you did not expect this invitation, ignore this email.\n")
