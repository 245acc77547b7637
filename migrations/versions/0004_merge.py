"""Merge the orders/resonance and promotion-center branches.

Revision ID: 0004_merge
Revises: 0003_orders_resonance, 0003_promotion_centers
Create Date: 2026-11-22
"""

revision = "0004_merge"
down_revision = ("0003_orders_resonance", "0003_promotion_centers")
branch_labels = None
depends_on = None


def upgrade():
    """Nothing to do: both branches' changes are already applied."""


def downgrade():
    """Nothing to undo here."""
