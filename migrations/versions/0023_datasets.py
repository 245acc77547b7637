"""Industrial datasets (工业数据集), access requests to their owners, and the datasets and models an agreement
version names.

Existing agreements keep their free-text descriptions and name no dataset or model until a party amends them
(the new link tables start empty; no row is rewritten).

Revision ID: 0023_datasets
Revises: 0022_merge_finish
"""
import sqlalchemy as sa
from alembic import op

from marketplace.db_types import CodeList

revision = "0023_datasets"
down_revision = "0022_merge_finish"
branch_labels = None
depends_on = None


def upgrade():
    """Create dataset, dataset_access_request and the two link tables of agreement versions."""
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("modalities", CodeList(), nullable=False),
        sa.Column("volume_amount", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("volume_unit", sa.String(length=40), nullable=False),
        sa.Column("span_from", sa.Date(), nullable=True),
        sa.Column("span_to", sa.Date(), nullable=True),
        sa.Column("labelling", sa.String(length=10), nullable=False),
        sa.Column("labels", sa.String(length=300), nullable=True),
        sa.Column("sample_available", sa.Boolean(), nullable=False),
        sa.Column("sensitivity", sa.String(length=12), nullable=False),
        sa.Column("access_mode", sa.String(length=16), nullable=False),
        sa.Column("registration_no", sa.String(length=60), nullable=True),
        sa.Column("collection", sa.Text(), nullable=False),
        sa.Column("processing", sa.Text(), nullable=True),
        sa.Column("intended_uses", sa.Text(), nullable=True),
        sa.Column("limitations", sa.Text(), nullable=True),
        sa.Column("terms", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("industries", CodeList(), nullable=False),
        sa.Column("scenarios", CodeList(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("moderation", sa.String(length=10), server_default="visible", nullable=False),
        sa.CheckConstraint("volume_amount >= 0", name=op.f("ck_dataset_volume_not_negative")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_dataset_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset")),
    )
    op.create_index(op.f("ix_dataset_organisation_id"), "dataset", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_dataset_state"), "dataset", ["state"], unique=False)
    op.create_index("ix_dataset_state_updated_at", "dataset", ["state", "updated_at", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for column in ("industries", "scenarios", "modalities"):
            op.create_index(f"ix_dataset_{column}", "dataset", [column], unique=False, postgresql_using="gin")
    op.create_table(
        "dataset_access_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("intended_use", sa.Text(), nullable=True),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("length(purpose) > 0", name=op.f("ck_dataset_access_request_purpose")),
        sa.ForeignKeyConstraint(["dataset_id"], ["dataset.id"],
                                name=op.f("fk_dataset_access_request_dataset_id_dataset")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_dataset_access_request_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"],
                                name=op.f("fk_dataset_access_request_requested_by_id_user")),
        sa.ForeignKeyConstraint(["model_id"], ["industrial_model.id"],
                                name=op.f("fk_dataset_access_request_model_id_industrial_model")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"],
                                name=op.f("fk_dataset_access_request_decided_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_access_request")),
    )
    op.create_index(op.f("ix_dataset_access_request_dataset_id"), "dataset_access_request", ["dataset_id"],
                    unique=False)
    op.create_index(op.f("ix_dataset_access_request_organisation_id"), "dataset_access_request",
                    ["organisation_id"], unique=False)
    op.create_index(op.f("ix_dataset_access_request_state"), "dataset_access_request", ["state"], unique=False)
    op.create_index("ix_dataset_access_request_dataset_state", "dataset_access_request", ["dataset_id", "state"],
                    unique=False)
    op.create_table(
        "agreement_version_dataset",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["agreement_version.id"], ondelete="CASCADE",
                                name=op.f("fk_agreement_version_dataset_version_id_agreement_version")),
        sa.ForeignKeyConstraint(["dataset_id"], ["dataset.id"],
                                name=op.f("fk_agreement_version_dataset_dataset_id_dataset")),
        sa.PrimaryKeyConstraint("version_id", "dataset_id", name=op.f("pk_agreement_version_dataset")),
    )
    op.create_index(op.f("ix_agreement_version_dataset_dataset_id"), "agreement_version_dataset", ["dataset_id"],
                    unique=False)
    op.create_table(
        "agreement_version_model",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["agreement_version.id"], ondelete="CASCADE",
                                name=op.f("fk_agreement_version_model_version_id_agreement_version")),
        sa.ForeignKeyConstraint(["model_id"], ["industrial_model.id"],
                                name=op.f("fk_agreement_version_model_model_id_industrial_model")),
        sa.PrimaryKeyConstraint("version_id", "model_id", name=op.f("pk_agreement_version_model")),
    )
    op.create_index(op.f("ix_agreement_version_model_model_id"), "agreement_version_model", ["model_id"],
                    unique=False)


def downgrade():
    """Drop the link tables, the access requests and the datasets (agreements keep their free texts)."""
    op.drop_table("agreement_version_model")
    op.drop_table("agreement_version_dataset")
    op.drop_table("dataset_access_request")
    op.drop_table("dataset")
