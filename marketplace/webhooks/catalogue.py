"""The events an endpoint can subscribe to, which kinds of organisation each concerns, and how a delivery is
signed (`Webhook-Signature: v1=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`)."""
from __future__ import annotations

import hashlib
import hmac

from flask_babel import lazy_gettext as _l

SME, VENDOR, CENTER = "enterprise", "vendor", "center"

EVENTS = {
    "need.matched": (_l("A new need matches your listings"), frozenset({VENDOR})),
    "proposal.received": (_l("A proposal arrived for one of your needs"), frozenset({SME})),
    "proposal.changed": (_l("One of your proposals changed state"), frozenset({SME, VENDOR})),
    "order.placed": (_l("An order was placed"), frozenset({SME, VENDOR})),
    "order.paid": (_l("An order was paid"), frozenset({SME, VENDOR})),
    "order.refunded": (_l("An order was refunded"), frozenset({SME, VENDOR})),
    "agreement.signed": (_l("A party signed a 模数共振 agreement"), frozenset({SME, VENDOR, CENTER})),
    "redemption.confirmed": (_l("A 模型券 redemption was confirmed"), frozenset({SME, VENDOR})),
}
"""Every event type: its label, and the kinds of organisation that can be concerned by it."""

DELIVERY_STATES = {"pending": _l("Waiting"), "delivered": _l("Delivered"), "failed": _l("Failed")}
"""What a delivery's state reads as on the page."""

TEST_EVENT = "webhook.test"
"""The type of the event the "send test event" button sends (to that endpoint only)."""


def events_for(org_kind: str) -> list[str]:
    """Return the event types an organisation of a kind can receive, in catalogue order."""
    return [name for name, (_label, kinds) in EVENTS.items() if org_kind in kinds]


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the `Webhook-Signature` header value of a body sent at a Unix timestamp."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return "v1=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
