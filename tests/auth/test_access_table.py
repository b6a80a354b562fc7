"""docs/security.md's access table is the one the policy gives, and the table follows the policy."""
from pathlib import Path

import pytest

from auth import access_table
from auth.access import ADMIN, requires
from tests.conftest import base_config

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "security.md"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """Return the shipped app, on an empty data dir (the table needs no data)."""
    from app import create_app

    tmp = tmp_path_factory.mktemp("access-table")
    return create_app(base_config(tmp, tmp / "data"))


def test_the_docs_table_is_the_policys(shipped):
    documented = access_table.section(DOC.read_text())
    assert documented is not None, f"{DOC.name} has no access table between its markers"
    assert documented == access_table.markdown(shipped), (
        "docs/security.md's access table differs from the policy: paste `flask --app app access-table` "
        "between its markers")


def test_the_table_lists_every_route_page_and_callback_with_its_rule(shipped):
    text = access_table.markdown(shipped)
    assert "| `/admin` | admin | - |" in text
    assert "| `/dashboards/overview` | user | subscriber |" in text  # its charts' downloads need more than it
    assert "| `/_dash-update-component` | POST | the callback it names (below) | read-only view |" in text
    assert "| `overview-production-graph.figure` | user |" in text
    assert "| `overview-production-csv.data` | subscriber |" in text
    assert "| `/api/v1/metrics` | GET | subscriber | model |" in text


def test_the_table_follows_the_policy(tmp_path):
    from app import create_app

    app = create_app(base_config(tmp_path, tmp_path / "data"))
    app.add_url_rule("/audit", "audit", requires(ADMIN)(lambda: "audit"))
    assert "| `/audit` | GET | admin | model |" in access_table.markdown(app)
    app.add_url_rule("/undeclared", "undeclared", lambda: "nothing")
    assert "| `/undeclared` | GET | none: refused to start | model |" in access_table.markdown(app)
