"""Merge the hardening branches: audit log and account sessions, search statistics.

Revision ID: 0009_merge_hardening
Revises: 0008_account_sessions, 0007_search_stats
"""

revision = "0009_merge_hardening"
down_revision = ("0008_account_sessions", "0007_search_stats")
branch_labels = None
depends_on = None


def upgrade():
    """Nothing to change: the two branches touch different tables."""


def downgrade():
    """Nothing to change."""
