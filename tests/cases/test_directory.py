"""Does the quality provider directory keep every decision, and does the badge follow the latest one?"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.cases.directory import decide, directory_entries
from marketplace.cases.models import DirectoryDecision
from marketplace.catalog.models import ProviderProfile
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.states import IllegalTransition
from tests.factories import make_case, make_profile, make_user

NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()


@pytest.fixture
def provider(app):
    """A vendor with a published provider profile; returns the profile id."""
    with app.app_context():
        return make_profile(make_user("vendor").organisation).id


def test_center_adds_a_provider_and_the_badge_shows_everywhere(app, client, auth, provider):
    """Adding with a reason and review date lists the provider, with the badge on profile, list and directory."""
    auth.as_role("center")
    response = client.post("/cases/directory/add", data={"provider_id": str(provider), "reason": "三个已发布案例，客户回访良好",
                                                         "review_on": NEXT_YEAR})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(ProviderProfile, provider).quality_listed is True
    directory = client.get("/cases/directory").get_data(as_text=True)
    assert "三个已发布案例，客户回访良好" in directory and NEXT_YEAR in directory
    for url in (f"/providers/{provider}", "/providers"):
        assert "badge-quality" in client.get(url).get_data(as_text=True), url


def test_removal_clears_the_badge_and_history_keeps_both_decisions(app, client, auth, provider):
    """Removing with a reason unlists the provider; the history shows the addition and the removal."""
    auth.as_role("center")
    client.post("/cases/directory/add", data={"provider_id": str(provider), "reason": "入库理由", "review_on": NEXT_YEAR})
    response = client.post(f"/cases/directory/{provider}/remove", data={"reason": "客户投诉交付延期"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(ProviderProfile, provider).quality_listed is False
        actions = [d.action for d in db.session.scalars(select(DirectoryDecision).order_by(DirectoryDecision.id))]
        assert actions == ["add", "remove"]
    history = client.get(f"/cases/directory/{provider}/history").get_data(as_text=True)
    assert "入库理由" in history and "客户投诉交付延期" in history
    assert "badge-quality" not in client.get(f"/providers/{provider}").get_data(as_text=True)


def test_listing_flag_reflects_the_latest_decision_and_moves_by_the_table(in_app):
    """add → renew → remove → add each set the flag; adding a listed or removing an unlisted provider is refused."""
    center = make_user("center")
    profile = make_profile(make_user("vendor").organisation)
    review = date.today() + timedelta(days=200)
    with pytest.raises(IllegalTransition):
        decide(profile, "remove", "不在目录中", center)
    for action, listed in (("add", True), ("renew", True), ("remove", False), ("add", True)):
        decide(profile, action, f"{action} 理由", center, review_on=review)
        assert profile.quality_listed is listed, action
    with pytest.raises(IllegalTransition):
        decide(profile, "add", "重复入库", center, review_on=review)
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(DirectoryDecision)) == 4


def test_decisions_are_append_only(in_app):
    """A stored decision can be neither edited nor deleted."""
    center = make_user("center")
    decision = decide(make_profile(make_user("vendor").organisation), "add", "理由", center,
                      review_on=date.today() + timedelta(days=30))
    db.session.commit()
    decision.reason = "改写历史"
    with pytest.raises(ValueError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(DirectoryDecision, decision.id))
    with pytest.raises(ValueError):
        db.session.flush()
    db.session.rollback()


def test_adding_needs_a_reason_and_a_future_review_date(app, client, auth, provider):
    """Without a reason or with a past review date the form returns 422 with messages and nothing is listed."""
    auth.as_role("center")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = client.post("/cases/directory/add",
                           data={"provider_id": str(provider), "reason": "", "review_on": yesterday})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="reason-err"' in page and 'id="review_on-err"' in page
    with app.app_context():
        assert db.session.get(ProviderProfile, provider).quality_listed is False
    with app.app_context():
        center = make_user("center")
        with pytest.raises(DomainError):
            decide(db.session.get(ProviderProfile, provider), "add", "理由", center)


def test_directory_evidence_equals_what_the_database_holds(in_app):
    """Each entry counts the provider's public cases (not drafts), zero completed orders, and no rating yet."""
    center = make_user("center")
    vendor = make_user("vendor").organisation
    profile = make_profile(vendor)
    make_case(center.organisation, vendor=vendor)
    make_case(center.organisation, vendor=vendor, state="featured")
    make_case(center.organisation, vendor=vendor, state="draft")
    decide(profile, "add", "两个案例", center, review_on=date.today() + timedelta(days=90))
    db.session.commit()
    [entry] = directory_entries()
    assert (entry.profile.id, entry.published_cases, entry.completed_orders, entry.average_rating) == \
        (profile.id, 2, 0, None)
    assert entry.decision.reason == "两个案例"
