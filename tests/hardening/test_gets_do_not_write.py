"""Do GET requests leave the database alone: no log row per visitor search, no read marks from a poll?"""
from __future__ import annotations

from datetime import timedelta

from marketplace.analytics.models import SearchLog, SearchStat
from marketplace.analytics.services import count_search, search_count, weak_searches
from marketplace.extensions import db
from marketplace.proposals.models import Message
from tests.factories import make_need, make_offering, make_proposal, make_user


def test_visitor_searches_are_counted_per_day_and_query_not_logged(app, client):
    """100 visitor searches of 3 queries leave 3 counter rows and no log rows; the figures still add up."""
    with app.app_context():
        make_offering(make_user("vendor").organisation)
    for i in range(30):
        for query in ("注塑件外观缺陷检测", "激光切割", "宠物食品"):
            client.get("/search", query_string={"q": query})
    client.get("/search", query_string={"q": "激光切割"})
    with app.app_context():
        assert db.session.query(SearchLog).count() == 0
        stats = {s.query: s.times for s in db.session.query(SearchStat)}
        assert stats == {"注塑件外观缺陷检测": 30, "激光切割": 31, "宠物食品": 30}
        assert search_count() == 91


def test_signed_in_searches_are_still_logged(app, client, auth):
    """A signed-in user's search leaves one log row with the result count and a similarity."""
    with app.app_context():
        make_offering(make_user("vendor").organisation)
    auth.as_role("enterprise")
    client.get("/search?q=注塑件外观缺陷检测")
    with app.app_context():
        [log] = db.session.scalars(db.select(SearchLog))
        assert log.query == "注塑件外观缺陷检测" and log.result_count == 1 and 0 < log.best_score <= 1
        assert db.session.query(SearchStat).count() == 0


def test_counters_keep_the_weak_search_figures_and_what_people_finished_typing(in_app, frozen_clock):
    """Prefixes one visitor typed within seconds fold into the finished query; weak searches merge logs and counters.

    (`previous` is the visitor's last counted search, which the search page keeps in their session.)
    """
    now = frozen_clock
    typed = count_search("激光", 0, None, moment=now)
    count_search("激光切割", 3, 0.05, moment=now + timedelta(seconds=2), previous=typed)
    count_search("激光切割", 2, 0.03, moment=now + timedelta(minutes=5))
    count_search("SMT AOI", 7, 0.93, moment=now + timedelta(minutes=6))
    db.session.add(SearchLog(query="激光切割", filters="{}", result_count=1, best_score=0.06, created_at=now))
    db.session.commit()
    weak = [(w.query, w.times, w.best_score, w.max_results) for w in weak_searches()]
    assert weak == [("激光切割", 3, 0.06, 3)]


def test_the_distinct_queries_counted_per_day_are_capped(app, frozen_clock):
    """Beyond the day's cap, new queries are counted together and add no rows."""
    app.config["ANALYTICS_SEARCH_QUERIES_PER_DAY"] = 5
    now = frozen_clock
    with app.app_context():
        for i in range(50):
            count_search(f"随机查询{i}", 0, None, moment=now + timedelta(minutes=i))
        assert db.session.query(SearchStat).count() == 6
        assert search_count() == 50


def test_polling_a_thread_does_not_mark_messages_read(app, client, auth):
    """The htmx poll (GET) leaves messages unread; opening the proposal page marks them read."""
    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        proposal = make_proposal(make_need(sme.organisation), vendor)
        db.session.add(Message(proposal=proposal, sender_org_id=vendor.organisation_id,
                               sender_user_id=vendor.id, recipient_org_id=sme.organisation_id, body="请提供样本数据。"))
        db.session.commit()
        proposal_id, sme_email = proposal.id, sme.email
    auth.login(sme_email)
    assert client.get(f"/proposals/{proposal_id}/messages", headers={"HX-Request": "true"}).status_code == 200
    assert client.get(f"/proposals/{proposal_id}/messages").status_code == 200
    with app.app_context():
        assert db.session.query(Message).filter(Message.read_at.is_(None)).count() == 1
    client.get(f"/proposals/{proposal_id}")
    with app.app_context():
        assert db.session.query(Message).filter(Message.read_at.is_(None)).count() == 0
