"""Digital-level self-assessments, diagnosis visits and follow-ups (the enterprise file, 建档立卡).

Revision ID: 0023_diagnosis
Revises: 0022_merge_finish
"""
import sqlalchemy as sa
from alembic import op

revision = "0023_diagnosis"
down_revision = "0022_merge_finish"
branch_labels = None
depends_on = None


def upgrade():
    """Create digital_assessment, diagnosis_visit and diagnosis_follow_up."""
    op.create_table(
        "digital_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("indicator_version", sa.String(length=40), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("dimension_scores", sa.JSON(), nullable=False),
        sa.Column("total_tenths", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.CheckConstraint("level BETWEEN 0 AND 4", name=op.f("ck_digital_assessment_level")),
        sa.CheckConstraint("total_tenths BETWEEN 0 AND 1000", name=op.f("ck_digital_assessment_total_tenths")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_digital_assessment_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["taken_by_id"], ["user.id"], name=op.f("fk_digital_assessment_taken_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digital_assessment")),
    )
    op.create_index("ix_digital_assessment_org_taken", "digital_assessment", ["organisation_id", "taken_at"])
    op.create_table(
        "diagnosis_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("level BETWEEN 1 AND 4", name=op.f("ck_diagnosis_visit_level")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_diagnosis_visit_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["center_id"], ["organisation.id"],
                                name=op.f("fk_diagnosis_visit_center_id_organisation")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_diagnosis_visit_recorded_by_id_user")),
        sa.ForeignKeyConstraint(["assessment_id"], ["digital_assessment.id"],
                                name=op.f("fk_diagnosis_visit_assessment_id_digital_assessment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_visit")),
    )
    op.create_index(op.f("ix_diagnosis_visit_center_id"), "diagnosis_visit", ["center_id"])
    op.create_index("ix_diagnosis_visit_org_state", "diagnosis_visit", ["organisation_id", "state"])
    op.create_table(
        "diagnosis_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_diagnosis_follow_up_title")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_diagnosis_follow_up_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["center_id"], ["organisation.id"],
                                name=op.f("fk_diagnosis_follow_up_center_id_organisation")),
        sa.ForeignKeyConstraint(["visit_id"], ["diagnosis_visit.id"],
                                name=op.f("fk_diagnosis_follow_up_visit_id_diagnosis_visit")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_diagnosis_follow_up_created_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_follow_up")),
    )
    op.create_index(op.f("ix_diagnosis_follow_up_center_id"), "diagnosis_follow_up", ["center_id"])
    op.create_index("ix_diagnosis_follow_up_org_state", "diagnosis_follow_up", ["organisation_id", "state"])


def downgrade():
    """Drop the three tables."""
    op.drop_index("ix_diagnosis_follow_up_org_state", table_name="diagnosis_follow_up")
    op.drop_index(op.f("ix_diagnosis_follow_up_center_id"), table_name="diagnosis_follow_up")
    op.drop_table("diagnosis_follow_up")
    op.drop_index("ix_diagnosis_visit_org_state", table_name="diagnosis_visit")
    op.drop_index(op.f("ix_diagnosis_visit_center_id"), table_name="diagnosis_visit")
    op.drop_table("diagnosis_visit")
    op.drop_index("ix_digital_assessment_org_taken", table_name="digital_assessment")
    op.drop_table("digital_assessment")
