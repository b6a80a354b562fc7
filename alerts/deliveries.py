"""One email per user, release and kind: created once, sent once, with its tries and status recorded."""
import logging
import smtplib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

import jobqueue
from alerts import digest
from alerts.store import insert_new
from auth import mail
from extensions import db
from jobqueue import MAX_TRIES
from models.accounts import User, utcnow
from models.alerts import Delivery, MailPreference
from models.entitlement import aware, is_subscriber

log = logging.getLogger(__name__)

# A try that started longer ago than this died with its process (SMTP gives up after 10 s): try again.
LEASE = timedelta(minutes=5)
# While the mail server cannot be reached, an email keeps its place this long before it is marked failed.
KEEP_TRYING = timedelta(days=2)
# The alert digests (of a USDA release, of a Pink Sheet edition): both stop with mail_preferences.alerts_email.
ALERT_DIGESTS = ("alerts", "prices")


def _preferences(user_ids):
    """Return {user_id: MailPreference} for the users that have one."""
    if not user_ids:
        return {}
    rows = db.session.execute(db.select(MailPreference).where(MailPreference.user_id.in_(list(user_ids)))).scalars()
    return {pref.user_id: pref for pref in rows}


def create(release_id, user_ids, kind, commodity_code):
    """Create a queued delivery of a commodity's release for each user not unsubscribed and not already sent one;
    return the new ids."""
    preferences = _preferences(set(user_ids))
    wanted = [uid for uid in user_ids
              if kind not in ALERT_DIGESTS or getattr(preferences.get(uid), "alerts_email", True)]
    rows = [{"user_id": uid, "release_id": release_id, "kind": kind, "commodity_code": commodity_code,
             "status": "queued", "tries": 0, "created_at": utcnow()} for uid in wanted]
    keys = ["user_id", "release_id", "kind", "commodity_code"]
    return [row[0] for row in insert_new(Delivery, rows, keys)] if rows else []


def create_release_digests(release_id, commodity_code):
    """Create the opt-in release digest deliveries of a commodity's release for subscribers who asked for it."""
    users = db.session.execute(
        db.select(User).join(MailPreference, MailPreference.user_id == User.id)
        .where(MailPreference.release_digest, User.active)).scalars().all()
    return create(release_id, [user.id for user in users if is_subscriber(user)], "release", commodity_code)


def _claim(delivery_id):
    """Take a queued delivery for this try (one try at a time, whoever else holds its job); return it or None."""
    now = utcnow()
    taken = db.session.execute(
        sa.update(Delivery)
        .where(Delivery.id == delivery_id,
               sa.or_(Delivery.status == "queued", sa.and_(Delivery.status == "sending", Delivery.tried_at < now - LEASE)))
        .values(status="sending", tries=Delivery.tries + 1, tried_at=now)).rowcount
    db.session.commit()
    return db.session.get(Delivery, delivery_id) if taken else None


def unreachable(exc):
    """Return True when exc says the mail server could not be reached or asked to come back later (4xx)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, OSError)  # refused, timed out, dropped (smtplib's own errors are OSErrors too)


def backoff(tries):
    """Return the seconds before the next try after tries: ALERTS_RETRY_INTERVALS, then its last value."""
    intervals = current_app.config["ALERTS_RETRY_INTERVALS"] or [60]
    return float(intervals[min(tries, len(intervals)) - 1])


def deliver(delivery_id):
    """Send a queued delivery once; a failed try is retried, or the delivery marked failed after the last one.

    A mail server that cannot be reached is tried again after a backoff for KEEP_TRYING (kept in the users
    database meanwhile); any other failure is raised for the queue's own retries, MAX_TRIES tries in all.
    """
    delivery = _claim(delivery_id)
    if delivery is None:
        current = db.session.get(Delivery, delivery_id)
        return None if current is None else current.status
    try:
        message = digest.build(delivery)
        if message is not None:
            mail.send_messages([message])
    except Exception as exc:
        db.session.rollback()
        if _failed(delivery_id, exc):
            return "queued"
        raise
    delivery.status = "sent"
    delivery.sent_at = utcnow()
    db.session.commit()
    return delivery.status


def _failed(delivery_id, exc):
    """Record a failed try; return True when the next one is kept for later (the mail server was unreachable)."""
    delivery = db.session.get(Delivery, delivery_id)
    delivery.last_error = f"{type(exc).__name__}: {exc}"[:500]
    later = unreachable(exc) and utcnow() - aware(delivery.created_at) < KEEP_TRYING
    delivery.status = "queued" if later or delivery.tries < MAX_TRIES else "failed"
    db.session.commit()
    if later:
        delay = max(backoff(delivery.tries), 1.0)
        from alerts import jobs  # its jobs call this module

        jobqueue.retry_later(jobs.deliver_job, delivery.id, delay=delay)
        log.warning("email %s (%s, release %s) not sent on try %d, next try in %.0f s: %s", delivery.id,
                    delivery.kind, delivery.release_id, delivery.tries, delay, delivery.last_error)
    elif delivery.status == "failed":
        log.error("email %s (%s, release %s) to user %s failed after %d tries: %s", delivery.id, delivery.kind,
                  delivery.release_id, delivery.user_id, delivery.tries, delivery.last_error)
    return later
