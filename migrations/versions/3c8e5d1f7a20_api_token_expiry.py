"""API token expiry

Revision ID: 3c8e5d1f7a20
Revises: fc1e3cc8d203
Create Date: 2026-12-03 18:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3c8e5d1f7a20'
down_revision = 'fc1e3cc8d203'
branch_labels = None
depends_on = None


def upgrade():
    # Existing tokens keep working with no expiry, as they were created.
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
