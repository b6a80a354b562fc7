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
