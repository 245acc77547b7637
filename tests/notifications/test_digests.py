"""Are matching needs announced to vendors once, in at most one digest a day, and saved searches only for new results?"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.notifications.digests import (find_need_alerts, save_search, send_digests, send_need_digests,
                                               send_saved_search_digests)
from marketplace.notifications.models import NeedAlert, Notification
from marketplace.notifications.services import set_need_digest
from tests.conftest import NOW
from tests.factories import make_need, make_offering, make_user

pytestmark = pytest.mark.usefixtures("frozen_clock")
TODAY = NOW.date()


def digests(user, kind: str = "need_digest") -> list[Notification]:
    """Return a user's digest notifications."""
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                               Notification.kind == kind)))


@pytest.fixture
def market(in_app):
    """An SME with two new needs and a vendor with a published offering."""
    sme, vendor = make_user("enterprise"), make_user("vendor")
    make_offering(vendor.organisation)
    needs = [make_need(sme.organisation, title=f"需求 {i}") for i in range(2)]
    return sme, vendor, needs


def always(score: float):
    """Return a similarity function that scores every need the same."""
    return lambda need, vendor_id: score


def test_a_matching_need_is_recorded_once_per_vendor(market):
    """Running the search twice records each (vendor, need) pair once."""
    _sme, _vendor, _needs = market
    assert find_need_alerts(TODAY, similarity=always(0.95)) == 2
    assert find_need_alerts(TODAY, similarity=always(0.95)) == 0
    assert db.session.scalar(select(func.count()).select_from(NeedAlert)) == 2


def test_needs_below_the_threshold_are_not_announced(market):
    """A relevance under the floor every match list uses records nothing."""
    assert find_need_alerts(TODAY, similarity=always(0.1)) == 0


def test_at_most_one_digest_a_day_and_each_need_only_once(market):
    """Two needs make one digest; a later need on the same day waits for tomorrow's digest."""
    sme, vendor, _needs = market
    find_need_alerts(TODAY, similarity=always(0.95))
    assert send_need_digests(TODAY) == 1
    db.session.commit()
    make_need(sme.organisation, title="需求 3")
    find_need_alerts(TODAY, similarity=always(0.95))
    assert send_need_digests(TODAY) == 0
    db.session.commit()
    assert [n.params["count"] for n in digests(vendor)] == [2]
    assert send_need_digests(TODAY + timedelta(days=1)) == 1
    db.session.commit()
    assert [n.params["count"] for n in digests(vendor)] == [2, 1]
    assert send_need_digests(TODAY + timedelta(days=2)) == 0


def test_a_vendor_that_opted_out_gets_no_digest(market):
    """With the need digest turned off, nothing is recorded or sent to that vendor."""
    _sme, vendor, _needs = market
    set_need_digest(vendor, False)
    db.session.commit()
    find_need_alerts(TODAY, similarity=always(0.95))
    send_need_digests(TODAY)
    db.session.commit()
    assert digests(vendor) == []


def test_a_saved_search_announces_only_new_results_once(in_app):
    """Results seen at saving time are not news; a new one is announced once, to the saver only."""
    user = make_user("enterprise")
    saved = save_search(user, "视觉检测", {"kind": "offering"}, ["offering:1"])
    db.session.commit()
    assert send_saved_search_digests(TODAY, run=lambda s: {"offering:1"}) == 0
    assert send_saved_search_digests(TODAY, run=lambda s: {"offering:1", "offering:2"}) == 1
    db.session.commit()
    assert send_saved_search_digests(TODAY, run=lambda s: {"offering:1", "offering:2"}) == 0
    notes = digests(user, "saved_search")
    assert len(notes) == 1 and notes[0].params == {"count": 1, "query": "视觉检测"}
    assert sorted(saved.seen) == ["offering:1", "offering:2"]


def test_the_save_search_button_stores_the_query_and_filters(app, client, auth, monkeypatch):
    """Posting from the search page saves q and the filters with the current results as seen."""
    from marketplace.matching import services as matching_services
    from marketplace.notifications.models import SavedSearch

    monkeypatch.setattr(matching_services, "search", lambda q, f, u, k=None: matching_services.Results([]))
    auth.as_role("vendor")
    response = client.post("/notifications/searches?q=窑炉能耗&industry=ceramics_building")
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(SavedSearch))
        assert saved.query == "窑炉能耗" and saved.filters == {"industry": "ceramics_building"}


def test_the_send_digests_command_uses_the_index(app, runner):
    """With the real index, a need like a vendor's offering reaches the vendor in one digest, once."""
    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        make_offering(vendor.organisation, title="抛釉砖表面针孔视觉检测系统", industries=["ceramics_building"],
                      description="抛釉砖生产线针孔、色差自动检测，替代人工目检。")
        make_need(sme.organisation)
        vendor_id = vendor.id
    assert "need_digests 1" in runner.invoke(args=["send-digests"]).output
    assert "need_digests 0" in runner.invoke(args=["send-digests"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == vendor_id, Notification.kind == "need_digest")) == 1


def test_send_digests_reports_all_counts(in_app, monkeypatch):
    """send_digests returns alert, need-digest and saved-search counts."""
    from marketplace.notifications import digests as module

    monkeypatch.setattr(module, "find_need_alerts", lambda today: 0)
    assert send_digests(TODAY) == {"alerts": 0, "need_digests": 0, "saved_search_digests": 0}
