"""commodity of saved views, alert rules and deliveries (existing rows: coffee)

Revision ID: 4a7c2e9d1b35
Revises: 1e2f339727ab
Create Date: 2026-12-06 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4a7c2e9d1b35'
down_revision = '1e2f339727ab'
branch_labels = None
depends_on = None

# Every view, rule and email before commodities were declared was about coffee (PSD 0711100); a migration
# states it once, as it was then, not as the declarations say now.
COFFEE = '0711100'
TABLES = ('saved_views', 'alert_rules', 'alert_deliveries')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('commodity_code', sa.String(length=7), nullable=False,
                                          server_default=COFFEE))
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.drop_constraint('uq_delivery_user_release_kind', type_='unique')
        batch_op.create_unique_constraint('uq_delivery_user_release_kind_commodity',
                                          ['user_id', 'release_id', 'kind', 'commodity_code'])


def downgrade():
    # A commodity's own deliveries of a release id another commodity shares would break the older key: keep coffee's.
    op.execute(sa.text("DELETE FROM alert_deliveries WHERE commodity_code <> :coffee").bindparams(coffee=COFFEE))
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.drop_constraint('uq_delivery_user_release_kind_commodity', type_='unique')
        batch_op.create_unique_constraint('uq_delivery_user_release_kind', ['user_id', 'release_id', 'kind'])
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('commodity_code')
