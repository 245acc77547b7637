"""Do ledger totals stay exact far past 64 bits, and are orders bounded so sums stay sane?"""
import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.money import MAX_AMOUNT_FEN
from marketplace.orders.services import place_order
from marketplace.orders.models import Order
from marketplace.resonance.models import LedgerEntry
from marketplace.resonance.statements import agreement_totals
from tests.factories import make_active_agreement, make_offering, make_user

HUGE = 4_000_000_000_000_000_123  # three of these pass 2⁶³ (9,223,372,036,854,775,807)


@pytest.fixture
def huge_ledger(app):
    """Three ledger rows whose sum does not fit in a signed 64-bit integer (rows as old data could hold)."""
    with app.app_context():
        vendor = make_user("vendor")
        data = make_user("enterprise")
        buyer = make_user("enterprise", city="zhuhai")
        offering = make_offering(vendor.organisation, price_fen=100)
        agreement = make_active_agreement(vendor, data, [offering])
        version = agreement.active_version
        for i in range(3):
            order, _ = place_order(buyer, offering, 1, f"huge-{i}")
            db.session.flush()
            db.session.add(LedgerEntry(agreement_id=agreement.id, version_id=version.id, order_id=order.id,
                                       party_id=vendor.organisation_id, kind="revenue", share_bp=6000,
                                       amount_fen=HUGE))
        db.session.add(LedgerEntry(agreement_id=agreement.id, version_id=version.id, order_id=order.id,
                                   party_id=vendor.organisation_id, kind="reversal", share_bp=6000,
                                   amount_fen=-HUGE))
        db.session.commit()
        return {"agreement": agreement.id, "center": make_user("center").email}


def test_agreement_totals_are_exact_beyond_64_bits(in_app, huge_ledger):
    """The overview sums 3 × 4×10¹⁸ fen exactly instead of overflowing."""
    totals = agreement_totals()[huge_ledger["agreement"]]
    assert totals == {"revenue": 3 * HUGE, "reversal": -HUGE, "net": 2 * HUGE}


def test_agreements_page_survives_sums_past_64_bits(client, auth, huge_ledger):
    """The promotion center's agreements overview still renders."""
    auth.login(huge_ledger["center"])
    assert client.get("/resonance/").status_code == 200


def test_an_order_above_the_largest_amount_is_refused(in_app):
    """An order whose list amount passes the bound is refused with a message, and nothing is written."""
    vendor = make_user("vendor")
    buyer = make_user("enterprise", city="zhuhai")
    offering = make_offering(vendor.organisation, price_fen=MAX_AMOUNT_FEN // 2 + 1)
    with pytest.raises(ValueError, match="最多"):
        place_order(buyer, offering, 2, "too-big")
    db.session.rollback()
    assert db.session.scalars(select(Order)).all() == []
