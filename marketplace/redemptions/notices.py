"""What the catalogue and redemption processes tell people: the vendor of each decision, the center of a claim."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import Organisation
from marketplace.extensions import db
from marketplace.notifications.services import notify, now, path_for


def region_centers(region: str) -> list[int]:
    """Return the ids of the promotion centers acting for a region (its city)."""
    return list(db.session.scalars(select(Organisation.id).where(Organisation.kind == "center",
                                                                 Organisation.city == region)))


def catalogue_decided(entry, actor) -> None:
    """Tell the vendor its offering was admitted to, refused by or removed from a region's catalogue;
    tell the region's centers of a new application."""
    link = path_for("redemptions.offering_catalogues", offering_id=entry.offering_id)
    params = {"title": entry.offering.title, "region": entry.region, "reason": entry.reason or ""}
    key = f"catalogue:{entry.id}:{entry.state}:{now():%Y%m%d%H%M%S%f}"
    if entry.state == "applied":
        notify(region_centers(entry.region), "catalogue_applied", params,
               path_for("redemptions.catalogue_queue"), key, actor=actor)
    else:
        notify([entry.offering.organisation_id], f"catalogue_{entry.state}", params, link, key, actor=actor)


def redemption_changed(redemption, actor) -> None:
    """Tell the vendor that its redemption was confirmed or returned; the region's centers of a (re)submission."""
    link = path_for("redemptions.detail", redemption_id=redemption.id)
    params = {"title": redemption.order.title, "reason": redemption.return_reason or ""}
    key = f"redemption:{redemption.id}:{redemption.state}:{redemption.submissions}"
    if redemption.state == "redeemed":
        from marketplace.webhooks.events import redemption_confirmed

        redemption_confirmed(redemption)
    if redemption.state == "claimed":
        notify(region_centers(redemption.region), "redemption_submitted", params, link, key, actor=actor)
    else:
        notify([redemption.vendor_id], f"redemption_{redemption.state}", params, link, key, actor=actor)
