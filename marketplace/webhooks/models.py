"""An organisation's webhook endpoints, the deliveries of events to them, and every attempt of a delivery."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, utcnow
from marketplace.extensions import Model


class WebhookEndpoint(Model):
    """A URL an organisation wants events POSTed to, the events it picked, and the secret deliveries are signed
    with (kept readable: the worker signs with it; shown to people once, when made or rolled)."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[str] = mapped_column(String(300))
    secret: Mapped[str] = mapped_column(String(80))
    enabled: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    secret_rolled_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    deliveries: Mapped[list[WebhookDelivery]] = relationship(back_populates="endpoint", cascade="all, delete-orphan",
                                                             passive_deletes=True)

    @property
    def event_list(self) -> list[str]:
        """Return the event types the endpoint receives."""
        return self.events.split()


class WebhookDelivery(Model):
    """One event for one endpoint: the exact JSON it is sent as, and where its attempts stand.

    `state` is pending (waiting for its first or next attempt), delivered (a 2xx answer) or failed (the last
    attempt failed, or the endpoint was gone or disabled). `event_id` is the `Webhook-Id` header, the same on
    every attempt, so a receiver can tell a repeat from a new event.
    """

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_endpoint_id_created_at", "endpoint_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempt_count: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")
    attempts: Mapped[list[WebhookAttempt]] = relationship(back_populates="delivery", cascade="all, delete-orphan",
                                                          passive_deletes=True, order_by="WebhookAttempt.id")


class WebhookAttempt(Model):
    """One POST of a delivery: when, the status code, the first 2 KB of the answer, how long it took, the error."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(500))

    delivery: Mapped[WebhookDelivery] = relationship(back_populates="attempts")

    @property
    def succeeded(self) -> bool:
        """Tell whether the receiver answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300
