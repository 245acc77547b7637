"""Search log rows are named by a key the searcher's session carries, so a search is recorded after its response.

The row a longer as-you-type prefix replaces used to be found by its id, which is known only once the row
is inserted; the key is made before anything is written. Existing rows keep no key (they can no longer be
extended, which only matters within 30 seconds of their search).

Revision ID: 0011_search_log_mark
Revises: 0010_miit_scenarios
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_search_log_mark'
down_revision = '0010_miit_scenarios'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mark', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_search_log_mark'), ['mark'], unique=False)


def downgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_log_mark'))
        batch_op.drop_column('mark')
