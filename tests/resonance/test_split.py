"""Is the revenue split exact, non-negative, order-independent and strict about bad input?"""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.resonance.services import split_revenue


@st.composite
def valid_shares(draw):
    """Between 1 and 8 parties with non-negative basis points summing to exactly 10,000."""
    n = draw(st.integers(min_value=1, max_value=8))
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=10_000), min_size=n - 1, max_size=n - 1)))
    points = [0, *cuts, 10_000]
    ids = draw(st.lists(st.one_of(st.integers(min_value=1, max_value=10**6), st.text(min_size=1, max_size=6)),
                        min_size=n, max_size=n, unique_by=str))
    return {pid: points[i + 1] - points[i] for i, pid in enumerate(ids)}


AMOUNTS = st.integers(min_value=0, max_value=10**13)


@settings(max_examples=2000, deadline=None)
@given(amount=AMOUNTS, shares=valid_shares())
def test_split_sums_exactly_to_amount(amount, shares):
    """For any amount and valid shares the parts add up to the amount, to the fen."""
    assert sum(split_revenue(amount, shares).values()) == amount


@settings(max_examples=2000, deadline=None)
@given(amount=AMOUNTS, shares=valid_shares())
def test_no_party_gets_a_negative_amount_and_each_is_within_one_fen_of_exact(amount, shares):
    """Every part is non-negative and within one fen of the exact proportional amount."""
    parts = split_revenue(amount, shares)
    for party, bp in shares.items():
        assert parts[party] >= 0
        exact_floor = amount * bp // 10_000
        assert exact_floor <= parts[party] <= exact_floor + 1


@settings(max_examples=1000, deadline=None)
@given(amount=AMOUNTS, shares=valid_shares(), seed=st.integers())
def test_result_does_not_depend_on_party_order(amount, shares, seed):
    """Listing the parties in any order gives the same split."""
    items = list(shares.items())
    random.Random(seed).shuffle(items)
    assert split_revenue(amount, dict(items)) == split_revenue(amount, shares)


def test_documented_tie_break_gives_leftover_fen_to_lowest_party_id():
    """Three equal remainders: the leftover fen go to the lowest ids first."""
    assert split_revenue(100, {3: 3334, 1: 3333, 2: 3333}) == {1: 33, 2: 33, 3: 34}
    assert split_revenue(2, {30: 3333, 10: 3333, 20: 3334}) == {10: 1, 20: 1, 30: 0}
    assert split_revenue(1, {"b": 5000, "a": 5000}) == {"a": 1, "b": 0}


@pytest.mark.parametrize("amount,shares,message", [
    (100, {1: 5000, 2: 4000}, "sum to exactly 10000"),
    (100, {1: 12000, 2: -2000}, "must not be negative"),
    (-1, {1: 10000}, "must not be negative"),
    (100, {}, "at least one party"),
    (10.5, {1: 10000}, "whole number"),
    (100, {1: 5000.0, 2: 5000}, "whole number"),
])
def test_invalid_input_raises_a_clear_value_error(amount, shares, message):
    """Bad shares or amounts raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=message):
        split_revenue(amount, shares)


def test_split_base_is_the_list_amount_voucher_included(in_app, frozen_clock):
    """A paid order with a 模型券 deduction is split on its list amount, not on the amount the SME paid."""
    from sqlalchemy import select

    from marketplace.extensions import db

    from marketplace.orders.services import mark_paid, place_order
    from marketplace.resonance.models import LedgerEntry
    from tests.factories import make_active_agreement, make_offering, make_quota, make_user

    vendor, data = make_user("vendor"), make_user("enterprise")
    buyer = make_user("enterprise", city="zhuhai")
    make_quota(buyer.organisation, 100_000_000, 2026)  # Zhuhai has rules; the center approved a quota
    item = make_offering(vendor.organisation, price_fen=100_000_00, voucher_eligible=True)
    make_active_agreement(vendor, data, [item], shares=(6000, 4000))
    order, _ = place_order(buyer, item, 1, "base-1")
    mark_paid(order.id, vendor)
    assert order.voucher_fen == 30_000_00 and order.payable_fen == 70_000_00
    assert sum(e.amount_fen for e in db.session.scalars(select(LedgerEntry))) == 100_000_00
