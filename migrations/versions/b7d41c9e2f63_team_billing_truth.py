"""team billing truth: over-seats times, team emails, unapplied second subscriptions, token names

Revision ID: b7d41c9e2f63
Revises: e4b3b6c29564
Create Date: 2026-12-06 19:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41c9e2f63'
down_revision = 'e4b3b6c29564'
branch_labels = None
depends_on = None

# The first teams migration left the customer's unique constraint unnamed: SQLite's batch mode finds it by this name.
CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
UNIQUE = "uq_teams_stripe_customer_id"


def _customer_unique():
    """Return the name of teams.stripe_customer_id's unique constraint as the database knows it."""
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("teams"):
        if constraint["column_names"] == ["stripe_customer_id"]:
            return constraint["name"] or UNIQUE
    return UNIQUE


def upgrade():
    unique = _customer_unique()
    with op.batch_alter_table('teams', schema=None, naming_convention=CONVENTION) as batch_op:
        batch_op.add_column(sa.Column('over_seats_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('over_seats_enforced_at', sa.DateTime(timezone=True), nullable=True))
        # A buyer who gave their team away and left may pay for a new team from the same Stripe customer.
        batch_op.drop_constraint(unique, type_='unique')
        batch_op.create_index(batch_op.f('ix_teams_stripe_customer_id'), ['stripe_customer_id'], unique=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=80), nullable=True))

    op.create_table('team_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['team_invitations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('team_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_mail_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index('ix_team_mail_state_next_at', ['state', 'next_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_mail_team_id'), ['team_id'], unique=False)

    op.create_table('unapplied_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.String(length=255), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subscription_id')
    )
    with op.batch_alter_table('unapplied_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unapplied_subscriptions_team_id'), ['team_id'], unique=False)


def downgrade():
    with op.batch_alter_table('unapplied_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unapplied_subscriptions_team_id'))
    op.drop_table('unapplied_subscriptions')

    with op.batch_alter_table('team_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_mail_team_id'))
        batch_op.drop_index('ix_team_mail_state_next_at')
        batch_op.drop_index(batch_op.f('ix_team_mail_invitation_id'))
    op.drop_table('team_mail')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('name')

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_stripe_customer_id'))
        batch_op.create_unique_constraint(UNIQUE, ['stripe_customer_id'])
        batch_op.drop_column('over_seats_enforced_at')
        batch_op.drop_column('over_seats_since')
