"""Is there one answer to "which needs are live, visible, stale", and does the stale query agree with the rule?"""
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.needs.selectors import is_stale, live_needs, needs_for_leads, visible_to
from tests.factories import make_need, make_proposal, make_user

TODAY = date(2026, 11, 30)


def ids(stmt) -> set[int]:
    """Return the ids a select of needs finds."""
    return set(db.session.scalars(stmt.with_only_columns(Need.id)))


def test_live_needs_are_open_or_in_talks(in_app):
    """Closed and contracted needs are not live."""
    sme = make_user("enterprise").organisation
    made = {status: make_need(sme, status=status).id for status in ("open", "in_talks", "contracted", "closed")}
    assert ids(live_needs()) == {made["open"], made["in_talks"]}


def test_visitors_see_only_public_needs(in_app):
    """A registered-only need is hidden from visitors and shown to signed-in users."""
    sme = make_user("enterprise").organisation
    public = make_need(sme).id
    private = make_need(sme, visibility="registered").id

    class Visitor:
        is_authenticated = False

    assert ids(visible_to(live_needs(), Visitor())) == {public}
    assert ids(visible_to(live_needs(), make_user("vendor"))) == {public, private}


def test_stale_needs_leave_leads_after_the_grace_period_and_the_query_agrees_with_the_rule(in_app):
    """Deadline long past without activity: stale and out of leads; with a proposal since the deadline: kept."""
    sme = make_user("enterprise").organisation
    vendor = make_user("vendor")
    quiet = make_need(sme, deadline=TODAY - timedelta(days=30))
    busy = make_need(sme, deadline=TODAY - timedelta(days=30))
    recent = make_need(sme, deadline=TODAY - timedelta(days=3))
    proposal = make_proposal(busy, vendor)
    proposal.updated_at = datetime.combine(TODAY - timedelta(days=20), datetime.min.time(), tzinfo=timezone.utc)
    db.session.commit()
    assert [is_stale(n, TODAY) for n in (quiet, busy, recent)] == [True, False, True]
    assert ids(needs_for_leads(TODAY, 14)) == {busy.id, recent.id}
    assert ids(select(Need).where(Need.id.in_(ids(needs_for_leads(TODAY, 0))))) == {busy.id}
