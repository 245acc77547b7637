"""Payment receipts: the amount received, the payment reference and who recorded an order's payment when.

Orders paid before this revision get a receipt of their amount payable at their payment time, without a
reference or a recorder, so every paid order has its receipt page.

Revision ID: 0021_receipts
Revises: 0020_merge_api
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_receipts"
down_revision = "0020_merge_api"
branch_labels = None
depends_on = None


def upgrade():
    """Add the payment_receipt table and a receipt for every order already paid."""
    op.create_table(
        "payment_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"], name=op.f("fk_payment_receipt_order_id_order")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_payment_receipt_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_receipt")),
        sa.UniqueConstraint("order_id", name=op.f("uq_payment_receipt_order_id")),
    )
    op.execute('INSERT INTO payment_receipt (order_id, amount_fen, recorded_at) '
               'SELECT id, payable_fen, paid_at FROM "order" WHERE paid_at IS NOT NULL')


def downgrade():
    """Drop the payment_receipt table."""
    op.drop_table("payment_receipt")
