"""Which listings count as what: published (public), and visible to a user (published, or their own)."""
from __future__ import annotations

from sqlalchemy import Select, or_, select

from marketplace.moderated import shown
from marketplace.states import ListingState

PUBLIC_STATES = (ListingState.PUBLISHED.value,)


def is_public(listing) -> bool:
    """Tell whether everyone may see a listing (offering, model or provider profile): published and shown."""
    return listing.state in PUBLIC_STATES and listing.is_shown


def published(model) -> Select:
    """Select the published listings of one model class (Offering, IndustrialModel, ProviderProfile)."""
    return select(model).where(model.state.in_(PUBLIC_STATES), shown(model))


def visible_to(model, user) -> Select:
    """Select the listings a user may see: published ones, plus the user's own in any state; admins see all."""
    if user is not None and getattr(user, "is_authenticated", False):
        if user.is_admin:
            return select(model)
        return select(model).where(or_(model.state.in_(PUBLIC_STATES) & shown(model),
                                       model.organisation_id == user.organisation_id))
    return published(model)


def is_visible_to(listing, user) -> bool:
    """Tell whether a user may see a listing: published to all, others to the owner and admins."""
    if is_public(listing):
        return True
    return bool(getattr(user, "is_authenticated", False)
                and (user.is_admin or listing.organisation_id == user.organisation_id))
