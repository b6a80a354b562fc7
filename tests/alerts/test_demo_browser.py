"""In Chromium, on demo data as `make run` loads it without USDA: a revision rule created through /alerts fires
on the next demo release (`ingest --demo` again), in the page and by email."""
import pytest

from tests.alerts.conftest import add_revision_rule, ingest_cli
from tests.conftest import create_user, login_session, migrate_database, open_page, start_server
from tests.data.test_demo import RELEASES, long

pytestmark = pytest.mark.browser


def test_a_revision_rule_made_in_the_browser_fires_on_the_next_demo_release(tmp_path, browser, smtp):
    mailbox, smtp_port = smtp
    data_dir, database_url = tmp_path / "data", f"sqlite:///{tmp_path / 'users.db'}"
    migrate_database(database_url, data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(data_dir), "REDIS_URL": "",
                           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port),
                           "BASE_URL": "http://127.0.0.1"})
    try:
        loaded = ingest_cli(server.env, "--demo")
        assert all(f"as release {release}" in loaded for release in RELEASES)
        email = create_user(server, "demo-watcher@example.com", "--comp")
        with open_page(browser, server, login_session(server, email)) as page:
            add_revision_rule(page, "BRA", 1)
            assert "Brazil" in page.inner_text("#alerts-rules")

            output = ingest_cli(server.env, "--demo")
            assert "as release 2025-12" in output
            assert "Alerts for release 2025-12 evaluated here" in output and "1 new firings for 1 users" in output

            # Brazil's production of market year 2025 (the latest, "next"), as 2025-06 and 2025-12 published it.
            old, new = (long(i).set_index(["Country_Name", "Market_Year", "Attribute_ID"])
                        .loc[("Brazil", 2025, 28), "Value"] for i in (2, 3))
            page.goto("/dashboards/overview")
            badge = page.wait_for_selector("#alerts-unread-badge", timeout=30_000)
            assert badge.inner_text() == "1"
            page.goto("/alerts")
            note = page.inner_text("#alerts-notifications")
            assert "Brazil" in note and f"{old:,.2f}" in note and f"{new:,.2f}" in note
            assert f"{100 * (new - old) / old:+.2f}%" in note
            assert not [e for e in page.console_errors if "Content Security Policy" in e]
        sent = [text for recipients, text in mailbox.messages if recipients == [email]]
        assert len(sent) == 1 and "Brazil" in sent[0] and "2025-12" in sent[0]
    finally:
        server.stop()
