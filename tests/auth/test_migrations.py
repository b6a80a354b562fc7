"""Migrations: one head, and the models match the migrated schema on both databases."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from extensions import db


def test_one_alembic_head(auth_app):
    with auth_app.app_context():
        config = auth_app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_models_match_the_migrated_schema(auth_app):
    with auth_app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(auth_app):
    with auth_app.app_context():
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(db.inspect(conn).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as conn:
            assert {"users", "api_tokens", "audit_log", "password_reset_uses"} <= set(db.inspect(conn).get_table_names())


def test_token_expiry_migration_keeps_existing_tokens_without_an_expiry(auth_app):
    from auth import api_tokens
    from tests.auth.conftest import cli_user
    from models.accounts import User

    cli_user(auth_app, "old-token@example.com", "--comp")
    with auth_app.app_context():
        api_tokens.create(User.by_email("old-token@example.com"), "30")
        db.session.remove()
        downgrade(revision="fc1e3cc8d203")
        with db.engine.connect() as conn:
            assert "expires_at" not in {c["name"] for c in db.inspect(conn).get_columns("api_tokens")}
            assert conn.execute(db.text("SELECT count(*) FROM api_tokens")).scalar_one() == 1
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(db.text("SELECT count(*), max(expires_at) FROM api_tokens")).one() == (1, None)
