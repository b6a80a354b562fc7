"""Alert deliveries by status, jobs kept in the outbox and the job queue's depth, read when /metrics is scraped."""
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

import jobqueue
from extensions import db
from models.alerts import DELIVERY_STATUSES, Delivery


def collect():
    """Yield alert deliveries by status (users database) and the jobs waiting on Redis."""
    counts = dict(db.session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all())
    deliveries = GaugeMetricFamily("beanflows_alert_deliveries", "Alert emails in the users database, by status",
                                   labels=["status"])
    for status in DELIVERY_STATUSES:
        deliveries.add_metric([status], counts.get(status, 0))
    yield deliveries
    yield GaugeMetricFamily("beanflows_jobs_kept", "Jobs kept in the users database until Redis takes them "
                            "or their retry is due", value=jobqueue.waiting())
    yield GaugeMetricFamily("beanflows_job_queue_depth", "Jobs waiting on the Redis queue (0: jobs run inline)",
                            value=_queue_depth())


def _queue_depth():
    """Return the jobs waiting on Redis: 0 without Redis, NaN while it does not answer."""
    jobs = jobqueue.queue()
    if jobs is None:
        return 0
    try:
        return jobs.count
    except Exception:  # Redis down: /metrics still answers, with the gap visible
        return float("nan")
