"""What vendors list: provider profiles, industrial models (model cards) and supermarket offerings."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.catalog.selectors import is_public
from marketplace.db_types import CodeList
from marketplace.extensions import Model, db
from marketplace.moderated import Moderated
from marketplace.states import ListingState
from marketplace.uploads.models import PublicImage

offering_model = Table(
    "offering_model",
    db.metadata,
    Column("offering_id", ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True),
    Column("model_id", ForeignKey("industrial_model.id", ondelete="CASCADE"), primary_key=True),
)


def listing_indexes(table: str, *code_lists: str) -> tuple[Index, ...]:
    """The indexes a listing table's lists use: published newest first (and by price), and each filtered code list
    (GIN on PostgreSQL, where a code list is an array; SQLite filters them by scanning)."""
    return (Index(f"ix_{table}_state_updated_at", "state", "updated_at", "id"),
            *(Index(f"ix_{table}_{name}", name, postgresql_using="gin").ddl_if(dialect="postgresql")
              for name in ("industries", "scenarios", *code_lists)))


def cover_alt(listing) -> str:
    """Return the text alternative of a listing's cover image."""
    return _("Cover image of %(title)s", title=listing.title)


class ListingMixin(Moderated):
    """Columns every listing has: owner, state, taxonomy codes and timestamps."""

    state: Mapped[str] = mapped_column(String(12), default=ListingState.DRAFT.value, index=True)
    industries: Mapped[list[str]] = mapped_column(CodeList, default=list)
    scenarios: Mapped[list[str]] = mapped_column(CodeList, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_published(self) -> bool:
        """Tell whether the public can see this listing (`catalog.selectors.is_public`)."""
        return is_public(self)


class ProviderProfile(ListingMixin, Model):
    """A vendor's 服务商 profile: what it can do, for which industries, scenarios and cities."""

    __table_args__ = listing_indexes("provider_profile", "cities_served")

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    provider_type: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(300))
    capabilities: Mapped[str] = mapped_column(Text)
    cities_served: Mapped[list[str]] = mapped_column(CodeList, default=list)
    reference_cases: Mapped[str | None] = mapped_column(Text)
    certifications: Mapped[str | None] = mapped_column(String(500))
    quality_listed: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship()

    @property
    def title(self) -> str:
        """Return the name shown for this listing."""
        return self.organisation.name

    @property
    def picture(self) -> PublicImage | None:
        """Return the image a provider's cards show: its organisation's logo, if it has one."""
        return self.organisation.logo

    @property
    def picture_alt(self) -> str:
        """Return the text alternative of the provider's picture."""
        return self.organisation.logo_alt

    @property
    def directory_status(self) -> str:
        """Return whether the provider is in the quality provider directory ("listed" or "unlisted")."""
        from marketplace.cases.models import DirectoryStatus

        return (DirectoryStatus.LISTED if self.quality_listed else DirectoryStatus.UNLISTED).value

    @directory_status.setter
    def directory_status(self, status: str) -> None:
        """Move the provider into or out of the directory (the directory process sets this)."""
        from marketplace.cases.models import DirectoryStatus

        self.quality_listed = status == DirectoryStatus.LISTED.value


class IndustrialModel(ListingMixin, Model):
    """A 工业模型 model card: kind, tasks, modalities, deployment, licence and evaluations."""

    __tablename__ = "industrial_model"
    __table_args__ = (*listing_indexes("industrial_model", "deployments"),
                      UniqueConstraint("organisation_id", "sku", name="uq_industrial_model_organisation_id_sku"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    sku: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    tasks: Mapped[str | None] = mapped_column(String(300))
    modalities: Mapped[list[str]] = mapped_column(CodeList, default=list)
    deployments: Mapped[list[str]] = mapped_column(CodeList, default=list)
    hardware: Mapped[str | None] = mapped_column(String(300))
    licence: Mapped[str | None] = mapped_column(String(120))
    intended_use: Mapped[str | None] = mapped_column(Text)
    limitations: Mapped[str | None] = mapped_column(Text)
    training_data: Mapped[str | None] = mapped_column(Text)
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("public_image.id"))

    organisation: Mapped[Organisation] = relationship()
    cover: Mapped[PublicImage | None] = relationship()
    evaluations: Mapped[list[ModelEvaluation]] = relationship(
        back_populates="model", cascade="all, delete-orphan", order_by="ModelEvaluation.id")
    versions: Mapped[list[ModelVersion]] = relationship(
        back_populates="model", cascade="all, delete-orphan",
        order_by="[ModelVersion.released_on.desc(), ModelVersion.id.desc()]")

    @property
    def title(self) -> str:
        """Return the name shown for this listing."""
        return self.name

    @property
    def picture(self) -> PublicImage | None:
        """Return the image the model's cards show: its cover, else its vendor's logo."""
        return self.cover or self.organisation.logo

    @property
    def picture_alt(self) -> str:
        """Return the text alternative of the listing's picture (its cover, or its vendor's logo)."""
        return cover_alt(self) if self.cover is not None else self.organisation.logo_alt


class ModelVersion(Model):
    """One release in a model card's version history: number, release date and what changed.

    Rows are only ever added (`catalog.services.add_model_version`); a later release is a new row, never an edit
    of an older one."""

    __tablename__ = "model_version"
    __table_args__ = (UniqueConstraint("model_id", "number", name="uq_model_version_model_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("industrial_model.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(30))
    released_on: Mapped[date]
    notes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    model: Mapped[IndustrialModel] = relationship(back_populates="versions")


class Attestation(str, enum.Enum):
    """Whether an evaluation row counts as third-party: only once the evaluator it names has confirmed it.

    self_reported (no evaluator organisation named) · pending (named, awaiting its confirmation) ·
    attested (confirmed on the site) · declined (the named evaluator said it is not theirs, with a reason).
    Everything but `attested` shows as self-reported; the process is `marketplace.trust.process.ATTESTATION`."""

    SELF_REPORTED = "self_reported"
    PENDING = "pending"
    ATTESTED = "attested"
    DECLINED = "declined"


class ModelEvaluation(Model):
    """One row of a model card's evaluation table (工业模型评测体系), self-reported unless its evaluator attests it."""

    __tablename__ = "model_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("industrial_model.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(40))
    dataset: Mapped[str] = mapped_column(String(200))
    evaluator: Mapped[str] = mapped_column(String(120))
    evaluator_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    attestation: Mapped[str] = mapped_column(String(16), default=Attestation.SELF_REPORTED.value)
    attested_at: Mapped[datetime | None]
    attested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    attestation_note: Mapped[str | None] = mapped_column(String(500))

    model: Mapped[IndustrialModel] = relationship(back_populates="evaluations")
    evaluator_org: Mapped[Organisation | None] = relationship(foreign_keys=[evaluator_org_id])
    attested_by: Mapped[User | None] = relationship(foreign_keys=[attested_by_id])

    @property
    def is_attested(self) -> bool:
        """Tell whether the named evaluator organisation confirmed this result on the site (third-party)."""
        return self.attestation == Attestation.ATTESTED.value

    @property
    def is_awaiting_attestation(self) -> bool:
        """Tell whether the row names an evaluator organisation that has not answered yet."""
        return self.attestation == Attestation.PENDING.value

    @property
    def is_declined(self) -> bool:
        """Tell whether the named evaluator organisation declined to confirm this result."""
        return self.attestation == Attestation.DECLINED.value

    @property
    def row_id(self) -> int:
        """The row's id, as the model-card form carries it so an edit keeps (or resets) the same row."""
        return self.id

    def claim(self) -> tuple[str, str, str, int | None]:
        """What an attestation vouches for: metric, value, dataset and the evaluator organisation named."""
        return (self.metric, self.value, self.dataset, self.evaluator_org_id)


class Offering(ListingMixin, Model):
    """A 模型超市 offering an SME can buy now: plan, price in fen, delivery (模型券 eligibility is the region's
    catalogue, `marketplace.redemptions.catalogue`)."""

    __table_args__ = (*listing_indexes("offering", "deployments"),
                      Index("ix_offering_state_price_fen", "state", "price_fen", "id"),
                      UniqueConstraint("organisation_id", "sku", name="uq_offering_organisation_id_sku"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    sku: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    pricing_plan: Mapped[str] = mapped_column(String(20))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    delivery_days: Mapped[int]
    deployments: Mapped[list[str]] = mapped_column(CodeList, default=list)
    tags: Mapped[str | None] = mapped_column(String(300))
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("public_image.id"))

    organisation: Mapped[Organisation] = relationship()
    cover: Mapped[PublicImage | None] = relationship()
    models: Mapped[list[IndustrialModel]] = relationship(secondary=offering_model, order_by="IndustrialModel.id")

    @property
    def picture(self) -> PublicImage | None:
        """Return the image the offering's cards show: its cover, else its vendor's logo."""
        return self.cover or self.organisation.logo

    @property
    def picture_alt(self) -> str:
        """Return the text alternative of the listing's picture (its cover, or its vendor's logo)."""
        return cover_alt(self) if self.cover is not None else self.organisation.logo_alt

