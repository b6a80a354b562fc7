"""Team emails from the team_mail table: tried at once, retried with a backoff while the mail server is unreachable,
sent once when it answers again, by whichever worker or host claims them first."""
from collections.abc import Callable
import logging
import os
import threading
import weakref
from datetime import timedelta

from flask import current_app

from auth.mail import send
from auth.one_line import one_line
from extensions import db
from models.accounts import utcnow
from models.entitlement import aware
from models.teams import MAIL_KICK, TeamMail

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # how long a try holds its row before another worker may take it
GIVE_UP = timedelta(days=7)  # as long as an invitation lives
BATCH = 50
IDLE_SECONDS = 60  # longest sleep of the sender thread between looks at the table
COMPOSERS: dict[str, Callable] = {}  # kind -> function(row) returning (subject, body), or None when the email is no longer true


def composer(kind):
    """Register the function that writes emails of kind."""
    def register(function):
        COMPOSERS[kind] = function
        return function
    return register


def _claim(row_id, now):
    """Take a due row for one try (its lease keeps other workers off); return True when this worker holds it."""
    claimed = db.session.execute(
        db.update(TeamMail).where(TeamMail.id == row_id, TeamMail.state == "queued", TeamMail.next_at <= now)
        .values(next_at=now + LEASE, attempts=TeamMail.attempts + 1).execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


def retry_delay(attempts):
    """Return the wait before the next try after attempts failed tries (TEAM_MAIL_RETRY_SECONDS; the last repeats)."""
    steps = current_app.config["TEAM_MAIL_RETRY_SECONDS"] or [60]
    return timedelta(seconds=steps[min(attempts, len(steps)) - 1])


def deliver(row_id):
    """Try one queued email now if it is due and no one else holds it; return its state after ('sent', ...)."""
    now = utcnow()
    if not _claim(row_id, now):
        return None
    row = db.session.execute(db.select(TeamMail).where(TeamMail.id == row_id)
                             .execution_options(populate_existing=True)).scalar_one()
    try:
        message = COMPOSERS[row.kind](row)
        if message is not None:
            send(row.recipient, one_line(message[0], 200), message[1])
    except Exception as exc:  # an unreachable server, a refusal, a bad header: never the request's failure
        log.warning("team mail %s to %s failed (try %d): %s", row.id, row.recipient, row.attempts, exc)
        row.last_error = one_line(f"{type(exc).__name__}: {exc}", 255)
        gave_up = now - aware(row.created_at) >= GIVE_UP
        row.state, row.next_at = ("failed", None) if gave_up else ("queued", now + retry_delay(row.attempts))
    else:
        row.state, row.next_at = ("sent", None) if message is not None else ("cancelled", None)
        row.sent_at, row.last_error = (now, None) if message is not None else (None, row.last_error)
    db.session.commit()
    return row.state


def send_due():
    """Try every email that is due; return how many went out."""
    due = db.session.execute(db.select(TeamMail.id).where(TeamMail.state == "queued", TeamMail.next_at <= utcnow())
                             .order_by(TeamMail.next_at).limit(BATCH)).scalars().all()
    return sum(deliver(row_id) == "sent" for row_id in due)


def seconds_to_next():
    """Return the seconds until the next queued email is due (0 when one is), None when none is queued."""
    soonest = db.session.execute(db.select(db.func.min(TeamMail.next_at)).where(TeamMail.state == "queued")).scalar()
    return None if soonest is None else max((aware(soonest) - utcnow()).total_seconds(), 0)


class Sender:
    """One thread per process that sends queued team emails as they fall due, and stops when none is queued."""

    def __init__(self, app):
        self.app = app
        self._lock, self._wake = threading.Lock(), threading.Event()
        self._pid = None  # the process whose thread runs: gunicorn forks after the app is built

    def kick(self):
        """Wake this process's thread (starting it when it is not running) to look at the table now."""
        with self._lock:
            self._wake.set()
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
        threading.Thread(target=_run, args=(weakref.ref(self),), name="team-mail", daemon=True).start()

    def step(self):
        """Send what is due; return the seconds to sleep, or None to stop (nothing queued and no new kick)."""
        self._wake.clear()
        try:
            with self.app.app_context():
                send_due()
                wait = seconds_to_next()
                db.session.remove()
        except Exception:  # the database or the mail code failed: look again later
            log.exception("team mail: sending queued emails failed")
            wait = IDLE_SECONDS
        with self._lock:
            if wait is None and not self._wake.is_set():
                self._pid = None
                return None
        return min(wait if wait is not None else 0, IDLE_SECONDS)


def _run(sender_ref):
    """Send due emails until none is queued; the thread holds the sender weakly, so a dropped app ends it."""
    while True:
        sender = sender_ref()
        if sender is None:
            return
        wait = sender.step()
        if wait is None:
            return
        wake = sender._wake
        del sender
        wake.wait(wait)


def init_app(app):
    """Give app its sender; billing and the team routes kick it after queueing an email."""
    sender = Sender(app)
    app.extensions[MAIL_KICK] = sender.kick


def kick():
    """Wake the current app's sender."""
    current_app.extensions[MAIL_KICK]()
