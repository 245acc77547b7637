"""Pages that stay fast at province scale: indexes for the lists' sort orders and filters, code lists as
arrays with GIN indexes on PostgreSQL, messages that name their recipient, and precomputed analytics.

- listing tables: (state, updated_at, id) for the newest-first lists, offering (state, price_fen, id);
  need (status, created_at, id) and need (updated_at); case (state, year, id);
  notification (user_id, read_at) and message (recipient_org_id, read_at) for the navigation's badges;
- PostgreSQL only: every code list column (',a,b,' text) becomes varchar(40)[], and the code lists the
  lists filter by get GIN indexes (`codes @> ARRAY[code]`); SQLite keeps the fenced text;
- message.recipient_org_id: the other side of the thread, filled in from each message's proposal;
- analytics_snapshot and need_match_summary: the figures the analytics pages read.

Revision ID: 0014_fast_pages
Revises: 0013_search_vector
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_fast_pages'
down_revision = '0013_search_vector'
branch_labels = None
depends_on = None

CODE_LISTS = {
    'provider_profile': ['industries', 'scenarios', 'cities_served'],
    'industrial_model': ['industries', 'scenarios', 'modalities', 'deployments'],
    'offering': ['industries', 'scenarios', 'deployments'],
    'matchmaking_event': ['industries', 'scenarios'],
}
"""Every code list column, per table."""

GIN = {
    'provider_profile': ['industries', 'scenarios', 'cities_served'],
    'industrial_model': ['industries', 'scenarios', 'deployments'],
    'offering': ['industries', 'scenarios', 'deployments'],
}
"""The code lists the browse pages and the search filter by, indexed on PostgreSQL."""

SORTS = [
    ('ix_provider_profile_state_updated_at', 'provider_profile', ['state', 'updated_at', 'id']),
    ('ix_industrial_model_state_updated_at', 'industrial_model', ['state', 'updated_at', 'id']),
    ('ix_offering_state_updated_at', 'offering', ['state', 'updated_at', 'id']),
    ('ix_offering_state_price_fen', 'offering', ['state', 'price_fen', 'id']),
    ('ix_need_status_created_at', 'need', ['status', 'created_at', 'id']),
    ('ix_need_updated_at', 'need', ['updated_at']),
    ('ix_case_state_year', 'case', ['state', 'year', 'id']),
    ('ix_notification_user_id_read_at', 'notification', ['user_id', 'read_at']),
]


def postgresql() -> bool:
    """Tell whether the migration runs on PostgreSQL."""
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    for name, table, columns in SORTS:
        op.create_index(name, table, columns, unique=False)

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_org_id', sa.Integer(), nullable=True))
    op.execute("""
        UPDATE message SET recipient_org_id = (
            SELECT CASE WHEN message.sender_org_id = proposal.vendor_id THEN need.organisation_id
                        ELSE proposal.vendor_id END
            FROM proposal JOIN need ON need.id = proposal.need_id
            WHERE proposal.id = message.proposal_id)
    """)
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.alter_column('recipient_org_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_message_recipient_org_id_organisation'), 'organisation',
                                    ['recipient_org_id'], ['id'])
        batch_op.create_index('ix_message_recipient_org_id_read_at', ['recipient_org_id', 'read_at'], unique=False)

    op.create_table(
        'analytics_snapshot',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_analytics_snapshot')),
    )
    op.create_table(
        'need_match_summary',
        sa.Column('need_id', sa.Integer(), nullable=False),
        sa.Column('best_relevance', sa.Double(), nullable=True),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_match_summary_need_id_need'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('need_id', name=op.f('pk_need_match_summary')),
    )
    op.create_index(op.f('ix_need_match_summary_computed_at'), 'need_match_summary', ['computed_at'], unique=False)

    if postgresql():
        for table, columns in CODE_LISTS.items():
            for column in columns:
                op.execute(f"""
                    ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(40)[]
                    USING array_remove(string_to_array(btrim({column}, ','), ','), '')
                """)
        for table, columns in GIN.items():
            for column in columns:
                op.create_index(f'ix_{table}_{column}', table, [column], unique=False, postgresql_using='gin')


def downgrade():
    if postgresql():
        for table, columns in GIN.items():
            for column in columns:
                op.drop_index(f'ix_{table}_{column}', table_name=table)
        for table, columns in CODE_LISTS.items():
            for column in columns:
                op.execute(f"""
                    ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(1000)
                    USING CASE WHEN cardinality({column}) = 0 THEN ''
                               ELSE ',' || array_to_string({column}, ',') || ',' END
                """)

    op.drop_index(op.f('ix_need_match_summary_computed_at'), table_name='need_match_summary')
    op.drop_table('need_match_summary')
    op.drop_table('analytics_snapshot')

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_recipient_org_id_read_at')
        batch_op.drop_constraint(batch_op.f('fk_message_recipient_org_id_organisation'), type_='foreignkey')
        batch_op.drop_column('recipient_org_id')

    for name, table, _columns in reversed(SORTS):
        op.drop_index(name, table_name=table)
