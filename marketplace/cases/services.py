"""Case services: the public library, and promotion centers' curation of their own cases.

A center creates and edits cases as drafts, then publishes, features, unfeatures or unpublishes them
through `CASE_TRANSITIONS`; a case needs at least one measured result before it goes public.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.cases.models import CASE_TRANSITIONS, Case, CaseResult, CaseState
from marketplace.catalog.models import Offering
from marketplace.catalog.services import text_condition
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.needs.models import Need, NeedStatus
from marketplace.states import IllegalTransition, ListingState, next_state

PUBLIC_STATES = (CaseState.PUBLISHED.value, CaseState.FEATURED.value)
CASE_FIELDS = ("title", "enterprise_name", "industry", "scenario", "city", "problem", "solution",
               "investment_fen", "year")
RESULT_FIELDS = ("indicator", "before", "after", "unit", "better")


def browse_cases(filters: dict, vendor_id: int | None = None, offering_id: int | None = None):
    """Return a select of public cases matching the filters, featured first, newest year first."""
    stmt = select(Case).where(Case.state.in_(PUBLIC_STATES))
    for name in ("industry", "scenario", "city"):
        if filters.get(name):
            stmt = stmt.where(getattr(Case, name) == filters[name])
    if filters.get("year"):
        stmt = stmt.where(Case.year == filters["year"])
    if vendor_id is not None:
        stmt = stmt.where(Case.vendor_id == vendor_id)
    if offering_id is not None:
        stmt = stmt.where(Case.offering_id == offering_id)
    if filters.get("q"):
        stmt = stmt.where(text_condition(filters["q"], Case.title, Case.problem, Case.solution,
                                         Case.enterprise_name))
    return stmt.order_by((Case.state == CaseState.FEATURED.value).desc(), Case.year.desc(), Case.id.desc())


def require_center(user: User) -> Organisation:
    """Return the user's promotion center, or refuse."""
    if not user.is_authenticated or not user.organisation.is_center:
        raise PermissionDenied()
    return user.organisation


def ensure_curator(case: Case, user: User) -> None:
    """Refuse unless the user acts for the center that curates the case (admins may moderate)."""
    if not user.is_authenticated:
        raise PermissionDenied()
    if user.is_admin:
        return
    if not user.organisation.is_center or case.center_id != user.organisation_id:
        raise PermissionDenied()


def can_view_case(case: Case, user: User) -> bool:
    """Tell whether a user may read a case: public ones to all, drafts to their center and admins."""
    if case.is_public:
        return True
    return bool(user.is_authenticated and (user.is_admin or case.center_id == user.organisation_id))


def save_case(center: Organisation, fields: dict, results: list[dict], case: Case | None = None) -> Case:
    """Create (as a draft) or update a case with its measured results; the caller commits.

    The offering must belong to the vendor; with an offering and no vendor, the offering's vendor is taken.
    """
    vendor = db.session.get(Organisation, fields["vendor_id"]) if fields.get("vendor_id") else None
    offering = db.session.get(Offering, fields["offering_id"]) if fields.get("offering_id") else None
    need = db.session.get(Need, fields["need_id"]) if fields.get("need_id") else None
    if vendor is not None and vendor.kind != OrgKind.VENDOR.value:
        raise DomainError(_("Choose a service provider."), "vendor_id")
    if offering is not None:
        if vendor is None:
            vendor = offering.organisation
        elif offering.organisation_id != vendor.id:
            raise DomainError(_("This offering belongs to another provider."), "offering_id")
    if fields.get("need_id") and need is None:
        raise DomainError(_("That need does not exist."), "need_id")
    if case is None:
        case = Case(center=center, state=CaseState.DRAFT.value)
        db.session.add(case)
    for key in CASE_FIELDS:
        if key in fields:
            setattr(case, key, fields[key])
    case.vendor, case.offering, case.need = vendor, offering, need
    case.results = [CaseResult(**{k: row[k] for k in RESULT_FIELDS}) for row in results]
    return case


def transition_case(case: Case, action: str, user: User) -> Case:
    """Publish, feature, unfeature or unpublish a case the user curates; illegal moves raise IllegalTransition."""
    ensure_curator(case, user)
    target = next_state(CASE_TRANSITIONS, action, case.state)
    if target != CaseState.DRAFT and not case.results:
        raise IllegalTransition(_("A case needs at least one measured result before it is published."))
    case.state = target.value
    return case


def cases_of_center(center_id: int) -> list[Case]:
    """Return every case a center curates, drafts included, newest year first."""
    return list(db.session.scalars(select(Case).where(Case.center_id == center_id)
                                   .order_by(Case.year.desc(), Case.id.desc())))


def delivered_cases(vendor_id: int | None = None, offering_id: int | None = None, limit: int = 6) -> list[Case]:
    """Return the public cases a provider or an offering delivered, featured first."""
    if vendor_id is None and offering_id is None:
        return []
    return list(db.session.scalars(browse_cases({}, vendor_id=vendor_id, offering_id=offering_id).limit(limit)))


def published_case_counts(vendor_ids) -> dict[int, int]:
    """Return {vendor organisation id: number of public cases it delivered} for the given vendors."""
    ids = list(vendor_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Case.vendor_id, func.count()).where(Case.vendor_id.in_(ids),
                                                                          Case.state.in_(PUBLIC_STATES))
                              .group_by(Case.vendor_id))
    return {vendor_id: n for vendor_id, n in rows}


def collection_years() -> list[int]:
    """Return the years that have public cases, newest first (one 典型案例集 per year)."""
    return list(db.session.scalars(select(Case.year).where(Case.state.in_(PUBLIC_STATES)).distinct()
                                   .order_by(Case.year.desc())))


def collection_cases(year: int) -> list[Case]:
    """Return the public cases of one year in collection order: featured first, then by industry and title."""
    return list(db.session.scalars(select(Case).where(Case.year == year, Case.state.in_(PUBLIC_STATES))
                                   .order_by((Case.state == CaseState.FEATURED.value).desc(), Case.industry,
                                             Case.scenario, Case.id)))


def link_choices() -> dict[str, list]:
    """Return what a case may link to: vendors, their published offerings, and needs past the open stage."""
    vendors = list(db.session.scalars(select(Organisation).where(Organisation.kind == OrgKind.VENDOR.value)
                                      .order_by(Organisation.name)))
    offerings = list(db.session.scalars(select(Offering).where(Offering.state == ListingState.PUBLISHED.value)
                                        .order_by(Offering.organisation_id, Offering.title)))
    needs = list(db.session.scalars(select(Need).where(Need.status.in_((NeedStatus.CONTRACTED.value,
                                                                        NeedStatus.CLOSED.value)))
                                    .order_by(Need.created_at.desc(), Need.id.desc())))
    return {"vendors": vendors, "offerings": offerings, "needs": needs}
