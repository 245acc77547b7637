"""Bulk import: the vendor's own SKU on models and offerings (unique per vendor), and the import jobs.

Revision ID: 0019_imports
Revises: 0018_api_tokens
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_imports"
down_revision = "0018_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    """Add `sku` to industrial_model and offering, and the import_job table."""
    for table in ("industrial_model", "offering"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("sku", sa.String(length=64), nullable=True))
            batch.create_unique_constraint(f"uq_{table}_organisation_id_sku", ["organisation_id", "sku"])
    op.create_table(
        "import_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_import_job_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_import_job_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    with op.batch_alter_table("import_job") as batch:
        batch.create_index(batch.f("ix_import_job_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    """Drop the import_job table and the `sku` columns."""
    with op.batch_alter_table("import_job") as batch:
        batch.drop_index(batch.f("ix_import_job_organisation_id"))
    op.drop_table("import_job")
    for table in ("offering", "industrial_model"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_organisation_id_sku", type_="unique")
            batch.drop_column("sku")
