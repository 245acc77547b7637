"""模型券 service catalogue per region, and redemptions (核销) of voucher-paid orders.

- catalogue_entry: an offering's application to, and place in, one region's 模型券 service catalogue
  (applied → in_catalogue | refused; in_catalogue → catalogue_removed), decided by the region's center.
- redemption: a vendor's redemption of one delivered order paid partly with 模型券 — contract, invoice and
  acceptance files, invoice number and amount, the voucher amount claimed — confirmed or returned by the
  center of the buyer's region.
- offering.voucher_eligible (ticked by vendors themselves) is dropped: every offering that had it ticked
  becomes an admitted entry of the default region's catalogue (zhuhai, the default region when this
  migration was written), so no order loses its deduction on upgrade. Downgrade ticks the flag again for
  offerings in any catalogue.

Revision ID: 0016_redemptions
Revises: 0015_trust_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_redemptions'
down_revision = '0015_trust_foundation'
branch_labels = None
depends_on = None

DEFAULT_REGION = 'zhuhai'


def upgrade():
    op.create_table(
        'catalogue_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('offering_id', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=True),
        sa.Column('applied_by_id', sa.Integer(), nullable=True),
        sa.Column('applied_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['applied_by_id'], ['user.id'],
                                name='fk_catalogue_entry_applied_by_id_user'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'],
                                name='fk_catalogue_entry_decided_by_id_user'),
        sa.ForeignKeyConstraint(['offering_id'], ['offering.id'], ondelete='CASCADE',
                                name='fk_catalogue_entry_offering_id_offering'),
        sa.PrimaryKeyConstraint('id', name='pk_catalogue_entry'),
        sa.UniqueConstraint('offering_id', 'region', name='uq_catalogue_entry_offering_id'),
    )
    with op.batch_alter_table('catalogue_entry', schema=None) as batch_op:
        batch_op.create_index('ix_catalogue_entry_offering_id', ['offering_id'], unique=False)
        batch_op.create_index('ix_catalogue_entry_region', ['region'], unique=False)
        batch_op.create_index('ix_catalogue_entry_state', ['state'], unique=False)

    op.create_table(
        'redemption',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('vendor_id', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('contract_file_id', sa.Integer(), nullable=False),
        sa.Column('invoice_file_id', sa.Integer(), nullable=False),
        sa.Column('acceptance_file_id', sa.Integer(), nullable=False),
        sa.Column('invoice_number', sa.String(length=40), nullable=False),
        sa.Column('invoice_fen', sa.BigInteger(), nullable=False),
        sa.Column('difference_note', sa.String(length=500), nullable=True),
        sa.Column('claimed_fen', sa.BigInteger(), nullable=False),
        sa.Column('submissions', sa.Integer(), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('return_reason', sa.String(length=500), nullable=True),
        sa.Column('returned_at', sa.DateTime(), nullable=True),
        sa.Column('redeemed_at', sa.DateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['acceptance_file_id'], ['stored_file.id'],
                                name='fk_redemption_acceptance_file_id_stored_file'),
        sa.ForeignKeyConstraint(['contract_file_id'], ['stored_file.id'],
                                name='fk_redemption_contract_file_id_stored_file'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name='fk_redemption_decided_by_id_user'),
        sa.ForeignKeyConstraint(['invoice_file_id'], ['stored_file.id'],
                                name='fk_redemption_invoice_file_id_stored_file'),
        sa.ForeignKeyConstraint(['order_id'], ['order.id'], name='fk_redemption_order_id_order'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name='fk_redemption_submitted_by_id_user'),
        sa.ForeignKeyConstraint(['vendor_id'], ['organisation.id'], name='fk_redemption_vendor_id_organisation'),
        sa.PrimaryKeyConstraint('id', name='pk_redemption'),
        sa.UniqueConstraint('order_id', name='uq_redemption_order_id'),
    )
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.create_index('ix_redemption_redeemed_at', ['redeemed_at'], unique=False)
        batch_op.create_index('ix_redemption_region', ['region'], unique=False)
        batch_op.create_index('ix_redemption_state', ['state'], unique=False)
        batch_op.create_index('ix_redemption_vendor_id', ['vendor_id'], unique=False)

    op.execute(sa.text(
        "INSERT INTO catalogue_entry (offering_id, region, state, note, applied_at, decided_at) "
        "SELECT id, :region, 'in_catalogue', :note, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM offering "
        "WHERE voucher_eligible = :yes"
    ).bindparams(region=DEFAULT_REGION, note='由原“可使用模型券”标记迁入', yes=True))
    with op.batch_alter_table('offering', schema=None) as batch_op:
        batch_op.drop_column('voucher_eligible')


def downgrade():
    with op.batch_alter_table('offering', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voucher_eligible', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(sa.text(
        "UPDATE offering SET voucher_eligible = :yes WHERE id IN "
        "(SELECT offering_id FROM catalogue_entry WHERE state = 'in_catalogue')").bindparams(yes=True))
    with op.batch_alter_table('redemption', schema=None) as batch_op:
        batch_op.drop_index('ix_redemption_vendor_id')
        batch_op.drop_index('ix_redemption_state')
        batch_op.drop_index('ix_redemption_region')
        batch_op.drop_index('ix_redemption_redeemed_at')
    op.drop_table('redemption')
    with op.batch_alter_table('catalogue_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_catalogue_entry_state')
        batch_op.drop_index('ix_catalogue_entry_region')
        batch_op.drop_index('ix_catalogue_entry_offering_id')
    op.drop_table('catalogue_entry')
