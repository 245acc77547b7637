"""Organisations and their users: who may act, and for which organisation."""
from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model

if TYPE_CHECKING:  # the image model lives with the uploads and imports this module
    from marketplace.uploads.models import PublicImage


def utcnow() -> datetime:
    """Return the current UTC time (timezone-aware)."""
    return datetime.now(UTC)


def new_session_token() -> str:
    """Return a fresh random per-user session token."""
    return secrets.token_urlsafe(24)


class OrgKind(str, enum.Enum):
    """What kind of organisation a user acts for; it decides what they may do."""

    ENTERPRISE = "enterprise"
    VENDOR = "vendor"
    CENTER = "center"
    PLATFORM = "platform"
    EVALUATOR = "evaluator"


def org_kind_labels() -> dict[str, str]:
    """Return each organisation kind's name in the current language (evaluators are created by an admin)."""
    from flask_babel import gettext as _

    return {OrgKind.ENTERPRISE.value: _("Manufacturer (SME)"), OrgKind.VENDOR.value: _("Service provider"),
            OrgKind.CENTER.value: _("Promotion center"), OrgKind.PLATFORM.value: _("Platform operator"),
            OrgKind.EVALUATOR.value: _("Industrial model evaluation body")}


class Organisation(Model):
    """A company or institution: an SME, a vendor, a promotion center or the platform operator."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(120))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    city: Mapped[str] = mapped_column(String(20))
    industry: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[str | None] = mapped_column(String(10))
    digital_level: Mapped[int | None]
    contact_name: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[datetime | None]
    verified_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("public_image.id", use_alter=True))

    users: Mapped[list[User]] = relationship(back_populates="organisation")
    logo: Mapped[PublicImage | None] = relationship(foreign_keys=[logo_id])
    verified_by: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")

    @property
    def logo_alt(self) -> str:
        """Return the text alternative of the organisation's logo (or of its initials when it has none)."""
        from flask_babel import gettext

        return gettext("Logo of %(name)s", name=self.name)

    @property
    def is_verified(self) -> bool:
        """Tell whether a promotion center (or an admin) has verified the organisation's identity.

        Registration is self-declared; what an unverified organisation may do is decided in
        `marketplace/trust/permissions.py`."""
        return self.verified_at is not None

    @property
    def verification_status(self) -> str:
        """Return "verified" or "unverified" (the state the verification process moves, see `trust.process`)."""
        return "verified" if self.verified_at is not None else "unverified"

    @verification_status.setter
    def verification_status(self, status: str) -> None:
        """Mark the organisation verified (now, unless a time is already set) or unverified."""
        if status == "unverified":
            self.verified_at, self.verified_by_org_id = None, None
        elif self.verified_at is None:
            self.verified_at = utcnow()

    @property
    def is_enterprise(self) -> bool:
        """Tell whether this is an SME (需求方)."""
        return self.kind == OrgKind.ENTERPRISE.value

    @property
    def is_vendor(self) -> bool:
        """Tell whether this is a service provider (供给方)."""
        return self.kind == OrgKind.VENDOR.value

    @property
    def is_center(self) -> bool:
        """Tell whether this is a promotion center (促进中心)."""
        return self.kind == OrgKind.CENTER.value

    @property
    def is_evaluator(self) -> bool:
        """Tell whether this is an industrial model evaluation body (工业模型评测机构)."""
        return self.kind == OrgKind.EVALUATOR.value


class User(UserMixin, Model):
    """A person who signs in; acts for exactly one organisation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(256))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active_flag: Mapped[bool] = mapped_column("is_active", default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    def get_id(self) -> str:
        """Return flask-login's session id: the user id and the current session token.

        Changing `session_token` (sign-out, password change or reset, deactivation) makes every session
        that carries the old one anonymous at its next request."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        """Tell flask-login whether the account may sign in."""
        return self.is_active_flag

    @property
    def role(self) -> str:
        """Return the role the user acts in: admin, or the kind of their organisation."""
        return "admin" if self.is_admin else self.organisation.kind


class RememberToken(Model):
    """A "keep me signed in" token: the cookie holds selector and secret, the row only the secret's hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    selector: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    user: Mapped[User] = relationship()
