"""Webhooks through the API: list the organisation's endpoints, register one (its secret in the answer, once),
delete one, and list an endpoint's deliveries with their attempts.

Reading needs the `read` scope. Registering and deleting need `orders`: an endpoint makes the marketplace push
the organisation's orders, proposals, agreements and redemptions to another system, which is what a token with
the deals scope may already read and move; a token for listings or needs alone should not be able to start
sending deal data elsewhere. Who may do it is the permission module's answer, as on the webhooks page
(`webhook.manage`, `webhook.edit`); another organisation's endpoint is answered as missing.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from marketplace.api import bp
from marketplace.api.errors import ApiError, parse_body, validate
from marketplace.api.spec import operation
from marketplace.extensions import db
from marketplace.permissions import require
from marketplace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from marketplace.webhooks.payloads import stamp
from marketplace.webhooks.services import (
    create_endpoint,
    delete_endpoint,
    endpoint_for,
    organisation_endpoints,
    recent_deliveries,
)

EventType = Literal["need.matched", "proposal.received", "proposal.changed", "order.placed", "order.paid",
                    "order.refunded", "agreement.signed", "redemption.confirmed"]


class Endpoint(BaseModel):
    """A webhook endpoint of the caller's organisation (its secret is never shown again after creation)."""

    id: int
    url: str
    description: str
    events: list[EventType]
    enabled: bool
    disabled_reason: str | None
    consecutive_failures: int = Field(description="Deliveries failed for good in a row; the endpoint is disabled "
                                                  "at the platform's limit.")
    created_at: datetime


class CreatedEndpoint(Endpoint):
    """A new endpoint, with the secret its deliveries are signed with: shown in this answer only."""

    secret: str = Field(description="Webhook-Signature is v1=<hex HMAC-SHA256(secret, \"{timestamp}.{body}\")>.")


class EndpointList(BaseModel):
    """The caller's organisation's endpoints, oldest first."""

    items: list[Endpoint]


class NewEndpoint(BaseModel):
    """An endpoint to register: https on a public address, and the events (those that can concern the caller's
    organisation)."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=500)
    description: str = Field("", max_length=200)
    events: list[EventType] = Field(min_length=1, max_length=8)


class Attempt(BaseModel):
    """One POST of a delivery."""

    number: int
    started_at: datetime
    status_code: int | None
    response_body: str | None = Field(description="The first 2 KB of the receiver's answer.")
    duration_ms: int
    error: str | None


class Delivery(BaseModel):
    """One event sent to an endpoint: the JSON sent, where it stands, and every attempt."""

    id: int
    event_id: str = Field(description="The Webhook-Id header, the same on every attempt.")
    event_type: str
    state: Literal["pending", "delivered", "failed"]
    attempt_count: int
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any] = Field(description="The body sent: {id, type, created, data}.")
    attempts: list[Attempt]


class DeliveryList(BaseModel):
    """An endpoint's latest deliveries, newest first."""

    items: list[Delivery]


class DeliveryQuery(BaseModel):
    """How many deliveries to list."""

    limit: int = Field(50, ge=1, le=100, description="Deliveries to list (1–100, default 50).")


def endpoint_json(endpoint: WebhookEndpoint) -> dict:
    """Serialise an endpoint (without its secret)."""
    return {"id": endpoint.id, "url": endpoint.url, "description": endpoint.description,
            "events": endpoint.event_list, "enabled": endpoint.enabled, "disabled_reason": endpoint.disabled_reason,
            "consecutive_failures": endpoint.consecutive_failures, "created_at": stamp(endpoint.created_at)}


def attempt_json(attempt: WebhookAttempt) -> dict:
    """Serialise one attempt."""
    return {"number": attempt.number, "started_at": stamp(attempt.started_at), "status_code": attempt.status_code,
            "response_body": attempt.response_body, "duration_ms": attempt.duration_ms, "error": attempt.error}


def delivery_json(delivery: WebhookDelivery) -> dict:
    """Serialise a delivery with its attempts."""
    return {"id": delivery.id, "event_id": delivery.event_id, "event_type": delivery.event_type,
            "state": delivery.state, "attempt_count": delivery.attempt_count,
            "next_attempt_at": stamp(delivery.next_attempt_at), "created_at": stamp(delivery.created_at),
            "delivered_at": stamp(delivery.delivered_at), "payload": delivery.payload,
            "attempts": [attempt_json(a) for a in delivery.attempts]}


def own_endpoint(endpoint_id: int) -> WebhookEndpoint:
    """Return one of the caller's organisation's endpoints, or answer 404."""
    require(current_user, "webhook.manage")
    endpoint = endpoint_for(current_user, endpoint_id)
    if endpoint is None:
        raise ApiError(404, "not_found", _("We could not find that record."))
    return endpoint


@bp.route("/webhooks")
@operation("List webhook endpoints", tags=("Webhooks",), responses={200: EndpointList},
           description="The webhook endpoints of the caller's organisation, oldest first (secrets are not shown).")
def webhooks():
    """List the caller's organisation's endpoints."""
    require(current_user, "webhook.manage")
    return jsonify({"items": [endpoint_json(e) for e in organisation_endpoints(current_user.organisation_id)]})


@bp.route("/webhooks", methods=["POST"])
@operation("Register a webhook endpoint", scope="orders", tags=("Webhooks",), body=NewEndpoint,
           responses={201: CreatedEndpoint}, errors=(415,),
           description="Register an endpoint for the caller's organisation. The URL must be https on a public "
                       "address; each event must be one that can concern the organisation (a vendor gets "
                       "need.matched, an SME proposal.received, both order and proposal events, …). The answer "
                       "carries the signing secret, shown this once.")
def webhook_create():
    """Register an endpoint and answer it with its secret."""
    require(current_user, "webhook.manage")
    body = parse_body(NewEndpoint) if request.get_data() else validate(NewEndpoint, {})
    endpoint, secret = create_endpoint(current_user, body.url, body.description, body.events)
    db.session.commit()
    return jsonify({**endpoint_json(endpoint), "secret": secret}), 201


@bp.route("/webhooks/<int:endpoint_id>", methods=["DELETE"])
@operation("Delete a webhook endpoint", scope="orders", tags=("Webhooks",), responses={204: None}, errors=(404,),
           description="Delete one of the organisation's endpoints with its delivery history; attempts still "
                       "queued are dropped.")
def webhook_delete(endpoint_id: int):
    """Delete one of the organisation's endpoints."""
    endpoint = own_endpoint(endpoint_id)
    delete_endpoint(current_user, endpoint)
    db.session.commit()
    return "", 204


@bp.route("/webhooks/<int:endpoint_id>/deliveries")
@operation("List an endpoint's deliveries", tags=("Webhooks",), query=DeliveryQuery, responses={200: DeliveryList},
           errors=(404, 422),
           description="The endpoint's latest deliveries, newest first, each with the JSON sent and every attempt "
                       "(status code, start of the answer, duration, error). 422 when limit is out of range.")
def webhook_deliveries(endpoint_id: int):
    """List an endpoint's latest deliveries with their attempts."""
    endpoint = own_endpoint(endpoint_id)
    query = validate(DeliveryQuery, request.args.to_dict())
    return jsonify({"items": [delivery_json(d) for d in recent_deliveries(endpoint, query.limit)]})
