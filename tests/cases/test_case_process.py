"""Who may move a case or a directory entry from which state: the two processes and their permission rules."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.cases.process import CASE, DIRECTORY
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.permissions import can
from marketplace.states import IllegalTransition
from tests.factories import make_case, make_profile, make_user


@pytest.fixture
def people(in_app):
    """The curating center, another center, a vendor, an SME and an admin."""
    return {"curator": make_user("center"), "other_center": make_user("center"), "vendor": make_user("vendor"),
            "enterprise": make_user("enterprise"), "admin": make_user("admin")}


def names(moves) -> list[str]:
    """Return the names of the available transitions."""
    return [t.name for t in moves]


def test_curator_moves_along_the_table(people):
    """Each state offers the curator exactly its moves, and firing them walks draft → published → featured → draft."""
    curator = people["curator"]
    case = make_case(curator.organisation, state="draft")
    expected = {"draft": ["publish"], "published": ["feature", "unpublish"], "featured": ["unfeature", "unpublish"]}
    for action, state in (("publish", "published"), ("feature", "featured"), ("unfeature", "published"),
                          ("feature", "featured"), ("unpublish", "draft")):
        assert names(CASE.available(case, curator)) == expected[case.state]
        CASE.fire(case.id, action, curator)
        assert case.state == state


def test_a_case_without_results_offers_no_publish(people):
    """The publish button is not offered, and firing it is refused, until the case has a measured result."""
    case = make_case(people["curator"].organisation, state="draft", results=[])
    assert CASE.available(case, people["curator"]) == []
    with pytest.raises(IllegalTransition):
        CASE.fire(case.id, "publish", people["curator"])


@pytest.mark.parametrize("who", ["other_center", "vendor", "enterprise"])
def test_nobody_else_curates(people, who):
    """Another center, a vendor and an SME have no moves and are refused every one."""
    case = make_case(people["curator"].organisation)
    assert CASE.available(case, people[who]) == []
    for action in ("feature", "unpublish", "moderate"):
        with pytest.raises(PermissionDenied):
            CASE.fire(case.id, action, people[who], reason="理由")
    assert case.state == "published"


def test_admin_only_takes_public_cases_down_with_a_reason(people):
    """An admin may not publish or feature; it takes a public case down with a reason, audited."""
    admin = people["admin"]
    draft = make_case(people["curator"].organisation, state="draft")
    featured = make_case(people["curator"].organisation, state="featured")
    assert CASE.available(draft, admin) == [] and names(CASE.available(featured, admin)) == ["moderate"]
    with pytest.raises(PermissionDenied):
        CASE.fire(draft.id, "publish", admin)
    with pytest.raises(PermissionDenied):
        CASE.fire(featured.id, "unfeature", admin)
    with pytest.raises(IllegalTransition):
        CASE.fire(featured.id, "moderate", admin, reason="")
    CASE.fire(featured.id, "moderate", admin, reason="数据无法核实")
    db.session.commit()
    assert featured.state == "draft"
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.taken_down"))
    assert (audit.actor_user_id, audit.detail["reason"]) == (admin.id, "数据无法核实")


def test_who_may_read_and_curate(people):
    """Drafts are read by their center and admins; only centers curate, each its own cases."""
    draft = make_case(people["curator"].organisation, state="draft")
    assert [w for w in people if can(people[w], "case.view", draft)] == ["curator", "admin"]
    assert [w for w in people if can(people[w], "case.curate", draft)] == ["curator"]
    assert [w for w in people if can(people[w], "case.curate")] == ["curator", "other_center"]
    assert can(None, "case.view", make_case(people["curator"].organisation))


def test_directory_moves_for_centers_only(people):
    """Any center adds a published provider, then renews or removes it; vendors and admins have no moves."""
    profile = make_profile(people["vendor"].organisation)
    review = date.today() + timedelta(days=100)
    assert names(DIRECTORY.available(profile, people["other_center"])) == ["add"]
    for who in ("vendor", "enterprise", "admin"):
        assert DIRECTORY.available(profile, people[who]) == []
        with pytest.raises(PermissionDenied):
            DIRECTORY.fire(profile.id, "add", people[who], reason="理由", review_on=review)
    DIRECTORY.fire(profile.id, "add", people["curator"], reason="案例扎实", review_on=review)
    assert profile.quality_listed and names(DIRECTORY.available(profile, people["curator"])) == ["renew", "remove"]
    DIRECTORY.fire(profile.id, "remove", people["other_center"], reason="投诉")
    db.session.commit()
    assert not profile.quality_listed
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("directory.%"))
                                      .order_by(AuditEvent.id)))
    assert actions == ["directory.added", "directory.removed"]


def test_unpublished_profiles_cannot_be_added(people):
    """A draft provider profile offers no add and is refused with a message on the provider field."""
    from marketplace.errors import DomainError

    profile = make_profile(people["vendor"].organisation, state="draft")
    assert DIRECTORY.available(profile, people["curator"]) == []
    with pytest.raises(DomainError) as refused:
        DIRECTORY.fire(profile.id, "add", people["curator"], reason="理由",
                       review_on=date.today() + timedelta(days=10))
    assert refused.value.field == "provider_id"
