"""Listing pages: the owner's bar only for the owner, a moderation bar for admins, the order box for buyers."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import Organisation
from marketplace.audit.models import AuditEvent
from marketplace.catalog.models import IndustrialModel, Offering
from marketplace.extensions import db
from tests.factories import make_model, make_offering, make_user


def vendor_listing(app, **fields) -> int:
    """Create an offering of a new vendor and return its id."""
    with app.app_context():
        return make_offering(make_user("vendor").organisation, **fields).id


def test_admin_sees_a_moderation_bar_not_my_listings(app, client, auth):
    """An admin on another organisation's offering is not told it is theirs; they get the take-down form."""
    offering_id = vendor_listing(app)
    auth.as_role("admin")
    page = client.get(f"/offerings/{offering_id}").get_data(as_text=True)
    assert "我的上架内容" not in page and "Your listing" not in page
    assert f"/listings/offering/{offering_id}/moderate" in page and 'name="reason"' in page
    assert f"/offerings/{offering_id}/edit" not in page


def test_admin_sees_the_moderation_bar_in_english_too(app, client, auth):
    """The moderation bar reads in English after switching the language."""
    offering_id = vendor_listing(app)
    auth.as_role("admin")
    page = client.get(f"/offerings/{offering_id}?lang=en").get_data(as_text=True)
    assert "Your listing" not in page and "我的上架内容" not in page
    assert "Moderation" in page and "Take down" in page


def test_owner_sees_my_listing_with_edit_and_delist(app, client, auth):
    """The owner's bar shows the state, the edit link and the one legal move."""
    who = auth.as_role("vendor")
    with app.app_context():
        offering_id = make_offering(db.session.get(Organisation, who.org_id)).id
    page = client.get(f"/offerings/{offering_id}").get_data(as_text=True)
    assert "我的上架内容" in page and f"/offerings/{offering_id}/edit" in page
    assert f"/listings/offering/{offering_id}/delist" in page
    assert f"/listings/offering/{offering_id}/publish" not in page
    assert f"/listings/offering/{offering_id}/moderate" not in page


def test_admin_takes_down_through_the_page_and_the_public_no_longer_sees_it(app, client, auth):
    """Posting the take-down with a reason delists the offering and records the reason in the audit log."""
    offering_id = vendor_listing(app, title="待下架的方案")
    auth.as_role("admin")
    refused = client.post(f"/listings/offering/{offering_id}/moderate", data={"reason": ""}, follow_redirects=True)
    assert "flash-error" in refused.get_data(as_text=True)
    assert client.post(f"/listings/offering/{offering_id}/moderate", data={"reason": "资质过期"}).status_code == 302
    with app.app_context():
        assert db.session.get(Offering, offering_id).state == "delisted"
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "listing.moderated"))
        assert audit.detail["reason"] == "资质过期"
    auth.logout()
    assert client.get(f"/offerings/{offering_id}").status_code == 404


def test_admin_may_neither_edit_nor_publish_another_vendors_listing(app, client, auth):
    """Admins moderate; they do not edit or publish listings for a vendor."""
    with app.app_context():
        model_id = make_model(make_user("vendor").organisation, state="draft").id
    auth.as_role("admin")
    assert client.get(f"/models/{model_id}").status_code == 200
    assert client.post(f"/models/{model_id}/edit", data={"name": "篡改"}).status_code == 403
    assert client.post(f"/listings/model/{model_id}/publish").status_code == 403
    assert client.get("/models/new").status_code == 403
    with app.app_context():
        model = db.session.get(IndustrialModel, model_id)
        assert (model.state, model.name) == ("draft", "PCB 焊点缺陷检测模型")


def test_order_box_for_visitors_and_smes_only(app, client, auth):
    """Visitors and SMEs see the order box on a published offering; vendors, centers and admins do not."""
    offering_id = vendor_listing(app)
    assert "order-box" in client.get(f"/offerings/{offering_id}").get_data(as_text=True)
    for role, shown in (("enterprise", True), ("vendor", False), ("center", False), ("admin", False)):
        auth.as_role(role)
        assert ("order-box" in client.get(f"/offerings/{offering_id}").get_data(as_text=True)) is shown, role
        auth.logout()


def test_directory_history_link_for_centers_and_admins(app, client, auth):
    """The provider page links the directory history for those who may read it, not for vendors or SMEs."""
    from tests.factories import make_profile

    with app.app_context():
        profile_id = make_profile(make_user("vendor").organisation).id
    for role, shown in (("center", True), ("admin", True), ("vendor", False), ("enterprise", False)):
        auth.as_role(role)
        page = client.get(f"/providers/{profile_id}").get_data(as_text=True)
        assert (f"/cases/directory/{profile_id}/history" in page) is shown, role
        auth.logout()
