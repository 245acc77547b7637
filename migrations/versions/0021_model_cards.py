"""Model cards and public images: intended use, limitations and training data on industrial models, their version
history, and logos (organisations) and covers (models, offerings) kept as resized public images.

Revision ID: 0021_model_cards
Revises: 0020_merge_api
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_model_cards"
down_revision = "0020_merge_api"
branch_labels = None
depends_on = None


def upgrade():
    """Add the public_image and model_version tables, the card sections, and the logo and cover references."""
    op.create_table(
        "public_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("content_type", sa.String(length=30), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("thumb_width", sa.Integer(), nullable=False),
        sa.Column("thumb_height", sa.Integer(), nullable=False),
        sa.Column("thumb_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_public_image_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user.id"], name=op.f("fk_public_image_uploaded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_image")),
    )
    with op.batch_alter_table("public_image") as batch:
        batch.create_index(batch.f("ix_public_image_organisation_id"), ["organisation_id"], unique=False)
    op.create_table(
        "model_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["model_id"], ["industrial_model.id"], ondelete="CASCADE",
                                name=op.f("fk_model_version_model_id_industrial_model")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_model_version_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_version")),
        sa.UniqueConstraint("model_id", "number", name="uq_model_version_model_id_number"),
    )
    with op.batch_alter_table("model_version") as batch:
        batch.create_index(batch.f("ix_model_version_model_id"), ["model_id"], unique=False)
    with op.batch_alter_table("industrial_model") as batch:
        batch.add_column(sa.Column("intended_use", sa.Text(), nullable=True))
        batch.add_column(sa.Column("limitations", sa.Text(), nullable=True))
        batch.add_column(sa.Column("training_data", sa.Text(), nullable=True))
        batch.add_column(sa.Column("cover_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_industrial_model_cover_id_public_image"), "public_image",
                                 ["cover_id"], ["id"])
    with op.batch_alter_table("offering") as batch:
        batch.add_column(sa.Column("cover_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_offering_cover_id_public_image"), "public_image", ["cover_id"], ["id"])
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("logo_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_organisation_logo_id_public_image"), "public_image", ["logo_id"], ["id"])


def downgrade():
    """Drop the logo and cover references, the card sections, and the model_version and public_image tables."""
    with op.batch_alter_table("organisation") as batch:
        batch.drop_constraint(batch.f("fk_organisation_logo_id_public_image"), type_="foreignkey")
        batch.drop_column("logo_id")
    with op.batch_alter_table("offering") as batch:
        batch.drop_constraint(batch.f("fk_offering_cover_id_public_image"), type_="foreignkey")
        batch.drop_column("cover_id")
    with op.batch_alter_table("industrial_model") as batch:
        batch.drop_constraint(batch.f("fk_industrial_model_cover_id_public_image"), type_="foreignkey")
        batch.drop_column("cover_id")
        batch.drop_column("training_data")
        batch.drop_column("limitations")
        batch.drop_column("intended_use")
    with op.batch_alter_table("model_version") as batch:
        batch.drop_index(batch.f("ix_model_version_model_id"))
    op.drop_table("model_version")
    with op.batch_alter_table("public_image") as batch:
        batch.drop_index(batch.f("ix_public_image_organisation_id"))
    op.drop_table("public_image")
