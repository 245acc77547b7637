"""Merge the four revisions of the same round: leads inbox and invitations, receipts, model cards and images,
and the expert pool.

Revision ID: 0022_merge_finish
Revises: 0021_leads, 0021_receipts, 0021_model_cards, 0021_experts
"""
revision = "0022_merge_finish"
down_revision = ("0021_leads", "0021_receipts", "0021_model_cards", "0021_experts")
branch_labels = None
depends_on = None


def upgrade():
    """Nothing to do: the merged revisions touch different tables."""


def downgrade():
    """Nothing to do."""
