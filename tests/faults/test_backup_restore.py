"""Backups restore: the users database (pg_dump) and the catalog (a copy) make a fresh deployment that serves the
same accounts and numbers, with the commands docs/operations.md gives."""
import shutil
import subprocess

import psycopg
import pytest
import requests

from tests.conftest import PASSWORD, RAW_ZIP, SECRET, create_user, login_session, start_server
from tests.faults.conftest import flask_cli, host_app

pytestmark = pytest.mark.postgres
PRODUCTION = 28


def _libpq(url):
    """Return the libpq form of a SQLAlchemy PostgreSQL URL (what pg_dump and pg_restore take)."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def _run(*command):
    """Run an operator's command; fail the test with its output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, f"{command[0]}: {result.stderr[-2000:]}"


def test_the_users_database_and_catalog_from_backups_serve_the_same_accounts_and_numbers(tmp_path, postgres_database,
                                                                                          raw_by_code):
    import os

    from data import pipeline
    from tests.harness.databases import migrate

    data_dir, backup = tmp_path / "srv" / "data", tmp_path / "backup"
    pipeline.ingest({"BEANFLOWS_DATA_DIR": str(data_dir)}, str(RAW_ZIP))
    original = postgres_database()
    migrate(original, data_dir)
    env = {**os.environ, "SECRET_KEY": SECRET, "DATABASE_URL": original, "BEANFLOWS_DATA_DIR": str(data_dir)}
    email = create_user(env, "kept@example.com", "--comp")
    with host_app(env).test_client() as client:  # an account worth keeping: a rule too
        from extensions import db
        from models.accounts import User
        from models.alerts import AlertRule

        with client.application.app_context():
            user = User.by_email(email)
            db.session.add(AlertRule(user_id=user.id, kind="revision", country_code="BRA", metric="production",
                                     year_choice="next", threshold_pct=5.0))
            db.session.commit()
            db.engine.dispose()

    # Backup, as docs/operations.md says: the users database, then the catalog, then the warehouse's files.
    backup.mkdir()
    _run("pg_dump", "--format=custom", "--file", str(backup / "users.dump"), _libpq(original))
    _run("sqlite3", str(data_dir / "catalog.db"), f".backup '{backup / 'catalog.db'}'")
    _run("cp", "-a", str(data_dir / "warehouse"), str(backup / "warehouse"))

    # The disaster: the database and the host's data directory are gone.
    with psycopg.connect(_libpq(original).rsplit("/", 1)[0] + "/test", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{original.rsplit("/", 1)[1]}" WITH (FORCE)')
    shutil.rmtree(data_dir)

    # Restore into a fresh deployment: a new database, the catalog back at BEANFLOWS_DATA_DIR, a new serving file.
    fresh = postgres_database()
    _run("pg_restore", "--no-owner", "--dbname", _libpq(fresh), str(backup / "users.dump"))
    data_dir.mkdir(parents=True)
    _run("cp", str(backup / "catalog.db"), str(data_dir / "catalog.db"))
    _run("cp", "-a", str(backup / "warehouse"), str(data_dir / "warehouse"))
    restored = {**env, "DATABASE_URL": fresh}
    exported = flask_cli(restored, "export")
    assert exported.returncode == 0, exported.stderr[-2000:]
    server = start_server({"DATABASE_URL": fresh, "BEANFLOWS_DATA_DIR": str(data_dir)})
    try:
        session = login_session(server, email, PASSWORD)  # the same account, the same password
        assert "BRA" in session.get(f"{server.url}/alerts", timeout=10).text  # and its rule
        rows = session.get(f"{server.url}/api/v1/metrics", params={"metric": "production", "country": "BRA",
                                                                   "start": 2000, "end": 2024}, timeout=10).json()["rows"]
        brazil = raw_by_code.loc["BRA", PRODUCTION].dropna()
        assert sorted(r["market_year"] for r in rows) == [y for y in sorted(brazil.index) if 2000 <= y <= 2024]
        for row in rows:
            assert row["production"] == pytest.approx(raw_by_code.loc[("BRA", row["market_year"]), PRODUCTION])
        assert requests.get(f"{server.url}/readyz", timeout=10).json()["status"] == "ready"
    finally:
        server.stop()
