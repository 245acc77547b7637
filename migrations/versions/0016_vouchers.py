"""模型券 quotas: policy instruments as versioned rows, quota applications, ledger kinds, proposal orders.

- policy_instrument: every version of every region's instruments (who changed what, when, why); filled
  here with version 1 of the rules file `marketplace/policy/instruments.json`, which stays the seed.
- quota_application: an SME's application for a year's 模型券 quota and the center's decision.
- order.proposal_id (unique: a proposal becomes at most one order); order.offering_id may be empty for a
  proposal that names no offering.
- voucher_entry: the `use` kind becomes `reserve`; every paid order's reservation gets its `commit` row
  (dated when it was paid). The append-only triggers are lifted for this one rewrite and put back.

Revision ID: 0016_vouchers
Revises: 0015_trust_foundation
"""
import json
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0016_vouchers'
down_revision = '0015_trust_foundation'
branch_labels = None
depends_on = None

RULES_FILE = Path(__file__).resolve().parents[2] / "marketplace" / "policy" / "instruments.json"
SQLITE_GUARDS = [
    "CREATE TRIGGER IF NOT EXISTS voucher_entry_no_{a} BEFORE {A} ON voucher_entry "
    "BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END".format(a=action.lower(), A=action)
    for action in ("UPDATE", "DELETE")
]


def lift_guards(dialect):
    """Drop the voucher ledger's append-only triggers for the rewrite of old rows."""
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS voucher_entry_append_only ON voucher_entry")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS voucher_entry_no_update")
        op.execute("DROP TRIGGER IF EXISTS voucher_entry_no_delete")


def restore_guards(dialect):
    """Put the voucher ledger's append-only triggers back."""
    if dialect == "postgresql":
        op.execute("CREATE TRIGGER voucher_entry_append_only BEFORE UPDATE OR DELETE ON voucher_entry "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change()")
    elif dialect == "sqlite":
        for statement in SQLITE_GUARDS:
            op.execute(statement)


def upgrade():
    policy = op.create_table(
        'policy_instrument',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=20), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('in_force', sa.Boolean(), nullable=False),
        sa.Column('name_zh', sa.String(length=80), nullable=False),
        sa.Column('name_en', sa.String(length=120), nullable=False),
        sa.Column('applies_to', sa.JSON(), nullable=False),
        sa.Column('year_from', sa.Integer(), nullable=False),
        sa.Column('year_to', sa.Integer(), nullable=False),
        sa.Column('rate_bp', sa.Integer(), nullable=True),
        sa.Column('annual_cap_fen', sa.BigInteger(), nullable=True),
        sa.Column('item_cap_fen', sa.BigInteger(), nullable=True),
        sa.Column('min_digital_level', sa.Integer(), nullable=True),
        sa.Column('yearly_count_cap', sa.Integer(), nullable=True),
        sa.Column('basis_zh', sa.Text(), nullable=False),
        sa.Column('basis_en', sa.Text(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('region', 'code', 'version', name=op.f('uq_policy_instrument_region')),
    )
    with op.batch_alter_table('policy_instrument', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_instrument_region'), ['region'], unique=False)
    from datetime import datetime, timezone

    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(policy, [
        dict(region=raw["region"], code=raw["code"], version=1, in_force=True, name_zh=raw["name_zh"],
             name_en=raw["name_en"], applies_to=list(raw["applies_to"]), year_from=min(raw["years"]),
             year_to=max(raw["years"]), rate_bp=raw["rate_bp"], annual_cap_fen=raw["annual_cap_fen"],
             item_cap_fen=raw["item_cap_fen"], min_digital_level=raw["min_digital_level"],
             yearly_count_cap=raw["yearly_count_cap"], basis_zh=raw["basis_zh"], basis_en=raw["basis_en"],
             note=None, changed_by_id=None, created_at=now)
        for raw in data["instruments"]])

    op.create_table(
        'quota_application',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=20), nullable=False),
        sa.Column('projects', sa.Text(), nullable=False),
        sa.Column('requested_fen', sa.BigInteger(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('granted_fen', sa.BigInteger(), nullable=True),
        sa.Column('revoked_fen', sa.BigInteger(), nullable=False),
        sa.Column('decision_reason', sa.String(length=1000), nullable=True),
        sa.Column('revoke_reason', sa.String(length=1000), nullable=True),
        sa.Column('submitted_by_id', sa.Integer(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['enterprise_id'], ['organisation.id'], ),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('quota_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quota_application_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quota_application_region'), ['region'], unique=False)
        batch_op.create_index(batch_op.f('ix_quota_application_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_quota_application_year'), ['year'], unique=False)

    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.alter_column('offering_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_order_proposal_id'), ['proposal_id'])
        batch_op.create_foreign_key(batch_op.f('fk_order_proposal_id_proposal'), 'proposal', ['proposal_id'], ['id'])

    dialect = op.get_bind().dialect.name
    lift_guards(dialect)
    op.execute("UPDATE voucher_entry SET kind = 'reserve' WHERE kind = 'use'")
    op.execute(
        "INSERT INTO voucher_entry (enterprise_id, year, region, kind, amount_fen, order_id, note, created_at) "
        "SELECT v.enterprise_id, v.year, v.region, 'commit', v.amount_fen, v.order_id, NULL, o.paid_at "
        "FROM voucher_entry v JOIN \"order\" o ON o.id = v.order_id "
        "WHERE v.kind = 'reserve' AND o.paid_at IS NOT NULL")
    restore_guards(dialect)


def downgrade():
    dialect = op.get_bind().dialect.name
    lift_guards(dialect)
    op.execute("DELETE FROM voucher_entry WHERE kind IN ('commit', 'redeem')")
    op.execute("UPDATE voucher_entry SET kind = 'use' WHERE kind = 'reserve'")
    restore_guards(dialect)
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_order_proposal_id_proposal'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_order_proposal_id'), type_='unique')
        batch_op.alter_column('offering_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('proposal_id')
    with op.batch_alter_table('quota_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quota_application_year'))
        batch_op.drop_index(batch_op.f('ix_quota_application_state'))
        batch_op.drop_index(batch_op.f('ix_quota_application_region'))
        batch_op.drop_index(batch_op.f('ix_quota_application_enterprise_id'))
    op.drop_table('quota_application')
    with op.batch_alter_table('policy_instrument', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_instrument_region'))
    op.drop_table('policy_instrument')
