"""Which datasets are public, which a user may see, which a organisation may use, and whose access requests are
whose."""
from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from marketplace.catalog import selectors as listing_selectors
from marketplace.datasets.models import AccessRequest, AccessState, Dataset
from marketplace.extensions import db

OPEN_STATES = frozenset({AccessState.AWAITING.value})
"""Requests still waiting for the owner's answer."""


def is_public(dataset: Dataset) -> bool:
    """Tell whether everyone may see a dataset: published and shown (the listings' one definition)."""
    return listing_selectors.is_public(dataset)


def public_datasets() -> Select:
    """Select the published, shown datasets."""
    return listing_selectors.published(Dataset)


def visible_to(user) -> Select:
    """Select the datasets a user may see: published ones, plus the organisation's own in any state."""
    return listing_selectors.visible_to(Dataset, user)


def datasets_of(org_id: int) -> Select:
    """Select every dataset an organisation owns, newest change first."""
    return (select(Dataset).where(Dataset.organisation_id == org_id)
            .order_by(Dataset.updated_at.desc(), Dataset.id.desc()))


def granted_dataset_ids(org_id: int) -> Select:
    """Select the ids of the datasets whose owners granted the organisation access."""
    return select(AccessRequest.dataset_id).where(AccessRequest.organisation_id == org_id,
                                                  AccessRequest.state == AccessState.GRANTED.value)


def usable_datasets(org_id: int) -> Select:
    """Select the datasets an organisation may name in an agreement: its own, and those it was granted access to."""
    return (select(Dataset).where(or_(Dataset.organisation_id == org_id, Dataset.id.in_(granted_dataset_ids(org_id))))
            .order_by(Dataset.title, Dataset.id))


def has_granted_access(org_id: int | None, dataset_id: int) -> bool:
    """Tell whether the organisation holds a granted request to the dataset."""
    if org_id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        AccessRequest.organisation_id == org_id, AccessRequest.dataset_id == dataset_id,
        AccessRequest.state == AccessState.GRANTED.value))))


def open_request(org_id: int, dataset_id: int) -> AccessRequest | None:
    """Return the organisation's request to the dataset that waits for an answer, if any."""
    return db.session.scalar(select(AccessRequest).where(
        AccessRequest.organisation_id == org_id, AccessRequest.dataset_id == dataset_id,
        AccessRequest.state.in_(OPEN_STATES)).limit(1))


def latest_request(org_id: int, dataset_id: int) -> AccessRequest | None:
    """Return the organisation's newest request to the dataset, whatever its state."""
    return db.session.scalar(select(AccessRequest).where(
        AccessRequest.organisation_id == org_id, AccessRequest.dataset_id == dataset_id)
        .order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc()).limit(1))


def requests_to_owner(org_id: int | None) -> Select:
    """Select the requests to an owner's datasets (None: every owner's, for admins), waiting ones first."""
    stmt = select(AccessRequest).join(AccessRequest.dataset)
    if org_id is not None:
        stmt = stmt.where(Dataset.organisation_id == org_id)
    return stmt.order_by(AccessRequest.state.in_(OPEN_STATES).desc(), AccessRequest.created_at.desc(),
                         AccessRequest.id.desc())


def requests_by(org_id: int) -> Select:
    """Select the requests an organisation made, newest first."""
    return (select(AccessRequest).where(AccessRequest.organisation_id == org_id)
            .order_by(AccessRequest.created_at.desc(), AccessRequest.id.desc()))


def waiting_requests(org_id: int) -> Select:
    """Select the ids of the requests to an owner's datasets that wait for its answer."""
    return (select(AccessRequest.id).join(AccessRequest.dataset)
            .where(Dataset.organisation_id == org_id, AccessRequest.state.in_(OPEN_STATES)))
