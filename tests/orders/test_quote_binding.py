"""Is an order bound to the quote the SME confirmed, even when the vendor changes the price meanwhile?"""
import re

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.orders.models import Order, VoucherEntry
from tests.factories import make_offering, make_quota, make_user

# The 模型券 deduction depends on the year's voucher instrument, so these tests run at a fixed date.
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def listed(app):
    """A ¥5.00 voucher-eligible offering and a Zhuhai SME."""
    with app.app_context():
        vendor = make_user("vendor")
        sme = make_user("enterprise", city="zhuhai")
        make_quota(sme.organisation, 100_000_000, 2026)  # Zhuhai has rules; the center approved a quota
        item = make_offering(vendor.organisation, price_fen=500, voucher_eligible=True)
        return {"sme_email": sme.email, "offering": item.id}


def hidden_quote(page: str) -> dict:
    """Read the quoted figures the order form carries."""
    return dict(re.findall(r'name="(quoted_\w+)" type="hidden" value="(\d+)"', page))


def test_price_raised_after_the_quote_is_refused_with_the_new_figures(app, client, auth, listed):
    """The SME sees ¥5.00, the vendor edits the price to ¥50,000; submitting places nothing and shows the new quote."""
    auth.login(listed["sme_email"])
    page = client.get(f"/offerings/{listed['offering']}/order").get_data(as_text=True)
    seen = hidden_quote(page)
    assert seen == {"quoted_unit_fen": "500", "quoted_payable_fen": "350"}
    with app.app_context():
        db.session.get(Offering, listed["offering"]).price_fen = 5_000_000
        db.session.commit()
    response = client.post(f"/offerings/{listed['offering']}/order",
                           data={"quantity": "1", "idempotency_key": "k", **seen})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "¥50,000.00" in body and "¥35,000.00" in body
    assert hidden_quote(body) == {"quoted_unit_fen": "5000000", "quoted_payable_fen": "3500000"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
        assert db.session.scalar(select(func.count()).select_from(VoucherEntry)) == 0
    again = client.post(f"/offerings/{listed['offering']}/order",
                        data={"quantity": "1", "idempotency_key": "k", **hidden_quote(body)})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Order.payable_fen)) == 3_500_000


def test_order_without_the_confirmed_quote_is_not_placed(app, client, auth, listed):
    """A submit that does not carry the quote the SME saw places nothing."""
    auth.login(listed["sme_email"])
    response = client.post(f"/offerings/{listed['offering']}/order",
                           data={"quantity": "1", "idempotency_key": "k", "quoted_unit_fen": "1",
                                 "quoted_payable_fen": "99999999999999999999999"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
