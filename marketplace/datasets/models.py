"""Industrial datasets and the access requests made to their owners.

A dataset is a listing of its owning organisation (an enterprise or a vendor): what the data is (modality,
volume, time span, labelling), how sensitive it is, how it can be used (metadata only, a sample, a licence, or
可用不可见 — the computation goes to the data) and a data card in the spirit of Hugging Face dataset cards. The
site holds the description only: an access request records who asked, why, and the owner's answer.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.catalog.models import ListingMixin, listing_indexes
from marketplace.db_types import CodeList
from marketplace.extensions import Model


class AccessState(str, enum.Enum):
    """Where an access request stands (see `datasets.process.ACCESS`)."""

    AWAITING = "awaiting_owner"
    GRANTED = "access_granted"
    REFUSED = "access_refused"
    WITHDRAWN = "withdrawn"


class Dataset(ListingMixin, Model):
    """A 工业数据集 listed by its owner: facts, sensitivity, access mode and data card; moderated like listings."""

    __table_args__ = (*listing_indexes("dataset", "modalities"),
                      CheckConstraint("volume_amount >= 0", name="volume_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    modalities: Mapped[list[str]] = mapped_column(CodeList, default=list)
    volume_amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    volume_unit: Mapped[str] = mapped_column(String(40))
    span_from: Mapped[date | None]
    span_to: Mapped[date | None]
    labelling: Mapped[str] = mapped_column(String(10), default="none")
    labels: Mapped[str | None] = mapped_column(String(300))
    sample_available: Mapped[bool] = mapped_column(default=False)
    sensitivity: Mapped[str] = mapped_column(String(12))
    access_mode: Mapped[str] = mapped_column(String(16))
    registration_no: Mapped[str | None] = mapped_column(String(60))
    collection: Mapped[str] = mapped_column(Text)
    processing: Mapped[str | None] = mapped_column(Text)
    intended_uses: Mapped[str | None] = mapped_column(Text)
    limitations: Mapped[str | None] = mapped_column(Text)
    terms: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship()

    @property
    def volume(self) -> str:
        """The volume as a person writes it: 120,000 张, 2.3 TB."""
        amount = self.volume_amount
        text = f"{amount:,.2f}".rstrip("0").rstrip(".") if amount is not None else "—"
        return f"{text} {self.volume_unit}".strip()


class AccessRequest(Model):
    """An organisation's request to use a dataset: the purpose, the model or use intended, and the owner's answer."""

    __tablename__ = "dataset_access_request"
    __table_args__ = (CheckConstraint("length(purpose) > 0", name="purpose"),
                      Index("ix_dataset_access_request_dataset_state", "dataset_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    purpose: Mapped[str] = mapped_column(String(300))
    intended_use: Mapped[str | None] = mapped_column(Text)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("industrial_model.id"))
    state: Mapped[str] = mapped_column(String(16), default=AccessState.AWAITING.value, index=True)
    conditions: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdrawn_at: Mapped[datetime | None]

    dataset: Mapped[Dataset] = relationship()
    organisation: Mapped[Organisation] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    model = relationship("IndustrialModel")

    @property
    def title(self) -> str:
        """What the request is called in lists and the audit log."""
        return self.purpose
