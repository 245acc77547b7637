"""account sessions: a per-user session token and hashed remember-me tokens

Revision ID: 0008_account_sessions
Revises: 0007_audit
Create Date: 2026-11-30 14:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa

revision = "0008_account_sessions"
down_revision = "0007_audit"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
    user = sa.table("user", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    bind = op.get_bind()
    for (user_id,) in bind.execute(sa.select(user.c.id)).all():
        bind.execute(user.update().where(user.c.id == user_id).values(session_token=secrets.token_urlsafe(24)))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)

    op.create_table(
        "remember_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("selector", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_remember_token_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remember_token")),
        sa.UniqueConstraint("selector", name=op.f("uq_remember_token_selector")),
    )
    with op.batch_alter_table("remember_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remember_token_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_remember_token_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("remember_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remember_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_remember_token_expires_at"))
    op.drop_table("remember_token")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_token")
