"""promotion centers: showcase-case curation, the quality provider directory, matchmaking events, search log

Revision ID: 0003_promotion_centers
Revises: 0002_case_updated_at
Create Date: 2026-11-22 11:44:42.499128

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_promotion_centers'
down_revision = '0002_case_updated_at'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=500), nullable=False),
    sa.Column('filters', sa.String(length=1000), nullable=False),
    sa.Column('result_count', sa.Integer(), nullable=False),
    sa.Column('best_score', sa.Double(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_log'))
    )
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_log_created_at'), ['created_at'], unique=False)

    op.create_table('matchmaking_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('city', sa.String(length=20), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('industries', sa.String(length=1000), nullable=False),
    sa.Column('scenarios', sa.String(length=1000), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('table_count', sa.Integer(), nullable=False),
    sa.Column('slot_count', sa.Integer(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_matchmaking_event_capacity')),
    sa.CheckConstraint('table_count > 0 AND slot_count > 0 AND slot_minutes > 0', name=op.f('ck_matchmaking_event_grid')),
    sa.ForeignKeyConstraint(['center_id'], ['organisation.id'], name=op.f('fk_matchmaking_event_center_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_event'))
    )
    with op.batch_alter_table('matchmaking_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_event_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_event_held_on'), ['held_on'], unique=False)

    op.create_table('directory_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("action = 'remove' OR review_on IS NOT NULL", name=op.f('ck_directory_decision_review_date')),
    sa.CheckConstraint("action IN ('add', 'renew', 'remove')", name=op.f('ck_directory_decision_action')),
    sa.ForeignKeyConstraint(['center_id'], ['organisation.id'], name=op.f('fk_directory_decision_center_id_organisation')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_directory_decision_decided_by_id_user')),
    sa.ForeignKeyConstraint(['provider_id'], ['provider_profile.id'], name=op.f('fk_directory_decision_provider_id_provider_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_decision'))
    )
    with op.batch_alter_table('directory_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_decision_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_decision_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_decision_provider_id'), ['provider_id'], unique=False)

    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('offering_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(need_id IS NULL) <> (offering_id IS NULL)', name=op.f('ck_event_registration_one_listing')),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_event_registration_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_event_registration_need_id_need')),
    sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], name=op.f('fk_event_registration_offering_id_offering')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_event_registration_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
    sa.UniqueConstraint('event_id', 'need_id', name='uq_event_registration_need'),
    sa.UniqueConstraint('event_id', 'offering_id', name='uq_event_registration_offering')
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('event_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('need_registration_id', sa.Integer(), nullable=False),
    sa.Column('offering_registration_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('table_no', sa.Integer(), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=True),
    sa.Column('follow_up', sa.Boolean(), nullable=False),
    sa.Column('deal', sa.Boolean(), nullable=False),
    sa.Column('outcome_note', sa.String(length=500), nullable=True),
    sa.Column('outcome_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('slot >= 0 AND table_no >= 1', name=op.f('ck_event_meeting_place')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organisation.id'], name=op.f('fk_event_meeting_enterprise_id_organisation')),
    sa.ForeignKeyConstraint(['event_id'], ['matchmaking_event.id'], name=op.f('fk_event_meeting_event_id_matchmaking_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['need_registration_id'], ['event_registration.id'], name=op.f('fk_event_meeting_need_registration_id_event_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offering_registration_id'], ['event_registration.id'], name=op.f('fk_event_meeting_offering_registration_id_event_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['organisation.id'], name=op.f('fk_event_meeting_vendor_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_meeting')),
    sa.UniqueConstraint('event_id', 'need_registration_id', 'offering_registration_id', name='uq_event_meeting_pair'),
    sa.UniqueConstraint('event_id', 'slot', 'enterprise_id', name='uq_event_meeting_enterprise_slot'),
    sa.UniqueConstraint('event_id', 'slot', 'table_no', name='uq_event_meeting_table_slot'),
    sa.UniqueConstraint('event_id', 'slot', 'vendor_id', name='uq_event_meeting_vendor_slot')
    )
    with op.batch_alter_table('event_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_meeting_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_meeting_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_meeting_vendor_id'), ['vendor_id'], unique=False)

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('need_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_need_id'), ['need_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_case_need_id_need'), 'need', ['need_id'], ['id'])

    with op.batch_alter_table('case_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('better', sa.String(length=6), nullable=True))
    # A showcase case reports improvements: an indicator that went down was one where lower is better.
    op.execute('UPDATE case_result SET better = CASE WHEN "after" < "before" THEN \'lower\' ELSE \'higher\' END')


def downgrade():
    with op.batch_alter_table('case_result', schema=None) as batch_op:
        batch_op.drop_column('better')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_need_id_need'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_case_need_id'))
        batch_op.drop_column('need_id')

    with op.batch_alter_table('event_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_meeting_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_event_meeting_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_meeting_enterprise_id'))

    op.drop_table('event_meeting')
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_event_registration_event_id'))

    op.drop_table('event_registration')
    with op.batch_alter_table('directory_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_decision_provider_id'))
        batch_op.drop_index(batch_op.f('ix_directory_decision_created_at'))
        batch_op.drop_index(batch_op.f('ix_directory_decision_center_id'))

    op.drop_table('directory_decision')
    with op.batch_alter_table('matchmaking_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_event_held_on'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_event_center_id'))

    op.drop_table('matchmaking_event')
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_log_created_at'))

    op.drop_table('search_log')
