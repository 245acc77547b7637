"""Each event type reaches the organisations it concerns, from the one place its change is announced."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.notifications.digests import find_need_alerts
from marketplace.proposals.process import PROPOSAL
from marketplace.proposals.services import send_proposal
from marketplace.webhooks.models import WebhookDelivery
from tests.factories import make_active_agreement, make_need, make_offering, make_user
from tests.webhooks.conftest import register


def sent(endpoint_id: int) -> list[tuple[str, dict]]:
    """The (type, data) of every delivery to an endpoint, oldest first."""
    db.session.expire_all()
    return [(d.event_type, d.payload["data"]) for d in db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id).order_by(WebhookDelivery.id))]


def test_proposal_received_goes_to_the_sme_and_changes_to_the_vendor(in_app, receiver):
    """Does the SME get proposal.received, the vendor proposal.changed when the SME shortlists, another vendor
    nothing?"""
    sme, vendor, other = make_user("enterprise"), make_user("vendor"), make_user("vendor")
    need = make_need(sme.organisation)
    sme_hook = register(sme, receiver, "/sme", ["proposal.received", "proposal.changed"])
    vendor_hook = register(vendor, receiver, "/vendor", ["proposal.changed"])
    other_hook = register(other, receiver, "/other", ["proposal.changed"])
    proposal = send_proposal(need, vendor, [], 9_000_000, "两周部署", "")
    db.session.commit()
    PROPOSAL.fire(proposal.id, "shortlist", sme)
    db.session.commit()
    assert [t for t, _d in sent(sme_hook.id)] == ["proposal.received", "proposal.changed"]
    [(kind, data)] = sent(vendor_hook.id)
    assert (kind, data["id"], data["state"], data["price_fen"]) == ("proposal.changed", proposal.id, "shortlisted",
                                                                    9_000_000)
    assert sent(other_hook.id) == []
    assert all(r.signature_valid for r in receiver.received)


def test_agreement_signed_goes_to_every_party(in_app, receiver):
    """Does each signature of an agreement reach both parties, the last one saying it is fully signed?"""
    sme, vendor, outsider = make_user("enterprise"), make_user("vendor"), make_user("vendor")
    offering = make_offering(vendor.organisation, voucher_eligible=False)
    sme_hook = register(sme, receiver, "/sme", ["agreement.signed"])
    vendor_hook = register(vendor, receiver, "/vendor", ["agreement.signed"])
    outsider_hook = register(outsider, receiver, "/outsider", ["agreement.signed"])
    agreement = make_active_agreement(vendor, sme, [offering])
    for hook in (sme_hook, vendor_hook):
        signatures = sent(hook.id)
        assert [(d["signed_by_organisation_id"], d["fully_signed"]) for _t, d in signatures] == [
            (vendor.organisation_id, False), (sme.organisation_id, True)]
        assert signatures[-1][1]["id"] == agreement.id and signatures[-1][1]["state"] == "active"
    assert sent(outsider_hook.id) == []


def test_need_matched_goes_to_the_matching_vendor(in_app, receiver):
    """When a need alert is recorded for a vendor, does that vendor (only) get need.matched with the need?"""
    sme, vendor, other = make_user("enterprise"), make_user("vendor"), make_user("vendor")
    need = make_need(sme.organisation)
    hook = register(vendor, receiver, "/vendor", ["need.matched"])
    other_hook = register(other, receiver, "/other", ["need.matched"])
    find_need_alerts(date.today(), similarity=lambda n, vendor_id: 0.99 if vendor_id == vendor.organisation_id
                     else None, vendor_ids=[vendor.organisation_id, other.organisation_id])
    db.session.commit()
    [(kind, data)] = sent(hook.id)
    assert kind == "need.matched" and data["need"]["id"] == need.id and data["relevance"] == 0.99
    assert sent(other_hook.id) == []


def test_redemption_confirmed_goes_to_the_vendor_and_the_buyer(in_app, receiver):
    """When the center confirms a 模型券 redemption, do the vendor and the SME get redemption.confirmed?"""
    from marketplace.redemptions.services import decide, submit_redemption
    from tests.redemptions.helpers import full_claim, three_files, voucher_order

    w = voucher_order()
    vendor_hook = register(w.vendor, receiver, "/vendor", ["redemption.confirmed"])
    sme_hook = register(w.sme, receiver, "/sme", ["redemption.confirmed"])
    redemption = submit_redemption(w.vendor, w.order, full_claim(w.order), three_files())
    db.session.commit()
    assert sent(vendor_hook.id) == []  # a claim is not a confirmation
    decide(redemption.id, "redeem", w.center)
    db.session.commit()
    for hook in (vendor_hook, sme_hook):
        [(kind, data)] = sent(hook.id)
        assert (kind, data["id"], data["order_id"], data["state"]) == ("redemption.confirmed", redemption.id,
                                                                       w.order.id, "redeemed")
