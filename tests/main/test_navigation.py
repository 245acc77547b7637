"""Do the navigation and the dashboard follow the permission rules, and are unread counts counted once per request?"""
from __future__ import annotations

import pytest
from flask import render_template_string
from sqlalchemy import event

from marketplace.extensions import db

CURATE, FULL_MAP, PUBLIC_MAP, AUDIT = 'href="/cases/manage"', 'href="/analytics/"', 'href="/analytics/map"', \
    'href="/admin/audit'


@pytest.mark.parametrize("role, shown, hidden", [
    (None, [PUBLIC_MAP], [CURATE, FULL_MAP, AUDIT]),
    ("enterprise", [PUBLIC_MAP], [CURATE, FULL_MAP, AUDIT]),
    ("vendor", [PUBLIC_MAP], [CURATE, FULL_MAP, AUDIT]),
    ("center", [CURATE, FULL_MAP], [PUBLIC_MAP, AUDIT]),
    ("admin", [FULL_MAP, AUDIT], [CURATE, PUBLIC_MAP]),
])
def test_navigation_links_follow_the_permission_rules(client, auth, role, shown, hidden):
    """Case collection for curators, the full map for centers and admins, the audit log for admins only."""
    if role:
        auth.as_role(role)
    nav = client.get("/").get_data(as_text=True).split('<main class="wrap"')[0]
    assert all(link in nav for link in shown), role
    assert not any(link in nav for link in hidden), role


@pytest.mark.parametrize("role, sections", [
    ("enterprise", {"My needs", "My matchmaking events and meetings"}),
    ("vendor", {"My offerings", "My models", "My matchmaking events and meetings"}),
    ("center", {"Cases curated by us"}),
    ("admin", {"Accounts"}),
])
def test_dashboard_sections_follow_the_permission_rules(client, auth, role, sections):
    """Each user gets the sections of the work their permissions allow, and no others (admins moderate only)."""
    everything = {"My needs", "My offerings", "My models", "Cases curated by us", "My matchmaking events and meetings",
                  ">Accounts<"}
    auth.as_role(role)
    page = client.get("/dashboard?lang=en").get_data(as_text=True)
    wanted = {">Accounts<" if s == "Accounts" else s for s in sections}
    assert all(s in page for s in wanted), role
    assert not any(s in page for s in everything - wanted), role


@pytest.fixture
def unread_queries(app):
    """Count the statements that read notifications or messages."""
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        lowered = statement.lower()
        if "from notification" in lowered or "from message" in lowered:
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_unread_counts_are_counted_once_per_request_and_only_when_shown(app, client, auth, unread_queries):
    """A page reads the unread counts with one query per figure, however often it shows them; fragments with none."""
    who = auth.as_role("enterprise")
    client.get("/")
    assert len(unread_queries) == 2
    unread_queries.clear()
    client.get("/search", headers={"HX-Request": "true", "HX-Target": "results"})
    assert unread_queries == []
    with app.test_request_context():
        from flask_login import login_user

        from marketplace.accounts.models import User

        login_user(db.session.get(User, who.user_id))
        text = render_template_string("{{ nav_counts.notifications }}{{ nav_counts.messages }}"
                                      "{{ nav_counts.notifications }}{{ nav_counts.messages }}")
    assert text == "0000" and len(unread_queries) == 2


def test_unread_counts_show_in_the_navigation(app, client, auth):
    """An unread notification shows as a count on the bell."""
    from marketplace.notifications.services import notify_users

    who = auth.as_role("enterprise")
    with app.app_context():
        from marketplace.accounts.models import User

        notify_users([db.session.get(User, who.user_id)], "need_digest", {"count": 1}, "/needs/", "nav-test")
        db.session.commit()
    assert 'class="count count-notifications">1<' in client.get("/").get_data(as_text=True)


def test_visitors_render_pages_without_counting_anything(client, unread_queries):
    """A visitor's page asks no unread counts of the database."""
    client.get("/")
    assert unread_queries == []



def test_badges_stop_counting_past_99(app, client, auth):
    """With 120 unread notifications and messages the badges read "99+", and neither count reads past row 100."""
    from marketplace.accounts.models import User
    from marketplace.notifications.models import Notification
    from marketplace.proposals.models import Message
    from marketplace.proposals.services import unread_messages
    from tests.factories import make_need, make_proposal, make_user

    who = auth.as_role("enterprise")
    with app.app_context():
        sme = db.session.get(User, who.user_id)
        vendor = make_user("vendor")
        proposal = make_proposal(make_need(sme.organisation), vendor)
        for i in range(120):
            db.session.add(Notification(user_id=sme.id, kind="need_digest", params={"count": 1}, link="/needs/",
                                        dedupe_key=f"many:{i}"))
            db.session.add(Message(proposal=proposal, sender_org_id=vendor.organisation_id, sender_user_id=vendor.id,
                                   recipient_org_id=sme.organisation_id, body=f"消息 {i}"))
        db.session.commit()
        assert unread_messages(sme) == 120 and unread_messages(sme, cap=99) == 100
    page = client.get("/").get_data(as_text=True)
    assert 'class="count count-notifications">99+<' in page
    assert 'class="count count-messages">99+<' in page


def test_the_unread_message_count_reads_the_message_table_alone(app, client, auth, unread_queries):
    """The messages badge is one index range of messages to the user's organisation: no join to proposals or needs."""
    auth.as_role("vendor")
    client.get("/")
    statement = next(s for s in unread_queries if "from message" in s.lower())
    assert "proposal" not in statement.lower().split("from message", 1)[1]
    assert "need" not in statement.lower()
