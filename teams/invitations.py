"""Signed, single-use invitation links valid 7 days, and the emails that carry them."""
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

import jobqueue
from auth import mail
from extensions import db
from links import external_url
from models.accounts import is_row_id, utcnow
from models.entitlement import aware
from models.teams import TeamInvitation

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


def send(invitation, inviter_email):
    """Email the invitation's link (queued with retries when Redis is configured)."""
    link = external_url("teams.accept", token=make_token(invitation))
    team = invitation.team
    jobqueue.enqueue(
        mail.send,
        invitation.email,
        f"Join {team.name} on beanflows",
        f"{inviter_email} invites you to join the team {team.name} on beanflows, coffee market analytics.\n\n"
        f"Open this link within {VALID_FOR.days} days to join (you can create your account there):\n{link}\n\n"
        "If you did not expect this invitation, ignore this email.\n",
        tries=1 if jobqueue.queue() is None else jobqueue.MAX_TRIES,
    )


def send_all(invitations, inviter_email):
    """Email each invitation; return the addresses that could not be sent now."""
    failed = []
    for invitation in invitations:
        try:
            send(invitation, inviter_email)
        except OSError:
            current_app.logger.exception("sending the invitation to %s failed", invitation.email)
            failed.append(invitation.email)
    return failed
