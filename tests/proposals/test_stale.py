"""Is a need whose deadline passed without activity flagged to its owner and, after the grace period, kept from leads?"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from marketplace.extensions import db
from marketplace.proposals.services import hidden_stale_need_ids, is_stale
from tests.factories import make_need, make_proposal, make_user


def past(days: int) -> date:
    """Return the date some days ago."""
    return date.today() - timedelta(days=days)


def test_an_open_need_past_its_deadline_without_proposals_is_stale(in_app):
    """Past deadline + no activity = stale; a future deadline, no deadline or a closed need are not."""
    sme = make_user("enterprise")
    assert is_stale(make_need(sme.organisation, deadline=past(1)))
    assert not is_stale(make_need(sme.organisation))
    assert not is_stale(make_need(sme.organisation, deadline=None))
    assert not is_stale(make_need(sme.organisation, deadline=past(1), status="closed"))


def test_proposal_activity_after_the_deadline_keeps_a_need_fresh(in_app):
    """A proposal updated after the deadline means the need is not stale; one from before does not count."""
    sme, vendor = make_user("enterprise"), make_user("vendor")
    need = make_need(sme.organisation, deadline=past(5))
    proposal = make_proposal(need, vendor)
    proposal.updated_at = datetime.now(timezone.utc) - timedelta(days=10)
    db.session.commit()
    assert is_stale(need)
    proposal.plan = "更新的方案：两周完成。"
    proposal.updated_at = datetime.now(timezone.utc)
    db.session.commit()
    assert not is_stale(need)


def test_stale_needs_leave_the_leads_only_after_the_grace_period(in_app):
    """With a 14-day grace, a need stale for 3 days stays in leads, one stale for 20 days is left out."""
    in_app.config["NEED_STALE_GRACE_DAYS"] = 14
    sme = make_user("enterprise")
    recent = make_need(sme.organisation, deadline=past(3))
    old = make_need(sme.organisation, deadline=past(20))
    assert hidden_stale_need_ids() == {old.id}
    assert recent.id not in hidden_stale_need_ids()


def test_the_owner_sees_the_stale_flag_on_the_need_and_dashboard(app, client, auth):
    """The stale badge shows to the owner on the need page and dashboard, not to a vendor."""
    who = auth.as_role("enterprise")
    with app.app_context():
        from marketplace.accounts.models import Organisation

        need_id = make_need(db.session.get(Organisation, who.org_id), deadline=past(2)).id
    assert b"badge-stale" in client.get(f"/needs/{need_id}").data
    assert b"badge-stale" in client.get("/dashboard").data
    auth.logout()
    auth.as_role("vendor")
    assert b"badge-stale" not in client.get(f"/needs/{need_id}").data


def test_the_stale_rule_costs_one_statement_whatever_the_number_of_needs(in_app):
    """Keeping stale needs from leads and flagging them on the dashboard is one query for 3 needs or 30."""
    from marketplace.needs.selectors import stale_need_ids
    from tests.perf_helpers import count_statements

    sme, vendor = make_user("enterprise"), make_user("vendor")

    def add(n: int) -> None:
        """Add stale needs, half of them with a proposal from before their deadline."""
        for i in range(n):
            need = make_need(sme.organisation, deadline=past(20 + i), commit=False)
            if i % 2:
                make_proposal(need, vendor, commit=False, updated_at=datetime.now(timezone.utc) - timedelta(days=60))
        db.session.commit()

    def cost() -> tuple[int, int]:
        """Count the statements of the leads rule and of the dashboard's flags."""
        ids = [n for n in db.session.scalars(db.select(db.text("id")).select_from(db.text("need")))]
        with count_statements(in_app) as hidden:
            hidden_stale_need_ids()
        with count_statements(in_app) as flagged:
            assert len(stale_need_ids(ids)) == len(ids)
        return hidden.count, flagged.count

    add(3)
    few = cost()
    add(27)
    assert len(hidden_stale_need_ids()) == 30
    assert cost() == few == (1, 1)
