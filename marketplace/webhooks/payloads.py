"""The `data` of each webhook event: the record as the API serialises it, fixed when the change commits.

The need of `need.matched` comes from the kind registry's serialiser (what `GET /api/v1/needs/{id}` answers a
caller who may not see the poster). Orders, proposals, agreements and redemptions have no API serialiser on
this branch yet; these functions give their fields in the API's conventions (ids, codes, integer fen, ISO 8601
UTC times) and are the one place to point at the API's serialisers once those exist.
"""
from __future__ import annotations

from datetime import UTC, datetime


def stamp(value: datetime | None) -> str | None:
    """Return a time as ISO 8601 UTC (naive times read from the database are UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def order_data(order) -> dict:
    """An order: parties, what was bought, amounts in fen (list, 模型券 deduction, payable), state and times."""
    return {"object": "order", "id": order.id, "state": order.state, "title": order.title,
            "buyer_id": order.buyer_id, "vendor_id": order.vendor_id, "offering_id": order.offering_id,
            "proposal_id": order.proposal_id, "pricing_plan": order.pricing_plan, "quantity": order.quantity,
            "unit_price_fen": order.unit_price_fen, "list_fen": order.list_fen, "voucher_fen": order.voucher_fen,
            "payable_fen": order.payable_fen, "refund_reason": order.refund_reason,
            "created_at": stamp(order.created_at), "paid_at": stamp(order.paid_at),
            "refunded_at": stamp(order.refunded_at)}


def proposal_data(proposal, state: str | None = None) -> dict:
    """A proposal: the need it answers, the vendor, its state (or "confirmed" for one side's confirmation), terms."""
    return {"object": "proposal", "id": proposal.id, "state": proposal.state, "event_state": state or proposal.state,
            "need_id": proposal.need_id, "need_title": proposal.need.title, "sme_id": proposal.need.organisation_id,
            "vendor_id": proposal.vendor_id, "price_fen": proposal.price_fen,
            "offering_ids": sorted(o.id for o in proposal.offerings),
            "sme_confirmed_at": stamp(proposal.sme_confirmed_at),
            "vendor_confirmed_at": stamp(proposal.vendor_confirmed_at)}


def agreement_data(agreement, version, signed_by_org_id: int) -> dict:
    """An agreement: its state, the version signed, who just signed, and each party's role, share and signature."""
    return {"object": "agreement", "id": agreement.id, "title": agreement.title, "state": agreement.state,
            "version": version.number, "version_state": version.state, "signed_by_organisation_id": signed_by_org_id,
            "fully_signed": bool(version.fully_signed),
            "parties": [{"organisation_id": p.organisation_id, "role": p.role, "share_bp": p.share_bp,
                         "signed_at": stamp(p.signed_at)} for p in version.parties]}


def redemption_data(redemption) -> dict:
    """A 模型券 redemption: the order, the vendor, the region, the amounts in fen, when it was confirmed."""
    return {"object": "redemption", "id": redemption.id, "state": redemption.state, "order_id": redemption.order_id,
            "vendor_id": redemption.vendor_id, "buyer_id": redemption.order.buyer_id, "region": redemption.region,
            "invoice_fen": redemption.invoice_fen, "claimed_fen": redemption.claimed_fen,
            "redeemed_at": stamp(redemption.redeemed_at)}


def need_match_data(alert) -> dict:
    """A need matching a vendor's listings: the need as the API shows it, and how relevant the match is."""
    from marketplace.extensions import db
    from marketplace.kinds import get_kind
    from marketplace.needs.models import Need

    need = db.session.get(Need, alert.need_id)
    return {"object": "need_match", "vendor_id": alert.vendor_id, "relevance": round(float(alert.similarity), 4),
            "need": get_kind("need").serialise(need, None)}
