"""Fixtures of the accessibility tests: axe-core's source and an admin who also subscribes."""
import re
from pathlib import Path

import pytest

from tests.conftest import create_user, login_session

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source():
    """Return axe.min.js as `make install-test` installed it (npm ci in tests/a11y)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `make install-test` (npm ci --prefix tests/a11y)")
    return AXE.read_text()


@pytest.fixture(scope="session")
def admin_session(live_server):
    """Return a requests.Session of an admin with granted access, with one saved view and one alert rule."""
    session = login_session(live_server, create_user(live_server, "a11y-admin@example.com", "--admin", "--comp"))
    account = session.get(f"{live_server.url}/account", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', account).group(1)
    saved = session.post(f"{live_server.url}/views", data={"csrf_token": token, "name": "Supply since 2002",
                                                           "url": "/dashboards/supply?start=2002"},
                         allow_redirects=False, timeout=30)
    assert saved.status_code == 303, saved.text[:300]
    rule = {"csrf_token": token, "kind": "revision", "country_code": "BRA", "metric": "production",
            "year_choice": "next", "threshold_pct": "5", "active": "y"}
    rule = session.post(f"{live_server.url}/alerts", data=rule, allow_redirects=False, timeout=30)
    assert rule.status_code == 303, rule.text[:300]
    return session


@pytest.fixture(scope="session")
def rule_path(live_server, admin_session):
    """Return the path of the admin's alert rule's edit page."""
    alerts = admin_session.get(f"{live_server.url}/alerts", timeout=30).text
    return re.search(r'href="(/alerts/rules/\d+)"', alerts).group(1)
