"""A case may be published without its enterprise's name: `case.anonymous`.

Revision ID: 0025_case_anonymous
Revises: 0024_merge_programme
"""
import sqlalchemy as sa
from alembic import op

revision = "0025_case_anonymous"
down_revision = "0024_merge_programme"
branch_labels = None
depends_on = None


def upgrade():
    """Add the flag; existing cases keep showing their enterprise's name until a curator says otherwise."""
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("anonymous", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    """Drop the flag."""
    with op.batch_alter_table("case") as batch:
        batch.drop_column("anonymous")
