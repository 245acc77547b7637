"""Webhook services: register, enable, disable, delete an endpoint, roll its secret, send it a test event,
redeliver; and `queue_attempt`, the one way an attempt is scheduled (an outbox event in the caller's
transaction). Every service takes the acting user and asks the permission module; the caller commits."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, scoped_session

from marketplace.accounts.models import User
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.jobs.outbox import write_event
from marketplace.permissions import require
from marketplace.webhooks.catalogue import TEST_EVENT, events_for
from marketplace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from marketplace.webhooks.outbound import check_url

MAX_ENDPOINTS = 20
MAX_DESCRIPTION = 200
TOPIC = "webhook"


def now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def allow_local() -> bool:
    """Tell whether http endpoints on the loopback host are allowed (testing and development only)."""
    return bool(current_app.config["WEBHOOK_ALLOW_LOCAL"])


def retry_delays() -> list[int]:
    """Return the seconds to wait before each retry after a failed attempt (the last failure ends the delivery)."""
    return [int(s) for s in str(current_app.config["WEBHOOK_RETRY_SECONDS"]).split(",") if s.strip()]


def new_secret() -> str:
    """Make a signing secret."""
    return "whsec_" + secrets.token_urlsafe(32)


def new_event_id() -> str:
    """Make the id of an event (the `Webhook-Id` header)."""
    return "evt_" + secrets.token_hex(12)


def clean_events(user: User, events) -> list[str]:
    """Return the chosen events in catalogue order, refusing none or one that cannot concern the organisation."""
    offered = events_for(user.organisation.kind)
    chosen = {str(e).strip() for e in events or () if str(e).strip()}
    unknown = chosen - set(offered)
    if unknown:
        raise DomainError(_("Your organisation cannot receive these events: %(events)s.",
                            events=", ".join(sorted(unknown))), "events")
    if not chosen:
        raise DomainError(_("Choose at least one event."), "events")
    return [e for e in offered if e in chosen]


def organisation_endpoints(org_id: int) -> list[WebhookEndpoint]:
    """Return an organisation's endpoints, oldest first."""
    return list(db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.organisation_id == org_id)
                                   .order_by(WebhookEndpoint.id)))


def endpoint_for(user: User, endpoint_id: int) -> WebhookEndpoint | None:
    """Return an endpoint the user may manage, or None (missing, or another organisation's: the same answer)."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.organisation_id != user.organisation_id:
        return None
    require(user, "webhook.edit", endpoint)
    return endpoint


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    """Return an endpoint's latest deliveries, newest first."""
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


def create_endpoint(user: User, url: str, description: str, events) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint for the user's organisation; return it and its secret, shown this once."""
    require(user, "webhook.manage")
    reasons: list[tuple[str | None, str]] = []
    cleaned_url, chosen = "", []
    try:
        cleaned_url = check_url(url, allow_local())
    except DomainError as exc:
        reasons += exc.reasons
    try:
        chosen = clean_events(user, events)
    except DomainError as exc:
        reasons += exc.reasons
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        reasons.append(("description", _("A description has at most %(n)d characters.", n=MAX_DESCRIPTION)))
    count = db.session.scalar(select(func.count()).select_from(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id == user.organisation_id)) or 0
    if count >= MAX_ENDPOINTS:
        reasons.append((None, _("Your organisation has %(n)d endpoints; delete one first.", n=MAX_ENDPOINTS)))
    if reasons:
        raise DomainError(reasons=reasons)
    secret = new_secret()
    endpoint = WebhookEndpoint(organisation_id=user.organisation_id, url=cleaned_url, description=description,
                               events=" ".join(chosen), secret=secret, enabled=True, created_by_id=user.id)
    db.session.add(endpoint)
    db.session.flush()
    record_audit("webhook.created", user, endpoint, {"url": cleaned_url, "events": endpoint.events})
    return endpoint, secret


def set_enabled(user: User, endpoint: WebhookEndpoint, enabled: bool) -> WebhookEndpoint:
    """Turn an endpoint on (its failure count starts again) or off."""
    require(user, "webhook.edit", endpoint)
    if endpoint.enabled != enabled:
        endpoint.enabled = enabled
        endpoint.disabled_reason = None
        endpoint.consecutive_failures = 0
        record_audit("webhook.enabled" if enabled else "webhook.disabled", user, endpoint, {"url": endpoint.url})
    return endpoint


def delete_endpoint(user: User, endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint with its deliveries and their attempts; attempts still queued find nothing to send.

    The rows go by explicit statements, so no database needs foreign-key cascades switched on (SQLite has not).
    """
    require(user, "webhook.edit", endpoint)
    record_audit("webhook.deleted", user, endpoint, {"url": endpoint.url})
    deliveries = select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == endpoint.id)
    db.session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries))
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
                       .execution_options(synchronize_session=False))
    db.session.expire(endpoint, ["deliveries"])
    db.session.delete(endpoint)


def roll_secret(user: User, endpoint: WebhookEndpoint) -> str:
    """Give an endpoint a new signing secret (the old one stops at once); return it, shown this once."""
    require(user, "webhook.edit", endpoint)
    endpoint.secret = new_secret()
    endpoint.secret_rolled_at = now()
    record_audit("webhook.secret_rolled", user, endpoint, {"url": endpoint.url})
    return endpoint.secret


def event_payload(event_type: str, data: dict, event_id: str | None = None) -> dict:
    """Return the JSON an event is sent as: {id, type, created, data}."""
    return {"id": event_id or new_event_id(), "type": event_type,
            "created": now().isoformat(timespec="seconds").replace("+00:00", "Z"), "data": data}


def add_delivery(session: Session | scoped_session, endpoint: WebhookEndpoint, payload: dict) -> WebhookDelivery:
    """Add a delivery of an event to an endpoint and queue its first attempt, in the caller's transaction."""
    delivery = WebhookDelivery(endpoint=endpoint, event_id=payload["id"], event_type=payload["type"],
                               payload=payload, state="pending", attempt_count=0, next_attempt_at=now())
    session.add(delivery)
    session.flush()
    queue_attempt(session, delivery, 0)
    return delivery


def queue_attempt(session: Session | scoped_session, delivery: WebhookDelivery, delay_seconds: float,
                  retry: bool = True) -> None:
    """Schedule the next attempt of a delivery after a delay, as an outbox event in the caller's transaction."""
    when = now() + timedelta(seconds=delay_seconds)
    event = write_event(session, TOPIC, {"delivery_id": delivery.id, "retry": retry})
    event.available_at = when
    delivery.next_attempt_at = when


def send_test_event(user: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a `webhook.test` event to this endpoint only (sent even while it is disabled; not retried)."""
    require(user, "webhook.edit", endpoint)
    payload = event_payload(TEST_EVENT, {"endpoint_id": endpoint.id, "organisation_id": endpoint.organisation_id,
                                         "message": "This is a test event."})
    delivery = WebhookDelivery(endpoint=endpoint, event_id=payload["id"], event_type=TEST_EVENT, payload=payload,
                               state="pending", attempt_count=0)
    db.session.add(delivery)
    db.session.flush()
    queue_attempt(db.session, delivery, 0, retry=False)
    return delivery


def delivery_of(endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery | None:
    """Return one of an endpoint's deliveries, or None."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    return delivery if delivery is not None and delivery.endpoint_id == endpoint.id else None


def redeliver(user: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery once more now (same event id), whatever became of it; a failure is not retried."""
    require(user, "webhook.edit", delivery.endpoint)
    delivery.state = "pending"
    queue_attempt(db.session, delivery, 0, retry=False)
    record_audit("webhook.redelivered", user, delivery.endpoint, {"event_id": delivery.event_id})
    return delivery
