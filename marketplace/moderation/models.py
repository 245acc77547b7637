"""Reports, moderators' decisions (the history) and each region's moderation mode."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User, utcnow
from marketplace.extensions import Model


class ReportReason(str, enum.Enum):
    """Why something was reported: the reasons a person picks, and those the site raises itself."""

    ILLEGAL = "illegal"
    FALSE = "false"
    SPAM = "spam"
    INFRINGEMENT = "infringement"
    OTHER = "other"
    REPETITIVE = "repetitive"
    OVERLONG = "overlong"
    UNVERIFIED = "unverified"


PERSON_REASONS = (ReportReason.ILLEGAL, ReportReason.FALSE, ReportReason.SPAM, ReportReason.INFRINGEMENT,
                  ReportReason.OTHER)
"""The reasons a person may choose when reporting."""

REASON_LABELS = {
    ReportReason.ILLEGAL.value: _l("Illegal content"),
    ReportReason.FALSE.value: _l("False information"),
    ReportReason.SPAM.value: _l("Duplicate or spam"),
    ReportReason.INFRINGEMENT.value: _l("Infringes rights"),
    ReportReason.OTHER.value: _l("Other"),
    ReportReason.REPETITIVE.value: _l("Automatic flag: mostly repeated text"),
    ReportReason.OVERLONG.value: _l("Automatic flag: far longer than the field is for"),
    ReportReason.UNVERIFIED.value: _l("New from an unverified organisation"),
}


class Report(Model):
    """One report about one item (a person's, or an automatic flag with no reporter); open until a decision."""

    __table_args__ = (Index("ix_report_open_city", "resolved_at", "city", "created_at"),
                      Index("ix_report_subject", "subject_kind", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    city: Mapped[str | None] = mapped_column(String(20))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]

    reporter: Mapped[User | None] = relationship()

    @property
    def reason_label(self) -> str:
        """Return the reason in words."""
        return str(REASON_LABELS.get(self.reason, self.reason))

    @property
    def is_automatic(self) -> bool:
        """Tell whether the site raised this report itself (no reporter)."""
        return self.reporter_id is None


class ModerationDecision(Model):
    """One moderator's decision about one item (hide, close, restore, approve, reject), with its reason; never
    changed — the item's moderation history."""

    __tablename__ = "moderation_decision"
    __table_args__ = (Index("ix_moderation_decision_subject", "subject_kind", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(500), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decided_by: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        """Return the decision in words."""
        return str(DECISION_LABELS.get(self.action, self.action))


DECISION_LABELS = {
    "hide": _l("Hidden"),
    "close": _l("Closed"),
    "restore": _l("Restored"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
    "dismiss": _l("Reports dismissed"),
}


class ModerationMode(str, enum.Enum):
    """How a region treats new listings and needs of unverified organisations."""

    PRE = "pre"
    POST = "post"


MODE_LABELS = {ModerationMode.PRE.value: _l("Pre-moderation: held for review before they are public"),
               ModerationMode.POST.value: _l("Post-moderation: public at once, and in the queue for review")}


class RegionModeration(Model):
    """A region's (city's) moderation mode for unverified organisations; a city without a row uses pre-moderation."""

    __tablename__ = "region_moderation"

    city: Mapped[str] = mapped_column(String(20), primary_key=True)
    mode: Mapped[str] = mapped_column(String(4), default=ModerationMode.PRE.value)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
