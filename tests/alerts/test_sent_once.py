"""A delivery is taken by one try at a time: a second job for it sends nothing; a try that died is taken again."""
import smtplib
from datetime import timedelta

import pytest

from tests.conftest import base_config


@pytest.fixture
def app(tmp_path, demo_releases_dir):
    """Return an app on demo data with its own migrated users database, mail written to the log."""
    from app import create_app
    from tests.harness.databases import copy_migrated

    config = base_config(tmp_path, demo_releases_dir)
    copy_migrated(config["SQLALCHEMY_DATABASE_URI"])
    return create_app({**config, "ALERTS_RETRY_INTERVALS": [30, 120]})


def _delivery(app, **fields):
    """Store a user and one queued release digest for them; return its id."""
    from extensions import db
    from models.accounts import User
    from models.alerts import Delivery

    with app.app_context():
        user = User(email="once@example.com", password_hash="x", access_granted=True)
        db.session.add(user)
        db.session.flush()
        row = Delivery(user_id=user.id, release_id="2024-01", kind="release", status="queued", **{"tries": 0, **fields})
        db.session.add(row)
        db.session.commit()
        return row.id


def test_a_second_job_for_a_sent_email_sends_nothing(app, monkeypatch):
    from alerts import deliveries
    from auth import mail
    from extensions import db
    from models.alerts import Delivery

    sent = []
    monkeypatch.setattr(mail, "send_messages", lambda messages: sent.extend(messages))
    delivery_id = _delivery(app)
    with app.app_context():
        assert deliveries.deliver(delivery_id) == "sent"
        assert deliveries.deliver(delivery_id) == "sent"  # the duplicate job
        assert len(sent) == 1 and db.session.get(Delivery, delivery_id).tries == 1


def test_a_try_under_way_is_left_alone_and_one_that_died_is_taken_again(app, monkeypatch):
    from alerts import deliveries
    from auth import mail
    from extensions import db
    from models.accounts import utcnow
    from models.alerts import Delivery

    sent = []
    monkeypatch.setattr(mail, "send_messages", lambda messages: sent.extend(messages))
    delivery_id = _delivery(app, tries=1)
    with app.app_context():
        db.session.get(Delivery, delivery_id).status = "sending"
        db.session.get(Delivery, delivery_id).tried_at = utcnow()
        db.session.commit()
        assert deliveries.deliver(delivery_id) == "sending" and sent == []
        db.session.get(Delivery, delivery_id).tried_at = utcnow() - deliveries.LEASE - timedelta(seconds=1)
        db.session.commit()
        assert deliveries.deliver(delivery_id) == "sent" and len(sent) == 1


def test_an_unreachable_mail_server_is_retried_with_a_backoff_and_a_refusal_is_not():
    from alerts import deliveries

    assert deliveries.unreachable(ConnectionRefusedError(111, "Connection refused"))
    assert deliveries.unreachable(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    assert deliveries.unreachable(smtplib.SMTPDataError(451, b"try again later"))
    assert not deliveries.unreachable(smtplib.SMTPDataError(554, b"refused"))
    assert not deliveries.unreachable(smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")}))
    assert not deliveries.unreachable(ValueError("a template bug"))


def test_the_backoff_follows_the_intervals_then_keeps_the_last(app):
    from alerts import deliveries

    with app.app_context():
        assert [deliveries.backoff(tries) for tries in (1, 2, 3, 9)] == [30, 120, 120, 120]


def test_a_try_that_finds_the_mail_server_down_is_kept_for_later(app, monkeypatch):
    import jobqueue
    from alerts import deliveries
    from auth import mail
    from extensions import db
    from models.alerts import Delivery

    def down(messages):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(mail, "send_messages", down)
    delivery_id = _delivery(app, tries=7)  # far past MAX_TRIES: an unreachable server does not use them up
    with app.app_context():
        assert deliveries.deliver(delivery_id) == "queued"
        row = db.session.get(Delivery, delivery_id)
        assert (row.status, row.tries) == ("queued", 8) and "Connection refused" in row.last_error
        [kept] = db.session.execute(db.select(jobqueue.OutboxJob)).scalars().all()
        assert kept.path == "alerts.jobs.deliver_job" and kept.args == f"[{delivery_id}]"
