"""Verification requests and attested evaluation results.

- verification_request: an organisation's business licence (a stored file) and the decision about it
  (submitted → approved | rejected, who, when, why; an approved one may later be revoked by an admin).
- model_evaluation: a row names its evaluator organisation (`evaluator_org_id`) and counts as third-party only
  once that organisation attests it (`attestation`, `attested_at`, `attested_by_id`, `attestation_note`).
  The old self-declared `third_party` flag goes: a third-party row whose evaluator text is the name of an
  evaluation body or promotion center on the site now names it and waits for its attestation ("pending");
  any other row is self-reported, its evaluator text kept. Nothing becomes attested by migration.

Revision ID: 0016_verification
Revises: 0015_trust_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_verification'
down_revision = '0015_trust_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'verification_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('licence_id', sa.Integer(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_by_org_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('revoke_reason', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'],
                                name=op.f('fk_verification_request_decided_by_id_user')),
        sa.ForeignKeyConstraint(['decided_by_org_id'], ['organisation.id'],
                                name=op.f('fk_verification_request_decided_by_org_id_organisation')),
        sa.ForeignKeyConstraint(['licence_id'], ['stored_file.id'],
                                name=op.f('fk_verification_request_licence_id_stored_file')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_verification_request_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'],
                                name=op.f('fk_verification_request_revoked_by_id_user')),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'],
                                name=op.f('fk_verification_request_submitted_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_request')),
    )
    with op.batch_alter_table('verification_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verification_request_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verification_request_state'), ['state'], unique=False)

    with op.batch_alter_table('model_evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluator_org_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attestation', sa.String(length=16), nullable=False,
                                      server_default='self_reported'))
        batch_op.add_column(sa.Column('attested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('attested_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attestation_note', sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f('ix_model_evaluation_evaluator_org_id'), ['evaluator_org_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_model_evaluation_evaluator_org_id_organisation'), 'organisation',
                                    ['evaluator_org_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_model_evaluation_attested_by_id_user'), 'user',
                                    ['attested_by_id'], ['id'])
    op.execute(sa.text(
        "UPDATE model_evaluation SET evaluator_org_id = (SELECT MIN(o.id) FROM organisation o "
        "WHERE o.name = model_evaluation.evaluator AND o.kind IN ('evaluator', 'center')), "
        "attestation = 'pending' "
        "WHERE third_party AND EXISTS (SELECT 1 FROM organisation o "
        "WHERE o.name = model_evaluation.evaluator AND o.kind IN ('evaluator', 'center'))"))
    with op.batch_alter_table('model_evaluation', schema=None) as batch_op:
        batch_op.alter_column('attestation', server_default=None)
        batch_op.drop_column('third_party')


def downgrade():
    with op.batch_alter_table('model_evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('third_party', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(sa.text("UPDATE model_evaluation SET third_party = (attestation = 'attested')"))
    with op.batch_alter_table('model_evaluation', schema=None) as batch_op:
        batch_op.alter_column('third_party', server_default=None)
        batch_op.drop_constraint(batch_op.f('fk_model_evaluation_attested_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_model_evaluation_evaluator_org_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_model_evaluation_evaluator_org_id'))
        batch_op.drop_column('attestation_note')
        batch_op.drop_column('attested_by_id')
        batch_op.drop_column('attested_at')
        batch_op.drop_column('attestation')
        batch_op.drop_column('evaluator_org_id')
    with op.batch_alter_table('verification_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verification_request_state'))
        batch_op.drop_index(batch_op.f('ix_verification_request_organisation_id'))
    op.drop_table('verification_request')
