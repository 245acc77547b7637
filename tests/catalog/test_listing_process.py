"""Who may move a listing from which state: the listing process and its permission rules, admins included."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.catalog.models import Offering
from marketplace.catalog.process import LISTING, process_of
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.permissions import can
from marketplace.states import IllegalTransition
from tests.factories import make_model, make_offering, make_profile, make_user


@pytest.fixture
def people(in_app):
    """The owning vendor, a second member of it, another vendor, an SME, a center and an admin."""
    owner = make_user("vendor")
    colleague = make_user("vendor", commit=False)
    colleague.organisation = owner.organisation
    db.session.commit()
    return {"owner": owner, "colleague": colleague, "other_vendor": make_user("vendor"),
            "enterprise": make_user("enterprise"), "center": make_user("center"), "admin": make_user("admin")}


def names(moves) -> list[str]:
    """Return the names of the available transitions."""
    return [t.name for t in moves]


@pytest.mark.parametrize("make", [make_offering, make_model, make_profile])
def test_owner_moves_draft_to_published_to_delisted_and_back(people, make):
    """The owner publishes a draft, delists it and republishes it; each step offers exactly the next move."""
    owner = people["owner"]
    listing = make(owner.organisation, state="draft")
    process = process_of(listing)
    for expected_moves, action, state in ((["publish"], "publish", "published"), (["delist"], "delist", "delisted"),
                                          (["publish"], "publish", "published")):
        assert names(process.available(listing, owner)) == expected_moves
        process.fire(listing.id, action, owner)
        assert listing.state == state
    assert names(process.available(listing, people["colleague"])) == ["delist"]


def test_owner_cannot_delist_a_draft_or_publish_twice(people):
    """Moves the state does not allow are refused with a message."""
    offering = make_offering(people["owner"].organisation, state="draft")
    with pytest.raises(IllegalTransition):
        LISTING["offering"].fire(offering.id, "delist", people["owner"])
    LISTING["offering"].fire(offering.id, "publish", people["owner"])
    with pytest.raises(IllegalTransition):
        LISTING["offering"].fire(offering.id, "publish", people["owner"])


@pytest.mark.parametrize("who", ["other_vendor", "enterprise", "center", "admin"])
def test_nobody_but_the_owner_publishes_or_delists(people, who):
    """Another organisation's members, of any kind, and admins may neither publish nor delist."""
    draft = make_offering(people["owner"].organisation, state="draft")
    live = make_offering(people["owner"].organisation)
    with pytest.raises(PermissionDenied):
        LISTING["offering"].fire(draft.id, "publish", people[who])
    with pytest.raises(PermissionDenied):
        LISTING["offering"].fire(live.id, "delist", people[who])
    assert (draft.state, live.state) == ("draft", "published")


def test_admin_takes_a_listing_down_with_a_reason_and_it_is_audited(people):
    """An admin's only move is moderation: it needs a reason, delists, and is audited with the reason."""
    admin = people["admin"]
    offering = make_offering(people["owner"].organisation)
    assert names(LISTING["offering"].available(offering, admin)) == ["moderate"]
    with pytest.raises(IllegalTransition):
        LISTING["offering"].fire(offering.id, "moderate", admin, reason="  ")
    LISTING["offering"].fire(offering.id, "moderate", admin, reason="虚假宣传")
    db.session.commit()
    assert offering.state == "delisted"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "listing.moderated"))
    assert (event.actor_user_id, event.target_id, event.detail["reason"]) == (admin.id, str(offering.id), "虚假宣传")
    assert LISTING["offering"].available(offering, admin) == []


@pytest.mark.parametrize("who", ["owner", "other_vendor", "enterprise", "other_city_center"])
def test_only_moderators_moderate(people, who):
    """Owners delist their own listings; nobody but a moderator (an admin, the promotion center of the vendor's city)
    takes a listing down as moderation."""
    if who == "other_city_center":
        people = {**people, who: make_user("center", city="zhuhai")}
    offering = make_offering(people["owner"].organisation)
    assert "moderate" not in names(LISTING["offering"].available(offering, people[who]))
    with pytest.raises(PermissionDenied):
        LISTING["offering"].fire(offering.id, "moderate", people[who], reason="理由")


def test_the_center_of_the_vendors_city_takes_a_listing_down(people):
    """The promotion center of the vendor's city moderates its listings, as admins do everywhere."""
    offering = make_offering(people["owner"].organisation)
    assert people["center"].organisation.city == people["owner"].organisation.city
    assert "moderate" in names(LISTING["offering"].available(offering, people["center"]))
    LISTING["offering"].fire(offering.id, "moderate", people["center"], reason="虚假宣传")
    assert offering.state == "delisted"


def test_who_may_create_edit_and_see_listings(people):
    """Vendors create; only the owner edits; drafts are seen by the owner and admins, published ones by all."""
    assert [who for who in people if can(people[who], "listing.create")] == ["owner", "colleague", "other_vendor"]
    draft = make_offering(people["owner"].organisation, state="draft")
    assert [who for who in people if can(people[who], "listing.edit", draft)] == ["owner", "colleague"]
    assert [who for who in people if can(people[who], "listing.view", draft)] == ["owner", "colleague", "admin"]
    assert not can(None, "listing.view", draft)
    assert can(None, "listing.view", make_offering(people["other_vendor"].organisation))


def test_is_published_reads_the_selector(people):
    """The model property and the browse query agree with the selector's public states."""
    draft = make_offering(people["owner"].organisation, state="draft", title="草稿方案")
    live = make_offering(people["owner"].organisation, title="已上架方案")
    from marketplace.catalog.services import browse_listings

    titles = [o.title for o in db.session.scalars(browse_listings("offering", {}))]
    assert (draft.is_published, live.is_published, titles) == (False, True, ["已上架方案"])
    assert isinstance(live, Offering)


def test_the_vendor_is_told_when_an_admin_takes_its_listing_down(people):
    """Taking a listing down notifies every user of the owning vendor, with the reason and a link to the listing."""
    from marketplace.notifications.models import Notification
    from marketplace.notifications.services import render_text

    offering = make_offering(people["owner"].organisation, title="注塑件外观缺陷检测")
    LISTING["offering"].fire(offering.id, "moderate", people["admin"], reason="虚假宣传")
    db.session.commit()
    notes = db.session.scalars(select(Notification).where(Notification.user_id == people["owner"].id)).all()
    assert len(notes) == 1 and notes[0].link.endswith(f"/offerings/{offering.id}")
    assert "注塑件外观缺陷检测" in render_text(notes[0]) and "虚假宣传" in render_text(notes[0])
