"""Dataset services: list and edit a dataset, browse the public ones, ask for access, tell the other side.

Plain functions; the caller commits once. State changes go through `datasets.process`.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, or_

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.catalog.models import IndustrialModel
from marketplace.datasets.models import AccessRequest, AccessState, Dataset
from marketplace.datasets.selectors import open_request, public_datasets
from marketplace.db_types import contains_code
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.notifications.services import notify, path_for
from marketplace.permissions import require

DATASET_FIELDS = ("title", "summary", "industries", "scenarios", "modalities", "volume_amount", "volume_unit",
                  "span_from", "span_to", "labelling", "labels", "sample_available", "sensitivity", "access_mode",
                  "registration_no", "collection", "processing", "intended_uses", "limitations", "terms")

CONFINED_SENSITIVITIES = frozenset({"core"})
"""Sensitivity classes whose data may only be described or computed on where it lies (可用不可见)."""
CONFINED_MODES = frozenset({"metadata", "compute_to_data"})
"""The access modes such data allows."""


def check_dataset(fields: dict) -> None:
    """Refuse a dataset whose facts contradict each other, saying which field is wrong."""
    start, end = fields.get("span_from"), fields.get("span_to")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise DomainError(_("The time span ends before it starts."), "span_to")
    if fields.get("sensitivity") in CONFINED_SENSITIVITIES and fields.get("access_mode") not in CONFINED_MODES:
        raise DomainError(_("Core data (核心数据) never leaves its owner: choose “metadata only” or “computation "
                            "goes to the data”."), "access_mode")
    if fields.get("labelling") in ("partial", "full") and not (fields.get("labels") or "").strip():
        raise DomainError(_("Say what the labels are (for example 针孔、色差、裂纹)."), "labels")
    if fields.get("sample_available") and fields.get("access_mode") == "metadata":
        raise DomainError(_("A dataset listed as metadata only offers no sample; choose another access mode."),
                          "sample_available")
    amount = fields.get("volume_amount")
    if amount is not None and Decimal(amount) < 0:
        raise DomainError(_("The volume cannot be negative."), "volume_amount")


def save_dataset(owner: Organisation, user: User, fields: dict, dataset: Dataset | None = None) -> Dataset:
    """List a dataset as a draft, or change one the organisation owns; audited. The caller commits."""
    require(user, "dataset.create" if dataset is None else "dataset.edit", dataset)
    merged = {key: getattr(dataset, key) for key in DATASET_FIELDS} if dataset is not None else {}
    merged.update(fields)
    check_dataset(merged)
    created = dataset is None
    if dataset is None:
        dataset = Dataset(organisation_id=owner.id)
        db.session.add(dataset)
    for key in DATASET_FIELDS:
        if key in fields:
            setattr(dataset, key, fields[key])
    dataset.registration_no = (dataset.registration_no or "").strip() or None
    db.session.flush()
    if not created:
        from marketplace.moderation.services import screen_edit

        screen_edit(dataset)
    record_audit("dataset.listed" if created else "dataset.changed", user, dataset, {"title": dataset.title})
    return dataset


def browse_datasets(filters: dict) -> Select:
    """Select the public datasets with the filters asked for (modality, access mode, industry, scenario,
    sensitivity, sample, words), newest first."""
    stmt = public_datasets()
    for name, column in (("industry", Dataset.industries), ("scenario", Dataset.scenarios),
                         ("modality", Dataset.modalities)):
        if filters.get(name):
            stmt = stmt.where(contains_code(column, filters[name]))
    for name, single in (("access_mode", Dataset.access_mode), ("sensitivity", Dataset.sensitivity)):
        if filters.get(name):
            stmt = stmt.where(single == filters[name])
    if filters.get("sample"):
        stmt = stmt.where(Dataset.sample_available.is_(True))
    words = (filters.get("q") or "").strip()
    if words:
        like = f"%{words[:60]}%"
        stmt = stmt.where(or_(Dataset.title.ilike(like), Dataset.summary.ilike(like), Dataset.labels.ilike(like)))
    return stmt.order_by(Dataset.updated_at.desc(), Dataset.id.desc())


def request_access(dataset: Dataset, user: User, purpose: str, intended_use: str | None,
                   model_id: int | None = None) -> AccessRequest:
    """Ask the owner to use a dataset for a purpose (and, if named, to train or tune one of the requester's
    models); the owner is told. One waiting request per organisation and dataset. The caller commits."""
    require(user, "dataset.request_access", dataset)
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("Say what you want to use the data for."), "purpose")
    if open_request(user.organisation_id, dataset.id) is not None:
        raise DomainError(_("Your organisation already has a request to this dataset waiting for the owner."))
    if model_id is not None:
        model = db.session.get(IndustrialModel, model_id)
        if model is None or model.organisation_id != user.organisation_id:
            raise DomainError(_("Choose one of your own models."), "model_id")
    access = AccessRequest(dataset=dataset, organisation_id=user.organisation_id, requested_by_id=user.id,
                           purpose=purpose[:300], intended_use=(intended_use or "").strip() or None,
                           model_id=model_id, state=AccessState.AWAITING.value)
    db.session.add(access)
    db.session.flush()
    record_audit("access_request.created", user, access, {"dataset": dataset.title})
    notify([dataset.organisation_id], "dataset_access_requested",
           {"org": user.organisation.name, "dataset": dataset.title, "purpose": access.purpose},
           path_for("datasets.request_detail", request_id=access.id), f"access_request:{access.id}:new", user)
    return access


def notify_about(access: AccessRequest, user) -> None:
    """After a move, tell the side that did not make it (the requester of the answer, the owner of a withdrawal)."""
    link = path_for("datasets.request_detail", request_id=access.id)
    key = f"access_request:{access.id}:{access.state}"
    params = {"dataset": access.dataset.title, "org": access.organisation.name,
              "reason": access.reason or "", "conditions": access.conditions or ""}
    if access.state == AccessState.WITHDRAWN.value:
        notify([access.dataset.organisation_id], "dataset_access_withdrawn", params, link, key, user)
    else:
        notify([access.organisation_id], f"dataset_{access.state}", params, link, key, user)
