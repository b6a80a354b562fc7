"""The job queue on Redis (RQ), with an outbox in the users database for jobs Redis cannot take right now.

A job is a module-level function, handed over as the function itself (RQ records where it lives; the outbox
keeps the same 'module.name'). A job that cannot be queued (Redis unreachable) or that should run later (a retry's backoff) is a row of
`job_outbox`; `flush()` queues the rows that are due, and the worker runs it every few seconds, so a job kept
while Redis was down is queued when it returns. Without REDIS_URL jobs run here and now (`run_inline`).
"""
import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import sqlalchemy as sa
from flask import current_app
from werkzeug.utils import import_string

from extensions import database_unreachable, db

log = logging.getLogger(__name__)

# The first try and three retries, in RQ and inline alike.
MAX_TRIES = 4
# How often the worker queues due outbox jobs, and waits before starting again after Redis went away.
FLUSH_SECONDS = 2.0
# How long the worker's command listener (RQ's pubsub thread) waits between polls, and so at most for its stop.
COMMANDS_SECONDS = 1.0
# A job whose last try found the users database unreachable is queued again this much later, until it answers.
DATABASE_RETRY_SECONDS = 30.0


class OutboxJob(db.Model):
    """A job kept until Redis takes it: Redis was unreachable, or it waits for its run_after time."""

    __tablename__ = "job_outbox"

    id = db.Column(db.Integer, primary_key=True)
    path = db.Column(db.String(200), nullable=False)
    args = db.Column(db.Text, nullable=False)  # JSON list
    tries = db.Column(db.Integer, nullable=False)
    run_after = db.Column(db.DateTime(timezone=True), nullable=False, index=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False)
    reason = db.Column(db.String(200), nullable=True)


class Kept:
    """What enqueue returns for a job kept in the outbox (it has an id, as an RQ job has)."""

    def __init__(self, row_id):
        self.id = f"outbox-{row_id}"


def _now():
    """Return the time now, in UTC."""
    return datetime.now(timezone.utc)


def _redis(url):
    """Return a client of url that gives up connecting after 2 s (a Redis host gone silent)."""
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=2)


def queue():
    """Return the jobs queue on REDIS_URL, or None when no Redis is configured."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    # Imported here: a web worker without Redis never loads RQ and redis-py (7.5 MB).
    from rq import Queue

    return Queue(current_app.config["ALERTS_QUEUE"], connection=_redis(url))


def _name(func: Callable) -> str:
    """Return where a job function lives, 'module.name', as RQ records it."""
    return f"{func.__module__}.{func.__qualname__}"


def _put(jobs, func, args, tries, delay=0.0):
    """Queue func(*args) on jobs with RQ retries and backoff (after delay seconds); return the RQ job."""
    from rq import Retry

    retry = Retry(max=tries - 1, interval=current_app.config["ALERTS_RETRY_INTERVALS"]) if tries > 1 else None
    if delay:
        return jobs.enqueue_in(timedelta(seconds=delay), func, *args, retry=retry)
    return jobs.enqueue(func, *args, retry=retry)


def _again_when_the_database_answers(job, exc_type, exc, tb):
    """RQ exception handler: a job out of retries because the users database was unreachable is queued again."""
    if job.retries_left or not database_unreachable(exc):
        return True  # RQ retries it, or it failed for a reason waiting will not mend
    from rq import Queue

    _put(Queue(job.origin, connection=job.connection), job.func, job.args, MAX_TRIES, DATABASE_RETRY_SECONDS)
    log.warning("job queued again for when the users database answers",
                extra={"job": job.func_name, "seconds": DATABASE_RETRY_SECONDS})
    return True


def keep(func, args, tries=MAX_TRIES, delay=0.0, reason=None):
    """Store a job in the outbox, due after delay seconds, in its own transaction; return a Kept."""
    now = _now()
    with db.engine.begin() as conn:
        row_id = conn.execute(sa.insert(OutboxJob.__table__).values(
            path=_name(func), args=json.dumps(list(args)), tries=tries, run_after=now + timedelta(seconds=delay),
            created_at=now, reason=reason).returning(OutboxJob.__table__.c.id)).scalar_one()
    return Kept(row_id)


def _job(func):
    """Return func when it is a module-level function (a worker imports it by name); raise TypeError otherwise."""
    if not callable(func) or "<" in func.__qualname__:  # a lambda or nested function: no worker could import it
        raise TypeError(f"a job is a module-level function, not {func!r}")
    return func


def enqueue(func: Callable, *args: Any, tries: int = MAX_TRIES) -> Any:
    """Queue the module-level function func with retries and backoff; without Redis run it here and now.

    Redis unreachable: the job is kept in the users database and queued when Redis answers again.
    """
    jobs = queue()
    if jobs is None:
        return run_inline(_job(func), *args, tries=tries)
    from redis.exceptions import RedisError

    try:
        return _put(jobs, _job(func), args, tries)
    except RedisError as exc:
        log.warning("job kept in the users database: Redis unreachable",
                    extra={"job": _name(func), "error": type(exc).__name__})
        return keep(func, args, tries, reason=f"Redis unreachable: {type(exc).__name__}")


def retry_later(func: Callable, *args: Any, delay: float, tries: int = MAX_TRIES) -> Kept:
    """Keep a job for a later try, at least a second from now (queued by the worker, or run by run_due)."""
    return keep(_job(func), args, tries, max(delay, 1.0), reason="retry later")


def _claim_due(conn):
    """Return the oldest due outbox row, locked against other flushers (PostgreSQL), or None."""
    table = OutboxJob.__table__
    return conn.execute(sa.select(table).where(table.c.run_after <= _now()).order_by(table.c.run_after, table.c.id)
                        .limit(1).with_for_update(skip_locked=True)).first()


def _drain(handle):
    """Hand each due outbox row to handle(row), deleting it in the same transaction; return how many."""
    moved = 0
    with db.engine.connect() as conn:
        while True:
            with conn.begin():
                row = _claim_due(conn)
                if row is None:
                    return moved
                handle(row)  # raises: the row stays for the next flush
                conn.execute(sa.delete(OutboxJob.__table__).where(OutboxJob.__table__.c.id == row.id))
            moved += 1


def flush():
    """Queue every due outbox job on Redis; return how many (Redis errors propagate, the rest stay kept)."""
    jobs = queue()
    if jobs is None:
        return 0
    moved = _drain(lambda row: _put(jobs, import_string(row.path), json.loads(row.args), row.tries))
    if moved:
        log.info("outbox jobs queued", extra={"jobs": moved})
    return moved


def run_due():
    """Without Redis, run every due outbox job here; return how many ran (a failing one is kept for later)."""
    if queue() is not None:
        return flush()
    return _drain(lambda row: run_inline(import_string(row.path), *json.loads(row.args), tries=1))


def waiting(overdue=None):
    """Return how many jobs the outbox holds; with overdue, only those due for longer than overdue seconds."""
    query = sa.select(sa.func.count()).select_from(OutboxJob)
    if overdue is not None:
        query = query.where(OutboxJob.run_after <= _now() - timedelta(seconds=overdue))
    return db.session.scalar(query) or 0


def run_inline(func: Callable, *args: Any, tries: int = MAX_TRIES) -> Any:
    """Run a job in this process, up to tries times; re-raise the last failure."""
    for attempt in range(1, tries + 1):
        try:
            return func(*args)
        except Exception:
            log.exception("job %s failed (try %d of %d)", _name(func), attempt, tries)
            if attempt == tries:
                raise
    return None


def _flush_every(app, stop):
    """Queue due outbox jobs every FLUSH_SECONDS until stop is set (the worker's side thread)."""
    from redis.exceptions import RedisError

    while not stop.wait(FLUSH_SECONDS):
        with app.app_context():
            try:
                flush()
            except (RedisError, sa.exc.SQLAlchemyError) as exc:  # either store away: the next round retries
                log.debug("outbox not flushed: %s", type(exc).__name__)
            finally:
                db.session.remove()


def _flush_now():
    """Queue due outbox jobs; while the users database is unreachable there is nothing to read, for now."""
    try:
        flush()
    except sa.exc.SQLAlchemyError as exc:
        log.warning("outbox not read: users database unreachable", extra={"error": type(exc).__name__})
    finally:
        db.session.remove()


def worker_class():
    """Return the RQ worker class the jobs worker runs (RQ is imported here, where a queue is used)."""
    from rq import SimpleWorker

    class Worker(SimpleWorker):
        """RQ's in-process worker that remembers a stop was asked for (vs. a quit on a Redis error)."""

        max_connection_wait_time = FLUSH_SECONDS * 2.5  # RQ's wait between reconnects while Redis is down

        def subscribe(self):
            """Listen for RQ's worker commands on this worker's channel, polling every COMMANDS_SECONDS."""
            # RQ polls every 60 s, and redis-py 8's stop() waits for the listening thread: a worker's burst end or
            # warm shutdown then waited up to a minute for a thread that had unsubscribed and was sitting out its poll.
            self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(sleep_time=COMMANDS_SECONDS, daemon=True,
                                                          exception_handler=self._pubsub_exception_handler)

        def handle_warm_shutdown_request(self):
            """Note the stop, as RQ's own hook for it."""
            self.stopping = True
            super().handle_warm_shutdown_request()

        def execute_job(self, job, queue):
            """Run a job; then drop its database session, so a failed one leaves nothing for the next."""
            try:
                return super().execute_job(job, queue)
            finally:
                db.session.remove()

    return Worker


def work(burst=False):
    """Run an RQ worker on the queue in this process and app context, started again after a Redis outage.

    Jobs kept in the outbox are queued first, then every FLUSH_SECONDS; with burst, stop when the queue is empty.
    """
    from redis.exceptions import RedisError
    from rq.exceptions import StopRequested

    Worker = worker_class()
    stop = threading.Event()
    if not burst:
        threading.Thread(target=_flush_every, args=(current_app._get_current_object(), stop), daemon=True).start()
    try:
        while True:
            worker = None
            try:
                jobs = queue()
                _flush_now()
                worker = Worker([jobs], connection=jobs.connection,
                                exception_handlers=[_again_when_the_database_answers])
                worker.work(burst=burst, with_scheduler=True)
            except RedisError as exc:
                if burst:
                    raise
                log.warning("jobs worker: Redis unreachable, starting again in %.0f s", FLUSH_SECONDS,
                            extra={"error": type(exc).__name__})
            if burst or getattr(worker, "stopping", False):
                return
            time.sleep(FLUSH_SECONDS)
    except StopRequested:  # a signal between two runs of the worker
        return
    finally:
        stop.set()
