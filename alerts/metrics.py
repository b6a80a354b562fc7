"""Alert deliveries by status and the job queue's depth, read when /metrics is scraped."""
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
    jobs = jobqueue.queue()
    yield GaugeMetricFamily("beanflows_job_queue_depth", "Jobs waiting on the Redis queue (0: jobs run inline)",
                            value=0 if jobs is None else jobs.count)
