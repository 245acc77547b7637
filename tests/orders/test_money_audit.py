"""Does every money action leave an audit row saying who did what to which record, from where?"""
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.factories import make_active_agreement, make_offering, make_user
from tests.orders.test_orders import confirm, pay


def events() -> list[tuple[str, str | None, str | None, str | None]]:
    """Return (action, target kind, target id, address) of every audit row, oldest first."""
    return [(e.action, e.target_kind, e.target_id, e.address)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_order_placed_paid_and_refunded_are_audited_with_actor_and_address(app, client, auth):
    """Placing, recording payment and refunding each add one audit row with the acting user and client address."""
    with app.app_context():
        vendor = make_user("vendor")
        sme = make_user("enterprise", city="zhuhai")
        item = make_offering(vendor.organisation, price_fen=10_000_00, voucher_eligible=True)
        ids = {"vendor": vendor.email, "vendor_id": vendor.id, "sme": sme.email, "sme_id": sme.id, "item": item.id}
    auth.login(ids["sme"])
    assert confirm(client, ids["item"], 1, "audit-1").status_code == 302
    auth.logout()
    auth.login(ids["vendor"])
    with app.app_context():
        order_id = db.session.scalar(select(Order.id))
    assert pay(client, order_id, reference="ICBC-77881").status_code == 302
    client.post(f"/orders/{order_id}/refund", data={"reason": "验收未通过"})
    with app.app_context():
        money = [e for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
                 if e.action.startswith("order.")]
        assert [(e.action, e.target_kind, e.target_id) for e in money] == [
            ("order.placed", "order", str(order_id)), ("order.paid", "order", str(order_id)),
            ("order.refunded", "order", str(order_id))]
        assert [e.actor_user_id for e in money] == [ids["sme_id"], ids["vendor_id"], ids["vendor_id"]]
        assert all(e.address == "127.0.0.1" for e in money)
        assert money[2].detail["reason"] == "验收未通过"


def test_agreement_signatures_and_activation_are_audited(in_app):
    """Drafting, each signature and the version coming into force are in the audit log."""
    vendor = make_user("vendor")
    sme = make_user("enterprise")
    agreement = make_active_agreement(vendor, sme, [make_offering(vendor.organisation)])
    actions = [a for a, kind, ident, _ in events() if kind == "agreement" and ident == str(agreement.id)]
    assert actions == ["agreement.drafted", "agreement.signed", "agreement.signed", "agreement.activated"]
