"""In Chromium: create a rule through the form, load a new release with the CLI, see the unread count, open the view."""
import pytest

from tests.alerts.conftest import add_revision_rule, ingest_cli, releases
from tests.conftest import create_user, login_session, migrate_database, open_page, start_server
from tests.data.live_layout import to_live, write_zip

pytestmark = pytest.mark.browser


def _ingest_here(server, path):
    """Load a release through `ingest` in this process, on an app built from the server's settings."""
    from app import create_app
    from config import Config
    from extensions import db

    # The same command and settings as the `flask` subprocess ingest_cli starts, without its seconds of start-up.
    app = create_app(Config(environ=server.env).as_dict())
    result = app.test_cli_runner().invoke(args=["ingest", str(path)])
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 0, result.output


def test_rule_from_the_form_fires_on_a_new_release_and_opens_the_pinned_view(tmp_path, browser):
    zips = {}
    for release_id, frame in list(releases().items())[:2]:
        year, month = map(int, release_id.split("-"))
        zips[release_id] = write_zip(to_live(frame, year, month), tmp_path / f"psd_{release_id}.zip")
    data_dir, database_url = tmp_path / "data", f"sqlite:///{tmp_path / 'users.db'}"
    migrate_database(database_url, data_dir)
    server = start_server({"DATABASE_URL": database_url, "BEANFLOWS_DATA_DIR": str(data_dir), "REDIS_URL": ""})
    try:
        _ingest_here(server, zips["2025-01"])  # the release before: setup; the one under test goes through the CLI
        email = create_user(server, "watcher@example.com", "--comp")
        with open_page(browser, server, login_session(server, email)) as page:
            add_revision_rule(page, "BRA", 5)
            assert "Brazil" in page.inner_text("#alerts-rules")

            output = ingest_cli(server.env, str(zips["2025-04"]))
            assert "Alerts for release 2025-04 evaluated here" in output and "1 new firings for 1 users" in output

            page.goto("/dashboards/overview")
            badge = page.wait_for_selector("#alerts-unread-badge", timeout=30_000)
            assert badge.inner_text() == "1"
            page.goto("/alerts")
            note = page.inner_text("#alerts-notifications")
            assert "Brazil" in note and "66,300.00" in note and "59,670.00" in note and "-10.00%" in note
            page.click(".alerts-open")
            page.wait_for_url("**/dashboards/country/BRA?commodity=coffee&metric=production&release=2025-04", timeout=30_000)
            page.wait_for_selector(".js-plotly-plot", timeout=30_000)
            page.goto("/alerts")
            assert page.inner_text("#alerts-unread") == "0 unread"

            # Save the pinned view from the navbar: the form posts the address bar's URL.
            page.goto("/dashboards/supply?countries=BRA,VNM&year=2020")
            page.wait_for_selector(".js-plotly-plot", timeout=30_000)
            page.click("#saved-views-menu summary")
            page.fill("#saved-views-name", "Brazil and Vietnam")
            page.check("#saved-views-menu input[name=pin]")
            page.click("#saved-views-save")
            page.wait_for_url(lambda url: "release=" in url, timeout=30_000)
            # The address bar's full filter set (the page rewrites it to the filters shown) is what is saved.
            assert page.url.startswith(f"{server.url}/dashboards/supply?countries=BRA,VNM&") and "&year=2020&" in page.url
            assert page.url.endswith("&release=2025-04"), page.url  # pinned to the latest release
            page.goto("/account")
            assert page.input_value("#saved-views input[name=name]") == "Brazil and Vietnam"
            assert "2025-04" in page.inner_text("#saved-views")
            assert not [e for e in page.console_errors if "Content Security Policy" in e]
    finally:
        server.stop()
