"""Document vectors are kept by encoder space and content hash, so nothing unchanged is encoded twice.

Revision ID: 0013_search_vector
Revises: 0012_job_outbox
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_search_vector'
down_revision = '0012_job_outbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_vector',
        sa.Column('space', sa.String(length=200), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.Column('aux_vector', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('space', 'content_hash'),
    )


def downgrade():
    op.drop_table('search_vector')
