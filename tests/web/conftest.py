"""Web fixtures: a real SMTP server (aiosmtpd) and live gunicorn servers with extra settings."""
from contextlib import contextmanager

import pytest

from tests.conftest import free_port, migrate_database, start_server


class Mailbox:
    """An aiosmtpd handler keeping each delivered message as (recipients, text)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        """Keep the message and accept it."""
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted for delivery"


@contextmanager
def running_smtp(port=None):
    """Yield (mailbox, port) of an aiosmtpd server on loopback (on port, else a free one), stopped on exit."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def smtp():
    """Return (mailbox, port) of a running aiosmtpd server on loopback."""
    with running_smtp() as server:
        yield server


@pytest.fixture
def live(tmp_path, real_data_dir):
    """Return a factory of gunicorn servers on the real data, each with its own users database."""
    servers = []

    def start(workers=1, **env):
        database_url = f"sqlite:///{tmp_path / f'users-{len(servers)}.db'}"
        migrate_database(database_url, real_data_dir)
        server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(real_data_dir), **env},
                              workers=workers)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
