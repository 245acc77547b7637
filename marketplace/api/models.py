"""API tokens: a user's named, scoped, revocable credentials for integrations, stored only as a hash."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User, utcnow
from marketplace.extensions import Model


class ApiToken(Model):
    """One token: who it acts for, what it may do (space-separated scopes), and when it was used or revoked.

    The secret is shown once when created; only its SHA-256 is kept, with the first characters (`prefix`)
    so the owner can tell tokens apart.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    scopes: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def scope_list(self) -> list[str]:
        """Return the scopes as a list."""
        return self.scopes.split()

    @property
    def is_active(self) -> bool:
        """Tell whether the token still works (not revoked, and its user is active)."""
        return self.revoked_at is None and self.user.is_active


class IdempotencyKey(Model):
    """A write sent with an `Idempotency-Key` header, and the answer it got, replayed when the same call is
    sent again with the same key (Stripe's convention); kept a day."""

    __tablename__ = "api_idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_api_idempotency_key_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
