"""Accepting a proposal (采纳) is confirmed on a page that shows what the SME agrees to pay, priced as the order
will be, and the revenue shares of a covering 模数共振 agreement."""
import re

import pytest

from marketplace.extensions import db
from marketplace.orders.services import proposal_quote
from marketplace.proposals.models import Proposal
from marketplace.resonance.services import split_revenue
from tests.factories import make_active_agreement, make_need, make_offering, make_proposal, make_quota, make_user

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def offer(app):
    """A Zhuhai SME with a 模型券 quota and a submitted proposal at 150,000 CNY naming one eligible offering that an
    agreement splits 60% / 40%."""
    with app.app_context():
        vendor, sme = make_user("vendor"), make_user("enterprise", city="zhuhai")
        make_quota(sme.organisation, 1_000_000_00, 2026)
        offering = make_offering(vendor.organisation, price_fen=150_000_00, voucher_eligible=True)
        data_party = make_user("enterprise")
        make_active_agreement(vendor, data_party, [offering])
        proposal = make_proposal(make_need(sme.organisation), vendor, [offering], price_fen=150_000_00)
        quoted = proposal_quote(sme.organisation, proposal, 2026)
        return {"proposal": proposal.id, "sme": sme.email, "vendor": vendor.email, "list": quoted.list_fen,
                "voucher": quoted.voucher_fen, "payable": quoted.payable_fen,
                "shares": sorted(split_revenue(quoted.list_fen, {vendor.organisation_id: 6000,
                                                                 data_party.organisation_id: 4000}).values())}


def test_accepting_shows_price_voucher_part_payable_and_shares(client, auth, offer):
    """Does the confirmation show the agreed price, the 模型券 part and what the SME pays, as the order will price
    them, and the shares the agreement will split?"""
    auth.login(offer["sme"])
    page = client.get(f"/proposals/{offer['proposal']}/accept/confirm").get_data(as_text=True)
    figures = re.search(r'<table class="[^"]*money-figures[^"]*">(.*?)</table>', page, re.S).group(1)
    assert [int(v) for v in re.findall(r'data-fen="(\d+)"', figures)] == [offer["list"], offer["voucher"],
                                                                         offer["payable"]]
    assert offer["voucher"] > 0
    shares = re.search(r'<table class="[^"]*money-shares[^"]*">(.*?)</table>', page, re.S).group(1)
    assert sorted(int(v) for v in re.findall(r'data-fen="(\d+)"', shares)) == offer["shares"]
    assert f'action="/proposals/{offer["proposal"]}/accept"' in page


def test_the_proposal_page_links_to_the_confirmation(client, auth, offer):
    """Is 采纳 on the proposal page a link to the confirmation rather than a form that accepts at once?"""
    auth.login(offer["sme"])
    page = client.get(f"/proposals/{offer['proposal']}").get_data(as_text=True)
    assert f'href="/proposals/{offer["proposal"]}/accept/confirm"' in page
    assert f'action="/proposals/{offer["proposal"]}/accept"' not in page


def test_confirming_accepts_once(app, client, auth, offer):
    """Does the confirmation's button accept the proposal, and does opening it again lead back to the proposal?"""
    auth.login(offer["sme"])
    assert client.post(f"/proposals/{offer['proposal']}/accept").status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, offer["proposal"]).state == "accepted"
    again = client.get(f"/proposals/{offer['proposal']}/accept/confirm")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/proposals/{offer['proposal']}")


def test_only_the_sme_opens_the_confirmation(client, auth, offer):
    """Is the vendor refused the SME's confirmation page?"""
    auth.login(offer["vendor"])
    assert client.get(f"/proposals/{offer['proposal']}/accept/confirm").status_code == 403
