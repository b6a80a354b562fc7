"""One email per user, release and kind: created once, sent with its tries and status recorded."""
import logging

from alerts import digest
from alerts.store import insert_new
from auth import mail
from extensions import db
from jobqueue import MAX_TRIES
from models.accounts import User, utcnow
from models.alerts import Delivery, MailPreference
from models.entitlement import is_subscriber

log = logging.getLogger(__name__)



def _preferences(user_ids):
    """Return {user_id: MailPreference} for the users that have one."""
    if not user_ids:
        return {}
    rows = db.session.execute(db.select(MailPreference).where(MailPreference.user_id.in_(list(user_ids)))).scalars()
    return {pref.user_id: pref for pref in rows}


def create(release_id, user_ids, kind):
    """Create a queued delivery for each user not unsubscribed and not already sent one; return the new ids."""
    preferences = _preferences(set(user_ids))
    wanted = [uid for uid in user_ids if kind != "alerts" or getattr(preferences.get(uid), "alerts_email", True)]
    rows = [{"user_id": uid, "release_id": release_id, "kind": kind, "status": "queued", "tries": 0,
             "created_at": utcnow()} for uid in wanted]
    return [row[0] for row in insert_new(Delivery, rows, ["user_id", "release_id", "kind"])] if rows else []


def create_release_digests(release_id):
    """Create the opt-in release digest deliveries for subscribers who asked for it."""
    users = db.session.execute(
        db.select(User).join(MailPreference, MailPreference.user_id == User.id)
        .where(MailPreference.release_digest, User.active)).scalars().all()
    return create(release_id, [user.id for user in users if is_subscriber(user)], "release")


def deliver(delivery_id):
    """Send a queued delivery; count the try; mark it sent, or failed (and log it) after the last try."""
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.status != "queued":
        return None if delivery is None else delivery.status
    delivery.tries += 1
    db.session.commit()
    try:
        message = digest.build(delivery)
        if message is not None:
            mail.send_messages([message])
    except Exception as exc:
        db.session.rollback()
        delivery = db.session.get(Delivery, delivery_id)
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if delivery.tries >= MAX_TRIES:
            delivery.status = "failed"
            log.error("email %s (%s, release %s) to user %s failed after %d tries: %s", delivery.id, delivery.kind,
                      delivery.release_id, delivery.user_id, delivery.tries, delivery.last_error)
        db.session.commit()
        raise
    delivery.status = "sent"
    delivery.sent_at = utcnow()
    db.session.commit()
    return delivery.status
