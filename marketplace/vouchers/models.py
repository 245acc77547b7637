"""The 模型券 quota application: what an SME asked for in a year, what its region's center granted, and why."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.extensions import Model


class QuotaState(str, enum.Enum):
    """Where an application stands; the moves are `vouchers/process.py`."""

    APPLIED = "applied"
    GRANTED = "granted"
    REFUSED = "refused"
    REVOKED = "revoked"


OPEN_STATES = (QuotaState.APPLIED.value, QuotaState.GRANTED.value)
"""States in which an enterprise may not apply again for the same year."""
COUNTED_STATES = (QuotaState.GRANTED.value, QuotaState.REVOKED.value)
"""States whose granted amount (less what was revoked) makes up the enterprise's quota for the year."""


class QuotaApplication(Model):
    """An SME's application for a year's 模型券 quota: planned projects, amount asked, the decision and reasons."""

    __tablename__ = "quota_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    region: Mapped[str] = mapped_column(String(20), index=True)
    projects: Mapped[str] = mapped_column(Text)
    requested_fen: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(12), default=QuotaState.APPLIED.value, index=True)
    granted_fen: Mapped[int | None] = mapped_column(BigInteger)
    revoked_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    decision_reason: Mapped[str | None] = mapped_column(String(1000))
    revoke_reason: Mapped[str | None] = mapped_column(String(1000))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    enterprise: Mapped[Organisation] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def quota_fen(self) -> int:
        """What this application adds to the year's quota: the amount granted less any revoked part."""
        if self.state not in COUNTED_STATES:
            return 0
        return (self.granted_fen or 0) - (self.revoked_fen or 0)
