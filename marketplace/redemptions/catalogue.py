"""The 模型券 service catalogue per region: vendors apply with an offering, the region's center admits,
refuses or removes it; an offering is 模型券-eligible for a buyer only in the catalogue of the buyer's region.

A region is a city code with a 模型券 instrument in force (`marketplace/policy/rules.py`, edited by centers). Vendors no
longer tick eligibility themselves: the self-declared flag is gone (migration 0016), and every consumer —
the quote, the list filter, cards, the API — asks this module.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.audit.services import record_audit
from marketplace.catalog.models import Offering
from marketplace.catalog.selectors import published
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.permissions import acts_as, can, require
from marketplace.policy.rules import region_for, rules_in_force
from marketplace.redemptions.models import CatalogueEntry, EntryState
from marketplace.redemptions.process import CATALOGUE, REFUSED, REMOVED

LISTED = EntryState.LISTED.value
VOUCHER_CODE = "model_voucher"


def voucher_regions() -> list[str]:
    """Return the regions that have a 模型券 instrument configured (any year), the default region first."""
    default, instruments = rules_in_force()
    regions = sorted({i.region for i in instruments if i.code == VOUCHER_CODE})
    return sorted(regions, key=lambda r: r != default)


def vendor_may_offer_vouchers_sql():
    """The SQL form of `organisation.offer_vouchers` (a verified vendor), for list filters; kept beside the
    rule's test (`tests/redemptions/test_catalogue.py`) that checks both agree."""
    return and_(Organisation.kind == OrgKind.VENDOR.value, Organisation.verified_at.is_not(None))


def eligible_offering_ids(region: str | None) -> Select:
    """Select the ids of offerings 模型券-eligible in a region (any region when None): admitted to its
    catalogue, and their vendor may offer vouchers."""
    stmt = (select(CatalogueEntry.offering_id)
            .join(Offering, Offering.id == CatalogueEntry.offering_id)
            .join(Organisation, Organisation.id == Offering.organisation_id)
            .where(CatalogueEntry.state == LISTED, vendor_may_offer_vouchers_sql()))
    if region is not None:
        stmt = stmt.where(CatalogueEntry.region == region)
    return stmt


def buyer_region(user, today: date | None = None) -> str | None:
    """Return the region whose catalogue applies to a signed-in SME this year: "" (no catalogue) when its city
    has no 模型券 rules in force, None (any region) for everyone else."""
    if not acts_as(user, "enterprise"):
        return None
    return region_for(user.organisation.city, (today or date.today()).year) or ""


def is_voucher_eligible(offering: Offering, region: str | None) -> bool:
    """Tell whether an offering is 模型券-eligible for a buyer in a region: in that region's catalogue, and
    its vendor may offer vouchers."""
    if region is None or not can(None, "organisation.offer_vouchers", offering.organisation):
        return False
    return bool(db.session.scalar(select(exists().where(
        CatalogueEntry.offering_id == offering.id, CatalogueEntry.region == region,
        CatalogueEntry.state == LISTED))))


def catalogue_regions(offering: Offering) -> list[str]:
    """Return the regions whose catalogue an offering is in (none while its vendor may not offer vouchers)."""
    if not can(None, "organisation.offer_vouchers", offering.organisation):
        return []
    return [e.region for e in offering.catalogue_entries if e.state == LISTED]  # type: ignore[attr-defined]


def entries_of(offering: Offering) -> list[CatalogueEntry]:
    """Return an offering's catalogue entries in every region, by region."""
    return list(db.session.scalars(select(CatalogueEntry).where(CatalogueEntry.offering_id == offering.id)
                                   .order_by(CatalogueEntry.region)))


def apply_for_catalogue(user: User, offering: Offering, region: str, note: str | None = None) -> CatalogueEntry:
    """Apply for a region's 模型券 catalogue with one of the vendor's published offerings (the caller commits)."""
    require(user, "catalogue.apply", offering)
    if region not in voucher_regions():
        raise DomainError(_("No 模型券 catalogue is kept for that region."), "region")
    if not offering.is_published:
        raise DomainError(_("Publish the offering before applying for a catalogue."), "region")
    note = (note or "").strip()[:500] or None
    entry = db.session.scalar(select(CatalogueEntry).where(CatalogueEntry.offering_id == offering.id,
                                                           CatalogueEntry.region == region))
    if entry is not None:
        if entry.state not in (REFUSED, REMOVED):
            raise DomainError(_("This offering has already applied for that catalogue or is in it."), "region")
        return CATALOGUE.fire(entry.id, "reapply", user, note=note or "")
    entry = CatalogueEntry(offering=offering, region=region, state=EntryState.APPLIED.value, note=note,
                           applied_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    record_audit("catalogue.applied", user, entry, {"region": region, "offering_id": offering.id})
    from marketplace.redemptions.notices import catalogue_decided

    catalogue_decided(entry, user)
    return entry


def decide_entry(entry_id: int, action: str, user: User, reason: str = "") -> CatalogueEntry:
    """Admit, refuse or remove a catalogue entry (the region's center or an admin; the caller commits)."""
    return CATALOGUE.fire(entry_id, action, user, reason=reason)


def review_queue(user: User, state: str = EntryState.APPLIED.value) -> Select:
    """Select the catalogue entries in a state for the regions the user acts for, oldest application first."""
    require(user, "catalogue.review")
    stmt = (select(CatalogueEntry).where(CatalogueEntry.state == state)
            .options(selectinload(CatalogueEntry.offering).selectinload(Offering.organisation)))
    if not user.is_admin:
        stmt = stmt.where(CatalogueEntry.region == user.organisation.city)
    return stmt.order_by(CatalogueEntry.applied_at, CatalogueEntry.id)


def region_catalogue(region: str) -> Select:
    """Select the published offerings in a region's 模型券 catalogue (public), newest first."""
    return (published(Offering).where(Offering.id.in_(eligible_offering_ids(region)))
            .options(selectinload(Offering.organisation))
            .order_by(Offering.updated_at.desc(), Offering.id.desc()))
