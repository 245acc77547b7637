"""Merge the three revisions of the same round: the digital-level diagnosis and enterprise files, the
industrial datasets, and the compare tray kept in a table.

Revision ID: 0024_merge_programme
Revises: 0023_diagnosis, 0023_datasets, 0023_polish
"""
revision = "0024_merge_programme"
down_revision = ("0023_diagnosis", "0023_datasets", "0023_polish")
branch_labels = None
depends_on = None


def upgrade():
    """Nothing to do: the merged revisions touch different tables."""


def downgrade():
    """Nothing to do."""
