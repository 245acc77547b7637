"""The job queue's outbox (side effects a transaction commits with it) and the claims that make scheduled
work run once per key.

Revision ID: 0012_job_outbox
Revises: 0011_search_log_mark
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_job_outbox'
down_revision = '0011_search_log_mark'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=20), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('available_at', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_event')),
    )
    op.create_index('ix_outbox_event_pending', 'outbox_event', ['done_at', 'available_at'], unique=False)
    op.create_table(
        'job_claim',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_job_claim')),
    )
    op.create_index(op.f('ix_job_claim_created_at'), 'job_claim', ['created_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_job_claim_created_at'), table_name='job_claim')
    op.drop_table('job_claim')
    op.drop_index('ix_outbox_event_pending', table_name='outbox_event')
    op.drop_table('outbox_event')
