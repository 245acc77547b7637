"""API tokens: named, scoped, revocable credentials stored as a hash; idempotency keys of API writes.

Revision ID: 0018_api_tokens
Revises: 0017_merge_trust
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_api_tokens"
down_revision = "0017_merge_trust"
branch_labels = None
depends_on = None


def upgrade():
    """Add the api_token table."""
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("scopes", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_api_token_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_token_secret_hash")),
    )
    with op.batch_alter_table("api_token") as batch:
        batch.create_index(batch.f("ix_api_token_user_id"), ["user_id"], unique=False)
    op.create_table(
        "api_idempotency_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_api_idempotency_key_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotency_key")),
        sa.UniqueConstraint("user_id", "key", name="uq_api_idempotency_key_user_id"),
    )
    with op.batch_alter_table("api_idempotency_key") as batch:
        batch.create_index(batch.f("ix_api_idempotency_key_created_at"), ["created_at"], unique=False)


def downgrade():
    """Drop the api_token and api_idempotency_key tables."""
    with op.batch_alter_table("api_idempotency_key") as batch:
        batch.drop_index(batch.f("ix_api_idempotency_key_created_at"))
    op.drop_table("api_idempotency_key")
    with op.batch_alter_table("api_token") as batch:
        batch.drop_index(batch.f("ix_api_token_user_id"))
    op.drop_table("api_token")
