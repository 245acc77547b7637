"""Merge the trust branches: verification and attested evaluations, moderation, 模型券 quotas and versioned
instruments, the 模型券 catalogue and redemptions.

Revision ID: 0017_merge_trust
Revises: 0016_verification, 0016_moderation, 0016_vouchers, 0016_redemptions
"""

revision = "0017_merge_trust"
down_revision = ("0016_verification", "0016_moderation", "0016_vouchers", "0016_redemptions")
branch_labels = None
depends_on = None


def upgrade():
    """Nothing to change: each branch adds its own tables and columns."""


def downgrade():
    """Nothing to change."""
