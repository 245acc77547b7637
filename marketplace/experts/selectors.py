"""Which experts are in the public pool, and which requests a user follows or answers."""
from __future__ import annotations

from sqlalchemy import Select, exists, select

from marketplace.experts.models import Expert, ExpertRequest, RequestState
from marketplace.moderated import shown

OPEN_STATES = frozenset({RequestState.REQUESTED.value, RequestState.SCHEDULED.value})
"""Requests still being worked: waiting for the center's answer, or scheduled and not yet held."""

CONTACT_STATES = frozenset({RequestState.SCHEDULED.value, RequestState.COMPLETED.value})
"""Requests whose acceptance lets the requesting SME see the expert's telephone and e-mail."""


def is_public(expert: Expert) -> bool:
    """Tell whether everyone may see an expert: active in the pool and shown (moderation)."""
    return bool(expert.active) and expert.is_shown


def public_experts() -> Select:
    """Select the experts in the public pool."""
    return select(Expert).where(Expert.active.is_(True), shown(Expert))


def experts_of_center(center_id: int) -> Select:
    """Select every expert a promotion center keeps, active or not, newest change first."""
    return select(Expert).where(Expert.center_id == center_id).order_by(Expert.updated_at.desc(), Expert.id.desc())


def requests_of(org_id: int) -> Select:
    """Select an SME's requests to experts, newest first."""
    return (select(ExpertRequest).where(ExpertRequest.organisation_id == org_id)
            .order_by(ExpertRequest.created_at.desc(), ExpertRequest.id.desc()))


def requests_to_center(center_id: int | None) -> Select:
    """Select the requests to a center's experts (None: every center's, for admins), open ones first."""
    stmt = select(ExpertRequest).join(ExpertRequest.expert)
    if center_id is not None:
        stmt = stmt.where(Expert.center_id == center_id)
    return stmt.order_by(ExpertRequest.state.in_(OPEN_STATES).desc(), ExpertRequest.created_at.desc(),
                         ExpertRequest.id.desc())


def waiting_requests(center_id: int) -> Select:
    """Select the requests to a center's experts that wait for its answer."""
    return (select(ExpertRequest.id).join(ExpertRequest.expert)
            .where(Expert.center_id == center_id, ExpertRequest.state == RequestState.REQUESTED.value))


def has_accepted_request(org_id: int, expert_id: int) -> bool:
    """Tell whether an organisation has a request to the expert that the center accepted."""
    from marketplace.extensions import db

    return bool(db.session.scalar(select(exists().where(
        ExpertRequest.organisation_id == org_id, ExpertRequest.expert_id == expert_id,
        ExpertRequest.state.in_(CONTACT_STATES)))))


def open_request(org_id: int, expert_id: int) -> ExpertRequest | None:
    """Return an organisation's request to the expert that is still being worked, if any."""
    from marketplace.extensions import db

    return db.session.scalar(select(ExpertRequest).where(
        ExpertRequest.organisation_id == org_id, ExpertRequest.expert_id == expert_id,
        ExpertRequest.state.in_(OPEN_STATES)).limit(1))
