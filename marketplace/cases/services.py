"""Case services: the public library, and promotion centers' curation of their own cases.

A center creates and edits cases as drafts, then publishes, features, unfeatures or unpublishes them
through the case process (`marketplace.cases.process.CASE`); who may is `marketplace.cases.permissions`;
which cases are public is `marketplace.cases.selectors`.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.cases.models import Case, CaseResult, CaseState
from marketplace.cases.process import CASE
from marketplace.cases.selectors import PUBLIC_STATES, featured_first, public_cases
from marketplace.catalog.models import Offering
from marketplace.catalog.selectors import published
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.moderated import shown
from marketplace.needs.models import Need, NeedStatus

CASE_FIELDS = ("title", "enterprise_name", "anonymous", "industry", "scenario", "city", "problem", "solution",
               "investment_fen", "year")
RESULT_FIELDS = ("indicator", "before", "after", "unit", "better")


def browse_cases(filters: dict, vendor_id: int | None = None, offering_id: int | None = None):
    """Return a select of public cases matching the filters, featured first, newest year first."""
    stmt = public_cases()
    for name in ("industry", "scenario", "city"):
        if filters.get(name):
            stmt = stmt.where(getattr(Case, name) == filters[name])
    if filters.get("year"):
        stmt = stmt.where(Case.year == filters["year"])
    if vendor_id is not None:
        stmt = stmt.where(Case.vendor_id == vendor_id)
    if offering_id is not None:
        stmt = stmt.where(Case.offering_id == offering_id)
    return stmt.order_by(featured_first(), Case.year.desc(), Case.id.desc())


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


def transition_case(case: Case, action: str, user: User, **values) -> Case:
    """Fire one move of the case process (publish, feature, unfeature, unpublish, moderate); the caller commits."""
    return CASE.fire(case.id, action, user, **values)


def cases_of_center(center_id: int) -> Select:
    """Select every case a center curates, drafts included, newest year first, with what its row shows loaded."""
    return (select(Case).where(Case.center_id == center_id)
            .options(selectinload(Case.vendor), selectinload(Case.results))
            .order_by(Case.year.desc(), Case.id.desc()))


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
                                                                          Case.state.in_(PUBLIC_STATES), shown(Case))
                              .group_by(Case.vendor_id))
    return {vendor_id: n for vendor_id, n in rows if vendor_id is not None}  # IN (...) never matches NULL


def collection_years() -> list[int]:
    """Return the years that have public cases, newest first (one 典型案例集 per year)."""
    return list(db.session.scalars(public_cases().with_only_columns(Case.year).distinct()
                                   .order_by(Case.year.desc())))


def collection_cases(year: int) -> list[Case]:
    """Return the public cases of one year in collection order: featured first, then by industry and title."""
    return list(db.session.scalars(public_cases().where(Case.year == year)
                                   .order_by(featured_first(), Case.industry,
                                             Case.scenario, Case.id)))


def link_choices() -> dict[str, list]:
    """Return what a case may link to: vendors, their published offerings, and needs past the open stage."""
    vendors = list(db.session.scalars(select(Organisation).where(Organisation.kind == OrgKind.VENDOR.value)
                                      .order_by(Organisation.name)))
    offerings = list(db.session.scalars(published(Offering)
                                        .order_by(Offering.organisation_id, Offering.title)))
    needs = list(db.session.scalars(select(Need).where(Need.status.in_((NeedStatus.CONTRACTED.value,
                                                                        NeedStatus.CLOSED.value)))
                                    .order_by(Need.created_at.desc(), Need.id.desc())))
    return {"vendors": vendors, "offerings": offerings, "needs": needs}
