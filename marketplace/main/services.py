"""Figures for the home page and each role's dashboard."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.cases.models import Case
from marketplace.cases.services import PUBLIC_STATES
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.catalog.services import browse_listings
from marketplace.extensions import db
from marketplace.needs.models import Need, NeedStatus, Visibility
from marketplace.states import ListingState


def marketplace_counts() -> dict[str, int]:
    """Count what the marketplace holds publicly: providers, models, offerings, open needs, cases."""
    published = ListingState.PUBLISHED.value

    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    return {
        "providers": count(select(func.count()).select_from(ProviderProfile).where(ProviderProfile.state == published)),
        "models": count(select(func.count()).select_from(IndustrialModel).where(IndustrialModel.state == published)),
        "offerings": count(select(func.count()).select_from(Offering).where(Offering.state == published)),
        "needs": count(select(func.count()).select_from(Need).where(Need.status == NeedStatus.OPEN.value)),
        "cases": count(select(func.count()).select_from(Case).where(Case.state.in_(PUBLIC_STATES))),
    }


def latest_public(limit: int = 4) -> dict[str, list]:
    """Return the newest published offerings, open public needs and featured cases for the home page."""
    offerings = list(db.session.scalars(browse_listings("offering", {}).limit(limit)))
    needs = list(db.session.scalars(select(Need).where(Need.status == NeedStatus.OPEN.value,
                                                        Need.visibility == Visibility.PUBLIC.value)
                                    .order_by(Need.created_at.desc(), Need.id.desc()).limit(limit)))
    cases = list(db.session.scalars(select(Case).where(Case.state.in_(PUBLIC_STATES))
                                    .order_by((Case.state == "featured").desc(), Case.year.desc()).limit(3)))
    return {"offerings": offerings, "needs": needs, "cases": cases}


def dashboard_for(user: User) -> dict:
    """Return what the user's role should see first on the dashboard."""
    org = user.organisation
    data: dict = {"org": org}
    if org.is_enterprise:
        from datetime import date

        from marketplace.orders.services import voucher_summary

        data["summary"] = voucher_summary(org, date.today().year)
        data["needs"] = list(db.session.scalars(select(Need).where(Need.organisation_id == org.id)
                                                .order_by(Need.created_at.desc())))
    if org.is_vendor:
        data["profile"] = db.session.scalar(select(ProviderProfile).where(ProviderProfile.organisation_id == org.id))
        data["models"] = list(db.session.scalars(browse_listings("model", {}, owner_id=org.id)))
        data["offerings"] = list(db.session.scalars(browse_listings("offering", {}, owner_id=org.id)))
    if org.is_center:
        data["cases"] = list(db.session.scalars(select(Case).where(Case.center_id == org.id)
                                                .order_by(Case.year.desc(), Case.id.desc())))
    return data
