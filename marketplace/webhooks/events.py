"""What is announced to webhooks: one function per event type, called where the change's notification is made,
so the deliveries are written in the same transaction as the change (a rollback sends nothing).

`publish` finds the enabled endpoints of the concerned organisations that picked the event, and only then
builds the record's JSON (`payloads.py`), adds one delivery per endpoint and queues its first attempt through
the outbox (`services.add_delivery`). Nothing is sent from the request; the job workers deliver.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.webhooks import payloads
from marketplace.webhooks.models import WebhookEndpoint
from marketplace.webhooks.services import add_delivery, event_payload


def publish(event_type: str, org_ids: Iterable[int | None], data: Callable[[], dict]) -> int:
    """Queue an event for the subscribed, enabled endpoints of the concerned organisations; return how many."""
    ids = sorted({i for i in org_ids if i is not None})
    if not ids:
        return 0
    endpoints = [e for e in db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id.in_(ids), WebhookEndpoint.enabled.is_(True)).order_by(WebhookEndpoint.id))
        if event_type in e.event_list]
    if not endpoints:
        return 0
    payload = event_payload(event_type, data())
    for endpoint in endpoints:
        add_delivery(db.session, endpoint, payload)
    return len(endpoints)


def order_placed(order) -> None:
    """An order was placed: its buyer and its vendor."""
    publish("order.placed", (order.buyer_id, order.vendor_id), lambda: payloads.order_data(order))


def order_changed(order) -> None:
    """An order was paid or refunded: its buyer and its vendor (other moves are not webhook events)."""
    event_type = {"paid": "order.paid", "refunded": "order.refunded"}.get(order.state)
    if event_type is not None:
        publish(event_type, (order.buyer_id, order.vendor_id), lambda: payloads.order_data(order))


def proposal_received(proposal) -> None:
    """A vendor sent a proposal: the SME whose need it answers."""
    publish("proposal.received", (proposal.need.organisation_id,), lambda: payloads.proposal_data(proposal))


def proposal_changed(proposal, state: str | None = None) -> None:
    """A proposal moved (or one side confirmed the contract): its vendor and the SME."""
    publish("proposal.changed", (proposal.vendor_id, proposal.need.organisation_id),
            lambda: payloads.proposal_data(proposal, state))


def agreement_signed(agreement, version, org_id: int) -> None:
    """A party signed a version of an agreement: every party of that version."""
    publish("agreement.signed", {p.organisation_id for p in version.parties},
            lambda: payloads.agreement_data(agreement, version, org_id))


def redemption_confirmed(redemption) -> None:
    """A center confirmed a 模型券 redemption: the vendor who claimed it and the SME who bought."""
    publish("redemption.confirmed", (redemption.vendor_id, redemption.order.buyer_id),
            lambda: payloads.redemption_data(redemption))


def need_matched(alert) -> None:
    """A live need matches a vendor's listings (a need alert was recorded): that vendor."""
    publish("need.matched", (alert.vendor_id,), lambda: payloads.need_match_data(alert))
