"""Webhooks: organisations' endpoints, the deliveries of events to them, and every attempt.

Revision ID: 0019_webhooks
Revises: 0018_api_tokens
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_webhooks"
down_revision = "0018_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    """Add the webhook_endpoint, webhook_delivery and webhook_attempt tables."""
    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("events", sa.String(length=300), nullable=False),
        sa.Column("secret", sa.String(length=80), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.String(length=200), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("secret_rolled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_webhook_endpoint_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_webhook_endpoint_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoint")),
    )
    with op.batch_alter_table("webhook_endpoint") as batch:
        batch.create_index(batch.f("ix_webhook_endpoint_organisation_id"), ["organisation_id"], unique=False)
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["endpoint_id"], ["webhook_endpoint.id"], ondelete="CASCADE",
                                name=op.f("fk_webhook_delivery_endpoint_id_webhook_endpoint")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
    )
    with op.batch_alter_table("webhook_delivery") as batch:
        batch.create_index("ix_webhook_delivery_endpoint_id_created_at", ["endpoint_id", "created_at"], unique=False)
    op.create_table(
        "webhook_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["delivery_id"], ["webhook_delivery.id"], ondelete="CASCADE",
                                name=op.f("fk_webhook_attempt_delivery_id_webhook_delivery")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempt")),
    )
    with op.batch_alter_table("webhook_attempt") as batch:
        batch.create_index(batch.f("ix_webhook_attempt_delivery_id"), ["delivery_id"], unique=False)


def downgrade():
    """Drop the webhook tables."""
    with op.batch_alter_table("webhook_attempt") as batch:
        batch.drop_index(batch.f("ix_webhook_attempt_delivery_id"))
    op.drop_table("webhook_attempt")
    with op.batch_alter_table("webhook_delivery") as batch:
        batch.drop_index("ix_webhook_delivery_endpoint_id_created_at")
    op.drop_table("webhook_delivery")
    with op.batch_alter_table("webhook_endpoint") as batch:
        batch.drop_index(batch.f("ix_webhook_endpoint_organisation_id"))
    op.drop_table("webhook_endpoint")
