"""Usage events and request timings; subscription price, quantity and dates on users

Revision ID: 9d4b7e2a6c10
Revises: 3c8e5d1f7a20
Create Date: 2026-12-05 23:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9d4b7e2a6c10'
down_revision = '3c8e5d1f7a20'
branch_labels = None
depends_on = None

PRICE_COLUMNS = (
    ('subscription_price_id', sa.String(length=64)),
    ('subscription_unit_amount', sa.Integer()),
    ('subscription_currency', sa.String(length=3)),
    ('subscription_interval', sa.String(length=8)),
    ('subscription_interval_count', sa.Integer()),
    ('subscription_quantity', sa.Integer()),
    ('subscription_started_at', sa.DateTime(timezone=True)),
    ('subscription_ended_at', sa.DateTime(timezone=True)),
)


def upgrade():
    op.create_table(
        'usage_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('detail', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('usage_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_usage_events_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_usage_events_created_at'), ['created_at'], unique=False)
    op.create_table(
        'request_timings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('route', sa.String(length=200), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('duration_ms', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('request_timings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_timings_created_at'), ['created_at'], unique=False)
    # Subscriptions recorded before this keep NULL prices until their next webhook event.
    with op.batch_alter_table('users', schema=None) as batch_op:
        for name, kind in PRICE_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        for name, _ in reversed(PRICE_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table('request_timings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_timings_created_at'))
    op.drop_table('request_timings')
    with op.batch_alter_table('usage_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_usage_events_created_at'))
        batch_op.drop_index(batch_op.f('ix_usage_events_user_id'))
    op.drop_table('usage_events')
