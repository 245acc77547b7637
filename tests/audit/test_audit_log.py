"""The audit log: what record_audit writes, that rows are append-only, and the admin page's filters."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from marketplace.audit.models import AuditEvent
from marketplace.audit.services import audit_events, record_audit
from marketplace.extensions import db
from marketplace.resonance.models import AppendOnlyViolation
from tests.factories import make_user


def test_record_audit_only_adds_and_the_caller_commits(in_app):
    """Does an event exist only once the caller commits, with actor, organisation, target and detail?"""
    user = make_user("vendor")
    record_audit("review.hidden", actor=user, target=("review", 7), detail={"reason": "spam"}, address="10.0.0.9")
    db.session.rollback()
    assert db.session.scalars(select(AuditEvent)).all() == []
    event = record_audit("account.signed_in", actor=user, target=user, address="10.0.0.9")
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.actor_user_id, stored.actor_org_id) == (user.id, user.organisation_id)
    assert (stored.target_kind, stored.target_id, stored.address) == ("user", str(user.id), "10.0.0.9")
    assert stored.created_at is not None and stored.detail == {}


def test_record_audit_refuses_malformed_action_codes(in_app):
    """Is an action that is not an 'area.verb' code refused before it reaches the log?"""
    for bad in ("", "login", "Account.Signed_In", "account signed in"):
        with pytest.raises(ValueError):
            record_audit(bad)


def test_detail_is_kept_small(in_app):
    """Are long detail values cut so one event cannot bloat the log?"""
    event = record_audit("account.sign_in_failed", detail={"email": "x" * 2000, "n": 3})
    db.session.commit()
    assert len(event.detail["email"]) == 500 and event.detail["n"] == 3


def test_audit_rows_refuse_update_and_delete_in_the_orm(in_app):
    """Does the ORM refuse to change or delete an audit event?"""
    event = record_audit("account.signed_out")
    db.session.commit()
    event.action = "account.signed_in"
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET action = 'account.signed_in'",
                                       "DELETE FROM audit_event"])
def test_the_database_refuses_update_and_delete(in_app, statement):
    """Does the database itself (triggers) refuse UPDATE and DELETE of audit rows?"""
    record_audit("account.signed_out")
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text(statement))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action)) == "account.signed_out"


def test_selector_filters_by_action_actor_target_and_dates(in_app, frozen_clock):
    """Does audit_events narrow by action, actor e-mail (any case), target and an inclusive date range?"""
    alice = make_user("enterprise", email="alice@example.cn")
    bob = make_user("vendor", email="bob@example.cn")
    now = frozen_clock
    record_audit("account.signed_in", actor=alice, target=alice)
    record_audit("review.hidden", actor=bob, target=("review", 5))
    old = record_audit("account.signed_out", actor=alice)
    old.created_at = now - timedelta(days=10)
    db.session.commit()

    def actions(**filters):
        return [e.action for e in db.session.scalars(audit_events(**filters))]

    assert actions() == ["review.hidden", "account.signed_in", "account.signed_out"]
    assert actions(action="review.hidden") == ["review.hidden"]
    assert actions(actor_email="ALICE@example.cn") == ["account.signed_in", "account.signed_out"]
    assert actions(target_kind="review", target_id=5) == ["review.hidden"]
    assert actions(since=(now - timedelta(days=1)).date()) == ["review.hidden", "account.signed_in"]
    assert actions(until=(now - timedelta(days=5)).date()) == ["account.signed_out"]


def test_only_admins_see_the_audit_page(client, auth):
    """Is /admin/audit refused to everyone but platform admins?"""
    assert client.get("/admin/audit").status_code == 302
    auth.as_role("center")
    assert client.get("/admin/audit").status_code == 403


def test_admin_page_lists_newest_first_filters_and_paginates(app, client, auth):
    """Does the admin page show events newest first, honour the filters and split long logs into pages?"""
    admin = auth.as_role("admin")
    with app.app_context():
        vendor = make_user("vendor", email="seller@example.cn")
        for n in range(14):
            record_audit("review.hidden", actor=vendor, target=("review", n), detail={"reason": f"r{n}"})
        db.session.commit()
    page = client.get("/admin/audit?action=review.hidden").get_data(as_text=True)
    assert "review #13</td>" in page and "review #2</td>" in page and "review #1</td>" not in page
    assert page.index("review #13</td>") < page.index("review #12</td>")
    second = client.get("/admin/audit?action=review.hidden&page=2").get_data(as_text=True)
    assert "review #1</td>" in second and "review #0</td>" in second and "review #2</td>" not in second
    filtered = client.get("/admin/audit?actor=seller@example.cn&target_kind=review&target_id=3").get_data(as_text=True)
    assert "review #3" in filtered and "review #4" not in filtered
    none = client.get(f"/admin/audit?actor=nobody@example.cn&since=2001-01-01&until=2001-01-02&t={admin.user_id}")
    assert none.status_code == 200 and "review #" not in none.get_data(as_text=True)
    assert client.get("/admin/audit?since=not-a-date").status_code == 422


def test_every_audited_move_has_a_readable_label(app):
    """Each process move and each recorded action reads as words on the audit page, not as a code."""
    import re
    from pathlib import Path

    from marketplace.audit.services import action_label
    from marketplace.process import Process

    codes = set()
    for path in Path("marketplace").rglob("*.py"):
        codes |= set(re.findall(r'(?:record_audit\(|audit=)"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    import marketplace.permissions as permissions
    with app.test_request_context():
        permissions.install(app)
        import gc
        for process in [o for o in gc.get_objects() if isinstance(o, Process)]:
            codes |= {t.audit or f"{process.name}.{t.target}" for t in process.transitions if t.target or t.audit}
        unreadable = sorted(c for c in codes if action_label(c) == c)
    assert unreadable == []
