"""Merge the open-API branches: listing SKUs and import jobs, webhook endpoints and deliveries.

Revision ID: 0020_merge_api
Revises: 0019_imports, 0019_webhooks
"""

revision = "0020_merge_api"
down_revision = ("0019_imports", "0019_webhooks")
branch_labels = None
depends_on = None


def upgrade():
    """Nothing to change: each branch adds its own tables and columns."""


def downgrade():
    """Nothing to change."""
