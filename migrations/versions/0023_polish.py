"""The compare tray on the server: one row per model in a visitor's tray, named by a key in their session.

Trays kept in sessions before this revision are not carried over (a tray is a short-lived pick list).

Revision ID: 0023_polish
Revises: 0022_merge_finish
"""
import sqlalchemy as sa
from alembic import op

revision = "0023_polish"
down_revision = "0022_merge_finish"
branch_labels = None
depends_on = None


def upgrade():
    """Add the compare_tray_entry table."""
    op.create_table(
        "compare_tray_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tray_key", sa.String(length=32), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["industrial_model.id"], ondelete="CASCADE",
                                name=op.f("fk_compare_tray_entry_model_id_industrial_model")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compare_tray_entry")),
        sa.UniqueConstraint("tray_key", "model_id", name="uq_compare_tray_entry_tray_key_model_id"),
    )
    op.create_index(op.f("ix_compare_tray_entry_tray_key"), "compare_tray_entry", ["tray_key"])
    op.create_index(op.f("ix_compare_tray_entry_model_id"), "compare_tray_entry", ["model_id"])
    op.create_index(op.f("ix_compare_tray_entry_added_at"), "compare_tray_entry", ["added_at"])


def downgrade():
    """Drop the compare_tray_entry table."""
    op.drop_index(op.f("ix_compare_tray_entry_added_at"), table_name="compare_tray_entry")
    op.drop_index(op.f("ix_compare_tray_entry_model_id"), table_name="compare_tray_entry")
    op.drop_index(op.f("ix_compare_tray_entry_tray_key"), table_name="compare_tray_entry")
    op.drop_table("compare_tray_entry")
