"""price alert rules: a series and a level on alert rules, the month on firings

Revision ID: 6b1d0e8f3a52
Revises: 4a7c2e9d1b35
Create Date: 2026-12-07 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b1d0e8f3a52'
down_revision = '4a7c2e9d1b35'
branch_labels = None
depends_on = None

# The kinds this revision adds, as they were named then.
PRICE_RULES = "SELECT id FROM alert_rules WHERE kind IN ('price_move', 'price_level')"


def upgrade():
    with op.batch_alter_table('alert_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('level', sa.Float(), nullable=True))
        # A level rule has no percentage.
        batch_op.alter_column('threshold_pct', existing_type=sa.Float(), nullable=True)
    with op.batch_alter_table('alert_firings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('month', sa.String(length=7), nullable=True))


def downgrade():
    # The revision before knows no price rule: they go, with their firings and the price digests.
    op.execute(sa.text(f"DELETE FROM alert_firings WHERE rule_id IN ({PRICE_RULES})"))
    op.execute(sa.text(f"DELETE FROM alert_rules WHERE id IN ({PRICE_RULES})"))
    op.execute(sa.text("DELETE FROM alert_deliveries WHERE kind = 'prices'"))
    with op.batch_alter_table('alert_firings', schema=None) as batch_op:
        batch_op.drop_column('month')
    with op.batch_alter_table('alert_rules', schema=None) as batch_op:
        batch_op.alter_column('threshold_pct', existing_type=sa.Float(), nullable=False)
        batch_op.drop_column('level')
        batch_op.drop_column('series')
