"""Who may review what and when, once; may the vendor reply once; can a center hide abuse with a reason?"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.cases.directory import average_rating_by_vendor
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.reviews.models import Review
from marketplace.reviews.services import moderate_review, offering_averages, reply_to_review, write_review
from tests.factories import make_need, make_offering, make_profile, make_proposal, make_user


@pytest.fixture
def deal(in_app):
    """A contracted proposal with an offering attached, between a new SME and vendor."""
    sme, vendor = make_user("enterprise"), make_user("vendor")
    offering = make_offering(vendor.organisation)
    proposal = make_proposal(make_need(sme.organisation, status="contracted"), vendor, [offering], state="contracted")
    return sme, vendor, offering, proposal


def test_the_sme_reviews_a_contracted_proposal_once(deal):
    """The review carries vendor and offering; a second review of the same deal is refused."""
    sme, vendor, offering, proposal = deal
    review = write_review("proposal", proposal.id, sme, 5, "交付准时，效果好。")
    db.session.commit()
    assert (review.vendor_id, review.offering_id) == (vendor.organisation_id, offering.id)
    with pytest.raises(DomainError):
        write_review("proposal", proposal.id, sme, 1, "再评一次")


@pytest.mark.parametrize("state", ["submitted", "shortlisted", "accepted", "declined", "withdrawn"])
def test_a_proposal_before_contract_cannot_be_reviewed(deal, state):
    """Only contracted proposals are reviewable."""
    sme, _vendor, _offering, proposal = deal
    proposal.state = state
    with pytest.raises(DomainError):
        write_review("proposal", proposal.id, sme, 4, "还没签约")


def test_only_a_delivered_order_can_be_reviewed_by_its_buyer(deal):
    """A paid order is not yet reviewable; a fulfilled one is, by the buyer, once."""
    from marketplace.orders.services import mark_fulfilled, mark_paid, place_order

    sme, vendor, offering, _proposal = deal
    order, _ = place_order(sme, offering, 1, "r-1")
    mark_paid(order.id, vendor)
    with pytest.raises(DomainError):
        write_review("order", order.id, sme, 4, "还没交付")
    mark_fulfilled(order.id, vendor)
    write_review("order", order.id, sme, 4, "交付完成")
    with pytest.raises(DomainError):
        write_review("order", order.id, sme, 4, "再评一次")


@pytest.mark.parametrize("role", ["vendor", "center", "admin", "enterprise"])
def test_no_one_but_the_sme_of_the_deal_may_review_it(deal, role):
    """The vendor, a center, an admin and another SME are refused."""
    _sme, vendor, _offering, proposal = deal
    user = vendor if role == "vendor" else make_user(role)
    with pytest.raises(PermissionDenied):
        write_review("proposal", proposal.id, user, 5, "自评")


def test_the_rating_must_be_one_to_five(deal):
    """A rating of 0 or 6 is refused on the rating field."""
    sme, _vendor, _offering, proposal = deal
    for rating in (0, 6):
        with pytest.raises(DomainError) as exc:
            write_review("proposal", proposal.id, sme, rating, "文字")
        assert exc.value.field == "rating"


def test_the_vendor_replies_once_and_only_the_vendor(deal):
    """The reviewed vendor replies once; a second reply and another vendor's reply are refused."""
    sme, vendor, _offering, proposal = deal
    review = write_review("proposal", proposal.id, sme, 3, "沟通一般")
    with pytest.raises(PermissionDenied):
        reply_to_review(review, make_user("vendor"), "不是我")
    reply_to_review(review, vendor, "感谢反馈，已改进响应流程。")
    with pytest.raises(DomainError):
        reply_to_review(review, vendor, "再回复")


def test_a_center_hides_a_review_with_a_reason_kept_in_history(deal):
    """Hiding needs a center and a reason; the decision is kept; hidden reviews leave the averages."""
    sme, vendor, offering, proposal = deal
    review = write_review("proposal", proposal.id, sme, 1, "骂人的话")
    center = make_user("center")
    with pytest.raises(PermissionDenied):
        moderate_review(review, vendor, "hide", "我不喜欢")
    with pytest.raises(DomainError):
        moderate_review(review, center, "hide", " ")
    assert average_rating_by_vendor([vendor.organisation_id]) == {vendor.organisation_id: 1.0}
    moderate_review(review, center, "hide", "含人身攻击")
    db.session.commit()
    assert review.hidden and [m.reason for m in review.moderations] == ["含人身攻击"]
    assert average_rating_by_vendor([vendor.organisation_id]) == {}
    assert offering_averages([offering.id]) == {}
    moderate_review(review, center, "show", "复核后恢复")
    assert [m.action for m in review.moderations] == ["hide", "show"]


def test_averages_count_shown_reviews_per_vendor_and_offering(in_app):
    """Two reviews of 4 and 5 average 4.5 for the vendor and the offering."""
    sme, vendor = make_user("enterprise"), make_user("vendor")
    offering = make_offering(vendor.organisation)
    for rating in (4, 5):
        proposal = make_proposal(make_need(sme.organisation, status="contracted"), vendor, [offering],
                                 state="contracted")
        write_review("proposal", proposal.id, sme, rating, "好")
    db.session.commit()
    assert average_rating_by_vendor([vendor.organisation_id]) == {vendor.organisation_id: 4.5}
    assert offering_averages([offering.id]) == {offering.id: (4.5, 2)}


def test_the_review_form_keeps_input_and_the_profile_shows_the_average(app, client, auth):
    """An empty text re-renders with 422 and the rating kept; a posted review shows on the provider page."""
    with app.app_context():
        vendor = make_user("vendor")
        profile_id = make_profile(vendor.organisation).id
        sme = make_user("enterprise")
        proposal_id = make_proposal(make_need(sme.organisation, status="contracted"), vendor,
                                    state="contracted").id
        sme_email = sme.email
    auth.login(sme_email)
    response = client.post(f"/reviews/new/proposal/{proposal_id}", data={"rating": "4", "text": ""})
    assert response.status_code == 422 and b'id="text-err"' in response.data
    assert b'<option selected value="4">' in response.data or b'value="4" selected' in response.data
    response = client.post(f"/reviews/new/proposal/{proposal_id}", data={"rating": "4", "text": "交付顺利"})
    assert response.status_code == 302
    page = client.get(f"/providers/{profile_id}").get_data(as_text=True)
    assert "交付顺利" in page and "★ 4.0" in page
    with app.app_context():
        assert db.session.scalar(select(Review.rating)) == 4
