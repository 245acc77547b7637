"""A contracted proposal becomes one order at its agreed price, through the same 模型券 rules as any order."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.orders.models import Order, VoucherEntry
from marketplace.orders.services import order_from_proposal
from tests.factories import make_need, make_proposal, make_quota

YEAR = 2026


@pytest.fixture
def deal(market):
    """A Zhuhai SME with a 100,000 CNY quota, and the vendor's contracted ¥80,000 proposal naming its offering."""
    make_quota(market.sme.organisation, 100_000_00, YEAR)
    need = make_need(market.sme.organisation, city="zhuhai")
    market.proposal = make_proposal(need, market.vendor, [market.offering], state="contracted", price_fen=80_000_00)
    return market


def count(model) -> int:
    """Count rows of a model."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_contracted_proposal_becomes_an_order_at_its_agreed_price(deal):
    """The order carries the agreed price (not the list price), the offering, and a 30% deduction from the quota."""
    order, created = order_from_proposal(deal.sme, deal.proposal.id, "p-1")
    assert created and order.proposal_id == deal.proposal.id and order.offering_id == deal.offering.id
    assert (order.list_fen, order.voucher_fen, order.payable_fen) == (80_000_00, 24_000_00, 56_000_00)
    assert [line.code for line in order.lines] == ["item", "model_voucher"]
    assert db.session.scalars(select(VoucherEntry.kind)).all() == ["reserve"]


def test_a_proposal_becomes_at_most_one_order(deal):
    """A second attempt, even with another key, returns the first order and writes nothing."""
    first, _ = order_from_proposal(deal.sme, deal.proposal.id, "p-1")
    again, created = order_from_proposal(deal.sme, deal.proposal.id, "another-key")
    assert again.id == first.id and not created
    assert count(Order) == 1 and count(VoucherEntry) == 1


def test_only_a_contracted_proposal_and_only_its_sme(deal):
    """An accepted (not yet contracted) proposal is refused; the vendor and another SME may not order it."""
    deal.proposal.state = "accepted"
    with pytest.raises(ValueError, match="已签约"):
        order_from_proposal(deal.sme, deal.proposal.id, "p-1")
    deal.proposal.state = "contracted"
    for outsider in (deal.vendor, deal.foshan_sme):
        with pytest.raises(PermissionDenied):
            order_from_proposal(outsider, deal.proposal.id, "p-2")


def test_a_proposal_naming_no_offering_is_ordered_for_its_amount_without_voucher(market):
    """No offering named: the order is for the agreed amount under the need's title, with no 模型券 deduction."""
    make_quota(market.sme.organisation, 100_000_00, YEAR)
    need = make_need(market.sme.organisation, title="空压站节能改造")
    proposal = make_proposal(need, market.vendor, [], state="contracted", price_fen=40_000_00)
    order, _ = order_from_proposal(market.sme, proposal.id, "bare")
    assert (order.title, order.offering_id, order.list_fen, order.voucher_fen) == ("空压站节能改造", None, 40_000_00, 0)


def test_an_ineligible_offering_means_no_deduction(market):
    """The same voucher rules: a proposal naming a non-eligible offering gets no deduction."""
    make_quota(market.sme.organisation, 100_000_00, YEAR)
    proposal = make_proposal(make_need(market.sme.organisation), market.vendor, [market.plain], state="contracted")
    order, _ = order_from_proposal(market.sme, proposal.id, "plain")
    assert order.voucher_fen == 0 and order.payable_fen == order.list_fen


def test_the_sme_orders_from_the_proposal_page(deal, client, auth):
    """The proposal page offers the order; confirming places it once; the page then links to the order."""
    db.session.commit()
    auth.login(deal.sme.email)
    page = client.get(f"/proposals/{deal.proposal.id}").get_data(as_text=True)
    assert f"/proposals/{deal.proposal.id}/order" in page
    confirm = client.get(f"/proposals/{deal.proposal.id}/order").get_data(as_text=True)
    assert "¥24,000.00" in confirm
    fields = dict(re.findall(r'name="(idempotency_key|quoted_\w+)" type="hidden" value="(\w+)"', confirm))
    first = client.post(f"/proposals/{deal.proposal.id}/order", data=fields)
    second = client.post(f"/proposals/{deal.proposal.id}/order", data=fields)
    assert first.status_code == 302 and second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Order) == 1
    page = client.get(f"/proposals/{deal.proposal.id}").get_data(as_text=True)
    assert f"/orders/{db.session.scalar(select(Order.id))}" in page
