"""Industrial datasets (工业数据集) as a searchable kind: found by search and the API, never a need's solution."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from marketplace.db_types import contains_code
from marketplace.kinds.base import Kind, ModelRef, organisation_city, register
from marketplace.moderated import VISIBLE


@register
class DatasetKind(Kind):
    """Published datasets of enterprises and vendors, with the industry, scenario, modality and access facets.

    What search and the API show is the data card: the data itself never passes through the site."""

    name, model, collection = "dataset", ModelRef("marketplace.datasets.models:Dataset"), "datasets"
    label, plural = _l("Dataset"), _l("Datasets")
    city_reason = _l("Owner based in this city")
    similar_label = _l("Similar datasets")
    detail_endpoint, detail_arg = "datasets.detail", "dataset_id"
    view_permission = "dataset.view"

    def indexed(self) -> Select:
        """Select the published datasets."""
        from marketplace.datasets.selectors import public_datasets

        return public_datasets()

    def is_indexed(self, record) -> bool:
        """Tell whether the dataset is published and shown."""
        from marketplace.datasets.selectors import is_public

        return is_public(record)

    def close_process(self, record):
        """The dataset's publication process: closing delists it."""
        from marketplace.datasets.process import DATASET

        return DATASET

    def loads(self) -> list:
        """The owner with its logo (cards and the API name it)."""
        from marketplace.accounts.models import Organisation

        return [selectinload(self.model.organisation).joinedload(Organisation.logo)]

    def explain_loads(self) -> list:
        """The owner's city (`cities`)."""
        return organisation_city(self.model)

    def findable(self, filters: dict, user) -> Select:
        """Published datasets with the industry, scenario, modality, access-mode and city facets."""
        cls = self.model
        stmt = super().findable(filters, user)
        for name, column in (("industry", cls.industries), ("scenario", cls.scenarios),
                             ("modality", cls.modalities)):
            if filters.get(name):
                stmt = stmt.where(contains_code(column, filters[name]))
        if filters.get("access_mode"):
            stmt = stmt.where(cls.access_mode == filters["access_mode"])
        if filters.get("city"):
            from marketplace.accounts.models import Organisation

            stmt = stmt.join(cls.organisation).where(Organisation.city == filters["city"])
        return stmt

    def cities(self, record) -> set[str]:
        """The owner's city."""
        return {record.organisation.city}

    def text_parts(self, record) -> list[str | None]:
        """Title, summary, what the labels are, how it was collected and what it is meant for."""
        return [record.title, record.summary, record.labels, record.collection, record.intended_uses]

    def serialise(self, record, user) -> dict:
        """The dataset's card (never the data): facts, sensitivity, access mode and the card's sections."""
        return {"id": record.id, "title": record.title, "summary": record.summary, "state": record.state,
                "moderation": record.moderation or VISIBLE, "organisation": record.organisation.name,
                "industries": record.industries, "scenarios": record.scenarios, "modalities": record.modalities,
                "volume": record.volume, "span_from": record.span_from.isoformat() if record.span_from else None,
                "span_to": record.span_to.isoformat() if record.span_to else None, "labelling": record.labelling,
                "labels": record.labels, "sample_available": record.sample_available,
                "sensitivity": record.sensitivity, "access_mode": record.access_mode,
                "registration_no": record.registration_no, "collection": record.collection,
                "processing": record.processing, "intended_uses": record.intended_uses,
                "limitations": record.limitations, "terms": record.terms}

    def brief(self, record, user) -> dict:
        """Title and owner."""
        return {"title": record.title, "organisation": record.organisation.name}



