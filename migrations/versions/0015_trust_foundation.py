"""Trust foundation: organisations carry who verified them and when; uploaded files are recorded.

- organisation.verified_at / verified_by_org_id: an organisation is unverified until a promotion center
  (or an admin) verifies it. Promotion centers and the platform operator exist only because an admin
  created them, so they count as verified from this migration on; enterprises and vendors registered
  themselves and start unverified (what that withholds: `marketplace/trust/permissions.py`).
- stored_file: an uploaded file's owner, purpose, checked type, size and content hash.

Revision ID: 0015_trust_foundation
Revises: 0014_fast_pages
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_trust_foundation'
down_revision = '0014_fast_pages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('verified_by_org_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_organisation_verified_by_org_id_organisation', 'organisation',
                                    ['verified_by_org_id'], ['id'])
    op.execute(sa.text("UPDATE organisation SET verified_at = created_at WHERE kind IN ('center', 'platform')"))

    op.create_table(
        'stored_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=30), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=60), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_organisation_id'))
    op.drop_table('stored_file')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_organisation_verified_by_org_id_organisation', type_='foreignkey')
        batch_op.drop_column('verified_by_org_id')
        batch_op.drop_column('verified_at')
