"""Who may apply to and decide on a region's 模型券 service catalogue, submit and decide redemptions, see their
files and read the reimbursement report.

A promotion center acts for its own city's region; admins for every region. Whether the vendor may offer
vouchers at all is `organisation.offer_vouchers` (`marketplace.trust.permissions`), asked here, never re-spelt.
"""
from __future__ import annotations

from marketplace.permissions import acts_as, can, member_of, rule, signed_in


def acts_for_region(user, region: str | None) -> bool:
    """Admins act for every region; a promotion center for its own city's."""
    if not signed_in(user) or region is None:
        return False
    return user.is_admin or (user.organisation.is_center and user.organisation.city == region)


@rule("catalogue.apply")
def may_apply(user, record) -> bool:
    """The vendor applies (or applies again) for a catalogue with its own offering, once verified (it may
    offer vouchers); the record is the offering or its catalogue entry."""
    offering = getattr(record, "offering", record)
    return (member_of(user, offering.organisation_id)
            and can(user, "organisation.offer_vouchers", offering.organisation))


@rule("catalogue.review")
def may_review_catalogue(user, record=None) -> bool:
    """Promotion centers and admins see the catalogue applications of the regions they act for."""
    return signed_in(user) and (user.is_admin or user.organisation.is_center)


@rule("catalogue.decide")
def may_decide(user, entry) -> bool:
    """The region's promotion center (or an admin) admits, refuses or removes an offering."""
    return acts_for_region(user, entry.region)


@rule("redemption.submit")
def may_submit(user, order) -> bool:
    """The vendor of an order submits (and resubmits) its redemption."""
    return member_of(user, order.vendor_id)


@rule("redemption.view")
def may_view(user, redemption) -> bool:
    """The vendor, the buyer, the center of the buyer's region and admins see a redemption and its files."""
    return (member_of(user, redemption.vendor_id) or member_of(user, redemption.order.buyer_id)
            or acts_for_region(user, redemption.region))


@rule("redemption.decide")
def may_decide_redemption(user, redemption) -> bool:
    """The center of the buyer's region (or an admin) confirms or returns a redemption."""
    return acts_for_region(user, redemption.region)


@rule("redemption.queue")
def may_see_queue(user, record=None) -> bool:
    """Promotion centers and admins work through the redemptions waiting for them."""
    return signed_in(user) and (user.is_admin or user.organisation.is_center)


@rule("reimbursement.view")
def may_view_report(user, record=None) -> bool:
    """Centers (their region), admins (every region) and vendors (their own lines) read the report."""
    return signed_in(user) and (user.is_admin or user.organisation.is_center or acts_as(user, "vendor"))
