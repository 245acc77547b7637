"""Moderation: reports, moderators' decisions, each region's mode, and the moderation column of reportable records.

- need, offering, industrial_model, provider_profile, case, message: `moderation` (visible | held | hidden |
  rejected), visible for every existing row. Reviews keep their `hidden` flag.
- report: one report (a person's, or an automatic flag with no reporter) about one item, open until a decision.
- moderation_decision: the history of decisions (hide, close, restore, approve, reject, dismiss) with reasons.
- region_moderation: a city's mode for unverified organisations' new items (no row: pre-moderation).

Revision ID: 0016_moderation
Revises: 0015_trust_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_moderation'
down_revision = '0015_trust_foundation'
branch_labels = None
depends_on = None

MODERATED = ('need', 'offering', 'industrial_model', 'provider_profile', 'case', 'message')


def upgrade():
    for table in MODERATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('moderation', sa.String(length=10), server_default='visible',
                                          nullable=False))

    op.create_table(
        'report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject_kind', sa.String(length=20), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('owner_org_id', sa.Integer(), nullable=True),
        sa.Column('city', sa.String(length=20), nullable=True),
        sa.Column('reporter_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['owner_org_id'], ['organisation.id'], name=op.f('fk_report_owner_org_id_organisation')),
        sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_report_reporter_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_open_city', ['resolved_at', 'city', 'created_at'], unique=False)
        batch_op.create_index('ix_report_subject', ['subject_kind', 'subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_reporter_id'), ['reporter_id'], unique=False)

    op.create_table(
        'moderation_decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject_kind', sa.String(length=20), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_moderation_decision_decided_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decision')),
    )
    with op.batch_alter_table('moderation_decision', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_decision_subject', ['subject_kind', 'subject_id', 'id'], unique=False)

    op.create_table(
        'region_moderation',
        sa.Column('city', sa.String(length=20), nullable=False),
        sa.Column('mode', sa.String(length=4), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_region_moderation_updated_by_id_user')),
        sa.PrimaryKeyConstraint('city', name=op.f('pk_region_moderation')),
    )


def downgrade():
    op.drop_table('region_moderation')
    with op.batch_alter_table('moderation_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_decision_subject')
    op.drop_table('moderation_decision')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_reporter_id'))
        batch_op.drop_index('ix_report_subject')
        batch_op.drop_index('ix_report_open_city')
    op.drop_table('report')
    for table in MODERATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('moderation')
