"""Does a move sent again after it was made (a double click, a second tab) say so kindly and show the record,
rather than a process error? 采纳 twice, a payment recorded from two tabs, and every process's repeated move."""
import html
import re
from types import SimpleNamespace

import pytest

from marketplace.extensions import db
from marketplace.orders.process import ORDER
from marketplace.proposals.models import Proposal
from marketplace.proposals.process import PROPOSAL
from marketplace.redemptions.process import REDEMPTION
from marketplace.states import AlreadyDone, IllegalTransition
from tests.orders.test_orders import pay
from tests.orders.test_receipts import deal  # noqa: F401 (fixture)
from tests.proposals.test_accept_confirmation import offer  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("frozen_clock")


def flashes(page: str) -> list[tuple[str, str]]:
    """Return the flash messages of a page as (category, text)."""
    return [(kind, html.unescape(text)) for kind, text in
            re.findall(r'<div class="flash flash-(\w+)"[^>]*>([^<]*)</div>', page)]


def test_accepting_twice_says_it_is_accepted_and_shows_the_proposal(app, client, auth, offer):  # noqa: F811
    """Does a second 采纳 (double submit, second tab) lead to the proposal with a friendly note, not an error?"""
    auth.login(offer["sme"])
    client.get("/lang/en")
    url = f"/proposals/{offer['proposal']}/accept"
    client.post(url, follow_redirects=True)
    again = client.post(url)
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/proposals/{offer['proposal']}")
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert flashes(page) == [("info", "This proposal has already been accepted.")]  # no error beside it
    with app.app_context():
        assert db.session.get(Proposal, offer["proposal"]).state == "accepted"


def test_opening_the_acceptance_again_says_it_is_accepted(client, auth, offer):  # noqa: F811
    """Does the confirmation page, opened from a stale tab after accepting, say the proposal is accepted?"""
    auth.login(offer["sme"])
    client.get("/lang/en")
    client.post(f"/proposals/{offer['proposal']}/accept", follow_redirects=True)
    again = client.get(f"/proposals/{offer['proposal']}/accept/confirm", follow_redirects=True)
    assert ("info", "This proposal has already been accepted.") in flashes(again.get_data(as_text=True))


def test_recording_a_payment_from_a_second_tab_shows_the_receipt(app, client, auth, deal):  # noqa: F811
    """Does a payment confirmation sent from a second tab (its own one-time key) lead to the receipt with a note,
    instead of the form with a process error?"""
    auth.login(deal["vendor_email"])
    client.get("/lang/en")
    first_tab = client.get(f"/orders/{deal['order']}/pay").get_data(as_text=True)
    second_key = re.search(r'name="idempotency_key" type="hidden" value="(\w+)"', first_tab).group(1)
    client.get(pay(client, deal["order"]).headers["Location"])
    amount = f"{deal['payable'] // 100}.{deal['payable'] % 100:02d}"
    again = pay(client, deal["order"], amount=amount, key=second_key + "x")
    assert again.status_code == 302 and again.headers["Location"] == f"/orders/{deal['order']}/receipt"
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert flashes(page) == [("info", "This order's payment is recorded already; here is its receipt.")]


@pytest.mark.parametrize(("process", "action", "state"), [
    (PROPOSAL, "accept", "accepted"), (ORDER, "pay", "paid"), (REDEMPTION, "redeem", "redeemed"),
    (ORDER, "fulfil", "fulfilled")])
def test_a_move_made_already_is_refused_as_already_done(app, process, action, state):
    """Is a move whose record already sits where it leads refused as done (a kind note), while a move the state
    simply does not allow stays an illegal transition?"""
    with app.test_request_context("/?lang=en"):
        record = SimpleNamespace(**{process.state_attr: state})
        with pytest.raises(AlreadyDone) as done:
            process.check_state(record, process.transition(action))
        assert str(done.value) == process.done_message(record, action) and "already" in str(done.value)
        with pytest.raises(IllegalTransition) as illegal:
            process.check_state(SimpleNamespace(**{process.state_attr: "cancelled"}), process.transition(action))
        assert not isinstance(illegal.value, AlreadyDone)
