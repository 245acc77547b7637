"""Who may review a deal (once), reply (once) and moderate reviews — admins moderate, they never review?"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from marketplace.extensions import db
from marketplace.permissions import can
from marketplace.reviews.services import moderate_review, review_panel, write_review
from tests.factories import make_need, make_offering, make_proposal, make_user

VISITOR = SimpleNamespace(is_authenticated=False)


@pytest.fixture
def people(in_app):
    """The SME and vendor of a contracted deal, another vendor, another SME, a center, an admin, a visitor."""
    sme, vendor = make_user("enterprise"), make_user("vendor")
    offering = make_offering(vendor.organisation)
    proposal = make_proposal(make_need(sme.organisation, status="contracted"), vendor, [offering], state="contracted")
    return proposal, {"sme": sme, "vendor": vendor, "other_vendor": make_user("vendor"),
                      "other_sme": make_user("enterprise"), "center": make_user("center"),
                      "admin": make_user("admin"), "visitor": VISITOR}


def allowed(people, name, record=None) -> set[str]:
    """Return who of `people` holds a permission (on a record)."""
    return {who for who, user in people.items() if can(user, name, record)}


def test_only_the_sme_of_a_contracted_deal_reviews_it_once(people):
    """`proposal.review` is the SME's, until its review exists; before the contract nobody's."""
    proposal, who = people
    assert allowed(who, "proposal.review", proposal) == {"sme"}
    write_review("proposal", proposal.id, who["sme"], 5, "交付准时")
    db.session.commit()
    assert allowed(who, "proposal.review", proposal) == set()
    other = make_proposal(make_need(who["sme"].organisation), who["vendor"], state="accepted")
    assert allowed(who, "proposal.review", other) == set()


def test_the_vendor_replies_once_and_moderators_are_centers_and_admins(people):
    """Replying is the reviewed vendor's until it replied; centers and admins moderate."""
    proposal, who = people
    review = write_review("proposal", proposal.id, who["sme"], 2, "响应慢")
    assert allowed(who, "review.reply", review) == {"vendor"}
    review.reply = "已改进"
    assert allowed(who, "review.reply", review) == set()
    assert allowed(who, "review.moderate", review) == {"center", "admin"}


def test_an_admin_hides_a_review_and_the_panel_shows_it_to_moderators_only(people):
    """An admin's decision is kept; the hidden review stays in the moderators' panel and leaves everyone else's."""
    proposal, who = people
    review = write_review("proposal", proposal.id, who["sme"], 1, "骂人的话")
    moderate_review(review, who["admin"], "hide", "含人身攻击")
    db.session.commit()
    vendor_id = who["vendor"].organisation_id
    assert [r.id for r in review_panel(who["center"], vendor_id=vendor_id).items] == [review.id]
    assert review_panel(who["center"], vendor_id=vendor_id).may_moderate
    assert review_panel(who["visitor"], vendor_id=vendor_id).items == []
    assert review_panel(who["visitor"], vendor_id=vendor_id).summary is None
    assert not review_panel(who["center"], offering_id=review.offering_id).may_moderate
