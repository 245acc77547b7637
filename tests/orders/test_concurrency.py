"""Concurrency on a real PostgreSQL server: twenty simultaneous 'mark paid' requests for one order."""
import threading

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.services import mark_paid, place_order
from marketplace.resonance.models import LedgerEntry
from marketplace.states import IllegalTransition
from tests.factories import make_active_agreement, make_offering, make_user

WORKERS = 20


@pytest.fixture
def paid_setup(app):
    """An order of an offering covered by an active agreement, committed and unpaid."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks are only meaningful on PostgreSQL; CI runs this on a real server")
        vendor = make_user("vendor")
        data = make_user("enterprise")
        buyer = make_user("enterprise", city="zhuhai")
        offering = make_offering(vendor.organisation, price_fen=999_999)
        make_active_agreement(vendor, data, [offering], shares=(3333, 6667))
        order, _ = place_order(buyer, offering, 1, "race")
        db.session.commit()
        return order.id, vendor.id


def test_twenty_concurrent_mark_paid_produce_one_set_of_ledger_entries(app, paid_setup):
    """Exactly one request records the payment; the others are refused; the ledger holds one split."""
    order_id, vendor_id = paid_setup
    barrier = threading.Barrier(WORKERS, timeout=60)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker():
        with app.app_context():
            vendor = db.session.get(User, vendor_id)
            db.session.commit()  # hand the connection back before all twenty start together
            barrier.wait()
            try:
                mark_paid(order_id, vendor)
                db.session.commit()
                result = "paid"
            except IllegalTransition:
                db.session.rollback()
                result = "refused"
            except Exception as exc:  # a constraint violation would land here and fail the test
                db.session.rollback()
                result = f"error: {exc!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(outcomes) == ["paid"] + ["refused"] * (WORKERS - 1)
    with app.app_context():
        rows = db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order_id)).all()
        assert len(rows) == 2 and sum(r.amount_fen for r in rows) == 999_999
        assert db.session.get(Order, order_id).state == "paid"
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 2
