"""Does a vendor's meeting table hide the SME behind a registered-only need, as the need page does?"""
from __future__ import annotations

from marketplace.events.models import Meeting
from marketplace.extensions import db
from tests.factories import make_event, make_need, make_offering, make_registration, make_user


def meeting_for(visibility: str) -> tuple[int, str, str]:
    """Schedule a meeting of an SME's need (of a visibility) with a vendor's offering; return ids and names."""
    center, sme, vendor = make_user("center"), make_user("enterprise"), make_user("vendor")
    event = make_event(center.organisation)
    need = make_need(sme.organisation, visibility=visibility)
    offering = make_offering(vendor.organisation)
    need_reg, offering_reg = make_registration(event, need), make_registration(event, offering)
    db.session.add(Meeting(event=event, need_registration_id=need_reg.id, offering_registration_id=offering_reg.id,
                           enterprise_id=sme.organisation_id, vendor_id=vendor.organisation_id, slot=0, table_no=1))
    db.session.commit()
    return event.id, vendor.email, sme.organisation.name


def test_a_registered_only_needs_sme_is_hidden_from_the_vendor(app, client, auth):
    """On the event page and on 'my events', the vendor sees the need's title but not the SME's name."""
    with app.app_context():
        event_id, vendor_email, sme_name = meeting_for("registered")
    auth.login(vendor_email)
    for url in (f"/events/{event_id}", "/events/mine"):
        page = client.get(url).get_data(as_text=True)
        assert "抛釉砖表面针孔检测" in page and sme_name not in page, url


def test_a_public_needs_sme_is_shown(app, client, auth):
    """A public need's SME stays visible in the meeting table."""
    with app.app_context():
        event_id, vendor_email, sme_name = meeting_for("public")
    auth.login(vendor_email)
    assert sme_name in client.get(f"/events/{event_id}").get_data(as_text=True)
