"""The job worker's side of webhooks: one attempt of one delivery per outbox event (topic `webhook`).

An attempt signs the stored JSON with the endpoint's current secret, POSTs it (`outbound.post_json`), and
records the answer. A failed automatic attempt queues the next one after the delay WEBHOOK_RETRY_SECONDS
gives for it (1 min, 5 min, 30 min, 2 h, 12 h by default) as a new outbox event; after the last one the
delivery is failed, and an endpoint whose last WEBHOOK_DISABLE_AFTER deliveries all failed is disabled and
its organisation told. A test event or a redelivery is one attempt, never retried. The handler never raises
for what a receiver does: the outbox event is done once the attempt is recorded.
"""
from __future__ import annotations

import json
import logging

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.extensions import db
from marketplace.webhooks.catalogue import signature
from marketplace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from marketplace.webhooks.outbound import Answer, post_json
from marketplace.webhooks.services import allow_local, now, queue_attempt, retry_delays

log = logging.getLogger("marketplace.webhooks")
DISABLED_REASON = _l("Disabled after repeated failed deliveries.")


def deliver_webhook_events(payloads: list[dict]) -> None:
    """Make the attempt each outbox event names, committing each one's record before the next."""
    for payload in payloads:
        attempt_delivery(int(payload["delivery_id"]), bool(payload.get("retry", True)))
        db.session.commit()


def body_of(delivery: WebhookDelivery) -> bytes:
    """Return the exact bytes sent (and signed) for a delivery."""
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def headers_for(delivery: WebhookDelivery, endpoint: WebhookEndpoint, body: bytes) -> dict[str, str]:
    """Return the id, timestamp and signature headers of one attempt."""
    timestamp = int(now().timestamp())
    return {"Webhook-Id": delivery.event_id, "Webhook-Timestamp": str(timestamp),
            "Webhook-Signature": signature(endpoint.secret, timestamp, body)}


def attempt_delivery(delivery_id: int, retry: bool) -> WebhookAttempt | None:
    """POST a delivery once and record the attempt; schedule the next one or settle the delivery."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.endpoint is None or (delivery.state == "delivered" and retry):
        return None  # the endpoint was deleted, or a repeated outbox event for a delivery already through
    endpoint = delivery.endpoint
    if retry and not endpoint.enabled:
        delivery.state, delivery.next_attempt_at = "failed", None
        return None
    body = body_of(delivery)
    started = now()
    answer: Answer = post_json(endpoint.url, body, headers_for(delivery, endpoint, body),
                               float(current_app.config["WEBHOOK_TIMEOUT_SECONDS"]), allow_local())
    delivery.attempt_count += 1
    attempt = WebhookAttempt(delivery=delivery, number=delivery.attempt_count, started_at=started,
                             status_code=answer.status_code, response_body=answer.body,
                             duration_ms=answer.duration_ms, error=answer.error)
    db.session.add(attempt)
    if attempt.succeeded:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = "delivered", now(), None
        endpoint.consecutive_failures = 0
        return attempt
    delays = retry_delays()
    automatic = retry and delivery.event_type != "webhook.test"
    if automatic and delivery.attempt_count <= len(delays):
        delivery.state = "pending"
        queue_attempt(db.session, delivery, delays[delivery.attempt_count - 1])
        return attempt
    delivery.state, delivery.next_attempt_at = "failed", None
    if automatic:
        count_failure(endpoint)
    return attempt


def count_failure(endpoint: WebhookEndpoint) -> None:
    """Count a delivery that failed for good; disable the endpoint and tell its organisation at the limit."""
    endpoint.consecutive_failures += 1
    limit = int(current_app.config["WEBHOOK_DISABLE_AFTER"])
    if endpoint.enabled and endpoint.consecutive_failures >= limit:
        from marketplace.audit.services import record_audit
        from marketplace.notifications.services import notify, path_for

        endpoint.enabled = False
        endpoint.disabled_reason = str(DISABLED_REASON)[:200]
        record_audit("webhook.auto_disabled", None, endpoint, {"url": endpoint.url,
                                                               "failures": endpoint.consecutive_failures})
        notify([endpoint.organisation_id], "webhook_disabled",
               {"url": endpoint.url[:200], "count": endpoint.consecutive_failures},
               path_for("webhooks.endpoint", endpoint_id=endpoint.id),
               f"webhook:{endpoint.id}:disabled:{now():%Y%m%d%H%M%S%f}")
        log.warning("webhook endpoint %s disabled after %s failed deliveries", endpoint.id,
                    endpoint.consecutive_failures)
