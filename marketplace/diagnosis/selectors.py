"""Which assessments, visits, follow-ups and enterprises a page lists: the one place that spells these out."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, exists, func, not_, select

from marketplace.accounts.models import Organisation, OrgKind
from marketplace.diagnosis.models import Assessment, DiagnosisVisit, FollowUp, FollowUpState, VisitState


def assessments_of(org_id: int) -> Select:
    """Select an enterprise's self-assessments, newest first."""
    return (select(Assessment).where(Assessment.organisation_id == org_id)
            .order_by(Assessment.taken_at.desc(), Assessment.id.desc()))


def visits_of(org_id: int) -> Select:
    """Select an enterprise's diagnosis visits, newest first."""
    return (select(DiagnosisVisit).where(DiagnosisVisit.organisation_id == org_id)
            .order_by(DiagnosisVisit.visited_on.desc(), DiagnosisVisit.id.desc()))


def follow_ups_of(org_id: int) -> Select:
    """Select an enterprise's follow-ups: open ones first, by due date."""
    return (select(FollowUp).where(FollowUp.organisation_id == org_id)
            .order_by((FollowUp.state == FollowUpState.OPEN.value).desc(), FollowUp.due_on, FollowUp.id))


def enterprises_in(city: str | None) -> Select:
    """Select the enterprises of a city (None: every city), by name."""
    stmt = select(Organisation).where(Organisation.kind == OrgKind.ENTERPRISE.value)
    if city is not None:
        stmt = stmt.where(Organisation.city == city)
    return stmt.order_by(Organisation.name, Organisation.id)


def has_visit():
    """The condition: the enterprise has had a diagnosis visit."""
    return exists().where(DiagnosisVisit.organisation_id == Organisation.id)


def without_diagnosis(stmt: Select) -> Select:
    """Narrow a select of enterprises to those never visited for a diagnosis."""
    return stmt.where(not_(has_visit()))


def awaiting_confirmation(city: str | None) -> Select:
    """Select the enterprises of a city whose newest self-assessment no confirmed visit has followed yet."""
    confirmed_since = exists().where(DiagnosisVisit.organisation_id == Assessment.organisation_id,
                                     DiagnosisVisit.state == VisitState.CONFIRMED.value,
                                     DiagnosisVisit.confirmed_at >= Assessment.taken_at)
    pending = exists().where(Assessment.organisation_id == Organisation.id, not_(confirmed_since),
                             Assessment.taken_at == select(func.max(Assessment.taken_at))
                             .where(Assessment.organisation_id == Organisation.id).correlate(Organisation)
                             .scalar_subquery())
    return enterprises_in(city).where(pending)


def open_follow_ups(org_ids: list[int]) -> Select:
    """Select the open follow-ups of some enterprises, earliest due first."""
    return (select(FollowUp).where(FollowUp.organisation_id.in_(org_ids), FollowUp.state == FollowUpState.OPEN.value)
            .order_by(FollowUp.due_on, FollowUp.id))


def overdue(today: date):
    """The condition: an open follow-up past its due date."""
    return and_(FollowUp.state == FollowUpState.OPEN.value, FollowUp.due_on < today)
