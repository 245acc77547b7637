"""Verification requests: an organisation's business licence, and a promotion center's (or admin's) decision."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.extensions import Model
from marketplace.uploads.models import StoredFile


class VerificationState(str, enum.Enum):
    """submitted → approved | rejected; an approved verification can be revoked by an admin."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVOKED = "revoked"


STATE_LABELS = {VerificationState.SUBMITTED.value: _l("Awaiting review"),
                VerificationState.APPROVED.value: _l("Verified"),
                VerificationState.REJECTED.value: _l("Not approved"),
                VerificationState.REVOKED.value: _l("Verification revoked")}

class VerificationRequest(Model):
    """One submission of a business licence by an organisation, and what was decided about it."""

    __tablename__ = "verification_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default=VerificationState.SUBMITTED.value, index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    reason: Mapped[str | None] = mapped_column(String(500))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    licence: Mapped[StoredFile] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    decided_by_org: Mapped[Organisation | None] = relationship(foreign_keys=[decided_by_org_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def state_label(self) -> str:
        """Return the request's state in the current language."""
        return str(STATE_LABELS[self.state])

    @property
    def is_open(self) -> bool:
        """Tell whether the request still awaits a decision."""
        return self.state == VerificationState.SUBMITTED.value

    @property
    def was_rejected(self) -> bool:
        """Tell whether the request was rejected (the organisation may submit a new licence)."""
        return self.state == VerificationState.REJECTED.value

    @property
    def was_revoked(self) -> bool:
        """Tell whether an approved verification was later revoked by an admin."""
        return self.state == VerificationState.REVOKED.value


