"""Merge the two revisions of the same round: the digital-level diagnosis and enterprise files, and the
industrial datasets.

Revision ID: 0024_merge_programme
Revises: 0023_diagnosis, 0023_datasets
"""
revision = "0024_merge_programme"
down_revision = ("0023_diagnosis", "0023_datasets")
branch_labels = None
depends_on = None


def upgrade():
    """Nothing to do: the merged revisions touch different tables."""


def downgrade():
    """Nothing to do."""
