"""Do the money and cap rules hold when requests race? On SQLite (the default) and on PostgreSQL alike.

Each test starts its workers together on a barrier, each in its own app context, session and connection,
exactly as concurrent web requests run.
"""
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orders.models import Order, VoucherEntry
from marketplace.orders.services import cancel, mark_paid, place_order, refund, voucher_used
from marketplace.resonance.demonstrations import select_demonstration
from marketplace.resonance.models import DemonstrationSelection, LedgerEntry
from marketplace.states import IllegalTransition
from tests.factories import make_active_agreement, make_offering, make_quota, make_user

# The 模型券 deduction depends on the year's voucher instrument, so these tests run at a fixed date.
pytestmark = pytest.mark.usefixtures("frozen_clock")

CAP_FEN = 1_000_000_00  # Zhuhai 模型券: at most 1,000,000 CNY per enterprise per year


def race(app, jobs) -> list[str]:
    """Run every job at the same instant, each in its own app context; return what each one reported."""
    barrier = threading.Barrier(len(jobs), timeout=60)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job):
        with app.app_context():
            prepared = job.prepare()
            db.session.commit()  # hand the connection back so every worker starts its transaction together
            barrier.wait()
            try:
                result = job.act(prepared)
                db.session.commit()
            except (IllegalTransition, DomainError, ValueError) as exc:
                db.session.rollback()
                result = f"refused: {type(exc).__name__}"
            except Exception as exc:  # a constraint violation or a lock error fails the test
                db.session.rollback()
                result = f"error: {exc!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(outcomes) == len(jobs), "a worker did not finish"
    return outcomes


class Job:
    """One racing request: load what it needs, then act."""

    def __init__(self, user_id: int, act):
        """Remember who acts and how."""
        self.user_id, self._act = user_id, act

    def prepare(self):
        """Load the acting user in this worker's session."""
        return db.session.get(User, self.user_id)

    def act(self, user):
        """Do the racing action."""
        return self._act(user)


@pytest.fixture
def covered_order(app):
    """An unpaid order of an offering covered by an active agreement, with a 模型券 deduction."""
    with app.app_context():
        vendor = make_user("vendor")
        data = make_user("enterprise")
        buyer = make_user("enterprise", city="zhuhai")
        make_quota(buyer.organisation, CAP_FEN, 2026)  # Zhuhai has rules; the center approved a quota
        offering = make_offering(vendor.organisation, price_fen=999_999, voucher_eligible=True)
        make_active_agreement(vendor, data, [offering], shares=(3333, 6667))
        order, _ = place_order(buyer, offering, 1, "race")
        db.session.commit()
        return {"order": order.id, "vendor": vendor.id, "buyer": buyer.id, "buyer_org": buyer.organisation_id,
                "voucher_fen": order.voucher_fen}


def test_twenty_concurrent_mark_paid_produce_one_set_of_ledger_entries(app, covered_order):
    """Exactly one request records the payment; the others are refused; the ledger holds one split."""
    order_id = covered_order["order"]
    jobs = [Job(covered_order["vendor"], lambda user: mark_paid(order_id, user) and "paid") for _ in range(20)]
    assert sorted(race(app, jobs)) == ["paid"] + ["refused: AlreadyDone"] * 19  # an IllegalTransition: paid already
    with app.app_context():
        rows = db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order_id)).all()
        assert len(rows) == 2 and sum(r.amount_fen for r in rows) == 999_999
        assert db.session.get(Order, order_id).state == "paid"


def test_eight_concurrent_orders_never_exceed_the_annual_voucher_cap(app):
    """Eight orders at once, each wanting 600,000 CNY of voucher: together they use exactly the 1,000,000 cap."""
    with app.app_context():
        vendor = make_user("vendor")
        sme = make_user("enterprise", city="zhuhai")
        make_quota(sme.organisation, CAP_FEN, 2026)
        big = make_offering(vendor.organisation, price_fen=2_000_000_00, voucher_eligible=True)
        ids = {"sme": sme.id, "org": sme.organisation_id, "offering": big.id}
    when = datetime(2026, 6, 1, tzinfo=timezone.utc)

    def order(key):
        """Place one order with its own idempotency key."""
        from marketplace.catalog.models import Offering

        def act(user):
            placed, _ = place_order(user, db.session.get(Offering, ids["offering"]), 1, key, when=when)
            return f"voucher {placed.voucher_fen}"
        return act

    outcomes = race(app, [Job(ids["sme"], order(f"k-{i}")) for i in range(8)])
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert sorted(outcomes, reverse=True)[:2] == ["voucher 60000000", "voucher 40000000"]
    with app.app_context():
        assert voucher_used(ids["org"], 2026) == CAP_FEN
        assert db.session.scalar(select(func.sum(Order.voucher_fen))) == CAP_FEN
        assert db.session.scalar(select(func.count()).select_from(Order)) == 8


def test_eight_concurrent_orders_never_exceed_the_approved_quota(app):
    """A 250,000 CNY quota, eight orders at once each wanting 60,000: together they take exactly the quota."""
    with app.app_context():
        vendor = make_user("vendor")
        sme = make_user("enterprise", city="zhuhai")
        make_quota(sme.organisation, 250_000_00, 2026)
        item = make_offering(vendor.organisation, price_fen=200_000_00, voucher_eligible=True)
        ids = {"sme": sme.id, "org": sme.organisation_id, "offering": item.id}
    when = datetime(2026, 6, 1, tzinfo=timezone.utc)

    def order(key):
        """Place one order with its own idempotency key."""
        from marketplace.catalog.models import Offering

        def act(user):
            placed, _ = place_order(user, db.session.get(Offering, ids["offering"]), 1, key, when=when)
            return f"voucher {placed.voucher_fen}"
        return act

    outcomes = race(app, [Job(ids["sme"], order(f"q-{i}")) for i in range(8)])
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert sorted(outcomes, reverse=True)[:5] == ["voucher 6000000"] * 4 + ["voucher 1000000"]
    with app.app_context():
        from marketplace.vouchers.services import voucher_position

        position = voucher_position(ids["org"], 2026)
        assert position.reserved_fen == 250_000_00 and position.available_fen == 0
        assert db.session.scalar(select(func.sum(Order.voucher_fen))) == 250_000_00


@pytest.mark.parametrize("round_", range(4))
def test_cancel_and_mark_paid_at_the_same_instant_leave_one_consistent_outcome(app, covered_order, round_):
    """Either the payment or the cancellation wins, never both; a paid order can still be refunded afterwards."""
    order_id = covered_order["order"]
    outcomes = race(app, [Job(covered_order["vendor"], lambda user: mark_paid(order_id, user) and "paid"),
                          Job(covered_order["buyer"], lambda user: cancel(order_id, user) and "cancelled")])
    assert sorted(outcomes) in (["paid", "refused: IllegalTransition"], ["cancelled", "refused: IllegalTransition"])
    with app.app_context():
        order = db.session.get(Order, order_id)
        ledger = db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order_id)).all()
        releases = db.session.scalars(select(VoucherEntry).where(VoucherEntry.order_id == order_id,
                                                                 VoucherEntry.kind == "release")).all()
        if "paid" in outcomes:
            assert order.state == "paid" and order.cancelled_at is None
            assert len(ledger) == 2 and releases == []
            refund(order_id, db.session.get(User, covered_order["vendor"]), "客户退货")
            db.session.commit()
            assert db.session.get(Order, order_id).state == "refunded"
            assert voucher_used(covered_order["buyer_org"], order.voucher_year) == 0
        else:
            assert order.state == "cancelled" and order.paid_at is None
            assert ledger == [] and [r.amount_fen for r in releases] == [covered_order["voucher_fen"]]


def test_concurrent_demonstration_selections_stop_at_five_a_year(app):
    """Eight centers' selections of eight agreements at once: exactly five are selected for the year."""
    with app.app_context():
        vendor = make_user("vendor")
        data = make_user("enterprise")
        agreements = [make_active_agreement(vendor, data, [make_offering(vendor.organisation, title=f"智能体 {i}")],
                                            title=f"分成协议 {i}").id for i in range(8)]
        centers = [make_user("center", city="zhuhai").id for _ in range(8)]

    def select_one(agreement_id):
        """Select one agreement as a 2026 demonstration case."""
        return lambda user: select_demonstration(agreement_id, user, 2026, 500_000_00, "示范效果显著") and "selected"

    outcomes = race(app, [Job(center, select_one(a)) for center, a in zip(centers, agreements)])
    assert sorted(outcomes) == ["refused: DomainError"] * 3 + ["selected"] * 5
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DemonstrationSelection)
                                 .where(DemonstrationSelection.year == 2026)) == 5
