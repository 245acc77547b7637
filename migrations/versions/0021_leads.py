"""Leads: what a vendor organisation has seen in its leads inbox, and the SME's message with an invitation.

Revision ID: 0021_leads
Revises: 0020_merge_api
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_leads"
down_revision = "0020_merge_api"
branch_labels = None
depends_on = None


def upgrade():
    """Add the lead_seen table and proposal.invitation_message."""
    op.create_table(
        "lead_seen",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_lead_seen_organisation_id_organisation"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"], name=op.f("fk_lead_seen_need_id_need"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", "need_id", name=op.f("pk_lead_seen")),
    )
    with op.batch_alter_table("proposal") as batch:
        batch.add_column(sa.Column("invitation_message", sa.Text(), nullable=True))


def downgrade():
    """Drop proposal.invitation_message and the lead_seen table."""
    with op.batch_alter_table("proposal") as batch:
        batch.drop_column("invitation_message")
    op.drop_table("lead_seen")
