"""audit log: append-only audit_event table

Revision ID: 0007_audit
Revises: 0006_matchmaking_workflow
Create Date: 2026-11-30 14:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0007_audit"
down_revision = "0006_matchmaking_workflow"
branch_labels = None
depends_on = None


def guard_sql(dialect: str) -> list[str]:
    """SQL that makes audit_event refuse UPDATE and DELETE at the database level."""
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit events are append-only (% refused on %)', TG_OP, TG_TABLE_NAME; END; "
            "$$ LANGUAGE plpgsql",
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()",
        ]
    if dialect == "sqlite":
        return [f"CREATE TRIGGER audit_event_no_{action.lower()} BEFORE {action} ON audit_event "
                f"BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END" for action in ("UPDATE", "DELETE")]
    return []


def upgrade():
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_org_id", sa.Integer(), nullable=True),
        sa.Column("target_kind", sa.String(length=40), nullable=True),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_org_id"], ["organisation.id"],
                                name=op.f("fk_audit_event_actor_org_id_organisation")),
        sa.ForeignKeyConstraint(["actor_user_id"], ["user.id"], name=op.f("fk_audit_event_actor_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_org_id"), ["actor_org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_user_id"), ["actor_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_audit_event_target", ["target_kind", "target_id"], unique=False)
    for statement in guard_sql(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS refuse_audit_change()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_target")
        batch_op.drop_index(batch_op.f("ix_audit_event_created_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_org_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))
    op.drop_table("audit_event")
