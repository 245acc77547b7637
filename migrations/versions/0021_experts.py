"""The expert pool (专家人才库): experts kept by promotion centers, and enterprises' requests to them.

Revision ID: 0021_experts
Revises: 0020_merge_api
"""
import sqlalchemy as sa
from alembic import op

from marketplace.db_types import CodeList

revision = "0021_experts"
down_revision = "0020_merge_api"
branch_labels = None
depends_on = None


def upgrade():
    """Create expert and expert_request (code lists GIN-indexed on PostgreSQL)."""
    op.create_table(
        "expert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("position", sa.String(length=80), nullable=False),
        sa.Column("employer", sa.String(length=120), nullable=False),
        sa.Column("fields", sa.String(length=300), nullable=False),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("industries", CodeList(), nullable=False),
        sa.Column("scenarios", CodeList(), nullable=False),
        sa.Column("cities", CodeList(), nullable=False),
        sa.Column("availability", sa.String(length=12), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("moderation", sa.String(length=10), server_default="visible", nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["organisation.id"], name=op.f("fk_expert_center_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert")),
    )
    op.create_index(op.f("ix_expert_center_id"), "expert", ["center_id"], unique=False)
    op.create_index("ix_expert_active_updated_at", "expert", ["active", "updated_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for column in ("industries", "scenarios", "cities"):
            op.create_index(f"ix_expert_{column}", "expert", [column], unique=False, postgresql_using="gin")
    op.create_table(
        "expert_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("length(topic) > 0", name=op.f("ck_expert_request_topic")),
        sa.ForeignKeyConstraint(["expert_id"], ["expert.id"], name=op.f("fk_expert_request_expert_id_expert")),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"], name=op.f("fk_expert_request_need_id_need")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_expert_request_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"], name=op.f("fk_expert_request_requested_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_request")),
    )
    op.create_index(op.f("ix_expert_request_expert_id"), "expert_request", ["expert_id"], unique=False)
    op.create_index(op.f("ix_expert_request_organisation_id"), "expert_request", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_expert_request_state"), "expert_request", ["state"], unique=False)
    op.create_index("ix_expert_request_expert_state", "expert_request", ["expert_id", "state"], unique=False)


def downgrade():
    """Drop the expert pool."""
    op.drop_table("expert_request")
    op.drop_table("expert")
