"""Visitors' searches are counted per day and normalised query instead of logged one row each.

Revision ID: 0007_search_stats
Revises: 0006_matchmaking_workflow
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_search_stats'
down_revision = '0006_matchmaking_workflow'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('query', sa.String(length=500), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('best_score', sa.Double(), nullable=True),
    sa.Column('max_results', sa.Integer(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_stat')),
    sa.UniqueConstraint('day', 'query', name='uq_search_stat_day_query')
    )
    with op.batch_alter_table('search_stat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_stat_day'), ['day'], unique=False)


def downgrade():
    with op.batch_alter_table('search_stat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_stat_day'))
    op.drop_table('search_stat')
