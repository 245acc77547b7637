"""模数共振 agreements (versioned, signed by every party), the append-only revenue ledger, and
demonstration selections."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, utcnow
from marketplace.catalog.models import IndustrialModel, Offering
from marketplace.extensions import Model, db

if TYPE_CHECKING:  # imported where used: the datasets package is mapped when the app registers its blueprint
    from marketplace.datasets.models import Dataset


class AgreementState(str, enum.Enum):
    """An agreement is a draft until a version is signed by all, active, then possibly terminated."""

    DRAFT = "draft"
    ACTIVE = "active"
    TERMINATED = "terminated"


class VersionState(str, enum.Enum):
    """A version awaits signatures, is in force, was replaced by a later one, or was withdrawn unsigned."""

    PENDING = "pending"
    ACTIVE = "active"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class PartyRole(str, enum.Enum):
    """What a party brings: industrial data, the model, or coordination (promotion center / platform)."""

    DATA = "data"
    MODEL = "model"
    CENTER = "center"
    PLATFORM = "platform"


ROLE_KINDS = {PartyRole.DATA.value: {"enterprise"}, PartyRole.MODEL.value: {"vendor"},
              PartyRole.CENTER.value: {"center"}, PartyRole.PLATFORM.value: {"platform"}}

version_offering = Table(
    "agreement_version_offering",
    db.metadata,
    Column("version_id", ForeignKey("agreement_version.id", ondelete="CASCADE"), primary_key=True),
    Column("offering_id", ForeignKey("offering.id"), primary_key=True),
)

version_dataset = Table(
    "agreement_version_dataset",
    db.metadata,
    Column("version_id", ForeignKey("agreement_version.id", ondelete="CASCADE"), primary_key=True),
    Column("dataset_id", ForeignKey("dataset.id"), primary_key=True, index=True),
)
"""The datasets a version names as its data side."""

version_model = Table(
    "agreement_version_model",
    db.metadata,
    Column("version_id", ForeignKey("agreement_version.id", ondelete="CASCADE"), primary_key=True),
    Column("model_id", ForeignKey("industrial_model.id"), primary_key=True, index=True),
)
"""The model cards a version names as its model side."""


class Agreement(Model):
    """A 模数共振 agreement: manufacturers' data and a vendor's model become an agent whose revenue is shared."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    agent_description: Mapped[str] = mapped_column(Text)
    data_description: Mapped[str] = mapped_column(Text)
    created_by_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default=AgreementState.DRAFT.value, index=True)
    termination_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    terminated_at: Mapped[datetime | None]

    created_by: Mapped[Organisation] = relationship()
    versions: Mapped[list[AgreementVersion]] = relationship(back_populates="agreement",
                                                              order_by="AgreementVersion.number")

    @property
    def active_version(self) -> AgreementVersion | None:
        """Return the version in force, if any."""
        return next((v for v in self.versions if v.state == VersionState.ACTIVE.value), None)

    @property
    def pending_version(self) -> AgreementVersion | None:
        """Return the version awaiting signatures, if any."""
        return next((v for v in self.versions if v.state == VersionState.PENDING.value), None)

    @property
    def latest_version(self) -> AgreementVersion:
        """Return the newest version."""
        return self.versions[-1]


class AgreementVersion(Model):
    """One version of an agreement's terms: parties with shares, the offerings it covers, and the datasets (data
    side) and models (model side) it names; the agreement's free texts describe them."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(12), default=VersionState.PENDING.value, index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None]
    superseded_at: Mapped[datetime | None]

    agreement: Mapped[Agreement] = relationship(back_populates="versions")
    parties: Mapped[list[AgreementParty]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                           order_by="AgreementParty.id")
    offerings: Mapped[list[Offering]] = relationship(secondary=version_offering, order_by="Offering.id")
    models: Mapped[list[IndustrialModel]] = relationship(secondary=version_model, order_by="IndustrialModel.id")

    @property
    def datasets(self) -> list[Dataset]:
        """The datasets this version names as its data side (read from the link table: the datasets package is
        mapped with its blueprint, after this module, so no ORM relationship points at it)."""
        from sqlalchemy import select

        from marketplace.datasets.models import Dataset

        if self.id is None:
            return []
        return list(db.session.scalars(select(Dataset).join(version_dataset, version_dataset.c.dataset_id == Dataset.id)
                                       .where(version_dataset.c.version_id == self.id).order_by(Dataset.id)))

    @property
    def shares(self) -> dict[int, int]:
        """Return {organisation id: basis points}."""
        return {p.organisation_id: p.share_bp for p in self.parties}

    @property
    def fully_signed(self) -> bool:
        """Tell whether every party has signed."""
        return all(p.signed_at is not None for p in self.parties)


class AgreementParty(Model):
    """A party to a version: its role, its share in basis points and its signature."""

    __tablename__ = "agreement_party"
    __table_args__ = (UniqueConstraint("version_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    share_bp: Mapped[int]
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    version: Mapped[AgreementVersion] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()

    @property
    def role_label(self) -> str:
        """The party's role in the reader's language."""
        from flask_babel import gettext as _

        labels = {PartyRole.DATA.value: _("Data provider (数据方)"),
                  PartyRole.MODEL.value: _("Model developer (模型方)"),
                  PartyRole.CENTER.value: _("Promotion center")}
        return labels.get(self.role, _("Platform"))


class LedgerEntry(Model):
    """An append-only revenue-sharing row: one party's share of one paid order, or its reversal on refund."""

    __tablename__ = "ledger_entry"
    __table_args__ = (UniqueConstraint("order_id", "party_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_version.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    share_bp: Mapped[int]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    @property
    def kind_label(self) -> str:
        """What the row is, in the reader's language: a revenue share or its reversal on refund."""
        from flask_babel import gettext as _

        return _("Revenue share") if self.kind == "revenue" else _("Reversal (refund)")

    agreement: Mapped[Agreement] = relationship()
    version: Mapped[AgreementVersion] = relationship()
    party: Mapped[Organisation] = relationship()
    order = relationship("Order")


class DemonstrationSelection(Model):
    """A promotion center's selection of an active agreement as a 模数共振 demonstration case for a year."""

    __tablename__ = "demonstration_selection"
    __table_args__ = (UniqueConstraint("agreement_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    award_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship()
    center: Mapped[Organisation] = relationship()


class AppendOnlyViolation(RuntimeError):
    """Raised when code tries to edit or delete a ledger row."""


_GUARDED: set[type] = set()


def guard_append_only(*classes: type) -> None:
    """Refuse updates and deletes of ledger rows at flush time (the database refuses them too); once per class."""
    from sqlalchemy import event

    for cls in classes:
        if cls in _GUARDED:
            continue
        _GUARDED.add(cls)
        for name in ("before_update", "before_delete"):
            event.listen(cls, name, _refuse(cls.__name__, name))


def _refuse(class_name: str, event_name: str):
    """Build a mapper listener that refuses one kind of change."""

    def listener(mapper, connection, target):
        raise AppendOnlyViolation(f"{class_name} rows are append-only ({event_name.split('_')[1]} refused)")

    return listener
