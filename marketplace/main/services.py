"""Figures for the home page and each user's dashboard.

What the home page counts and lists comes from the registry of kinds (each kind's selector of the records
people can find); which dashboard sections a user gets comes from the permission rules, never from roles.
"""
from __future__ import annotations

import time
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select

from marketplace.accounts.models import User
from marketplace.cases.models import Case
from marketplace.cases.selectors import featured_first
from marketplace.catalog.models import ProviderProfile
from marketplace.catalog.services import browse_listings
from marketplace.extensions import db
from marketplace.kinds import all_kinds, get_kind
from marketplace.needs.models import Need
from marketplace.needs.selectors import stale_need_ids
from marketplace.permissions import can


def marketplace_counts(user=None) -> dict[str, int]:
    """Count, per kind, what the user could find: published listings, public cases, live needs they may read.

    Each worker keeps the counts for HOME_COUNTS_SECONDS, apart for visitors and signed-in users (the only thing the
    kinds' selectors read of the user): counting 100k listings and needs on every view of the home page cost about
    100 ms at province scale, for headline figures a minute cannot make wrong.
    """
    seconds = float(current_app.config.get("HOME_COUNTS_SECONDS", 0))
    signed = bool(getattr(user, "is_authenticated", False))
    kept: dict[bool, tuple[float, dict[str, int]]] = current_app.extensions.setdefault("home_counts", {})
    now = time.monotonic()
    if seconds > 0 and signed in kept and now - kept[signed][0] < seconds:
        return dict(kept[signed][1])
    counts = {kind.collection: db.session.scalar(select(func.count()).select_from(
        kind.findable({}, user).subquery())) or 0 for kind in all_kinds()}
    if seconds > 0:
        kept[signed] = (now, dict(counts))
    return counts


def latest_public(user=None, limit: int = 4) -> dict[str, list]:
    """Return the newest published offerings, live needs the user may read and public cases (featured first)."""
    offerings = list(db.session.scalars(browse_listings("offering", {}).limit(limit)
                                        .options(*get_kind("offering").loads())))
    needs = list(db.session.scalars(get_kind("need").findable({}, user).with_only_columns(Need)  # its WHERE, no IN
                                    .order_by(Need.created_at.desc(), Need.id.desc()).limit(limit)
                                    .options(*get_kind("need").loads())))
    cases = list(db.session.scalars(get_kind("case").indexed()
                                    .order_by(featured_first(), Case.year.desc()).limit(3)
                                    .options(*get_kind("case").loads())))
    return {"offerings": offerings, "needs": needs, "cases": cases}


def dashboard_sections(user: User) -> dict[str, bool]:
    """Say which dashboard sections a user gets, each from the permission that its work needs."""
    return {"buyer": can(user, "need.post"), "seller": can(user, "listing.create"),
            "curator": can(user, "case.curate"), "events": can(user, "event.register"),
            "accounts": can(user, "accounts.manage"), "quota": can(user, "quota.review"),
            "leads": can(user, "lead.list")}


DASHBOARD_PAGE_SIZE = 20
"""How many rows each list of the dashboard shows per page."""

DASHBOARD_LISTS = ("needs", "offerings", "models", "cases")
"""The dashboard's paginated lists; each is paged by its own query argument, e.g. ?offerings_page=2."""


def dashboard_lists(user: User) -> dict[str, Select]:
    """Return the selects of the dashboard lists the user's sections show, each in its order."""
    org_id = user.organisation_id
    sections = dashboard_sections(user)
    lists: dict[str, Select] = {}
    if sections["buyer"]:
        lists["needs"] = select(Need).where(Need.organisation_id == org_id).order_by(Need.created_at.desc(),
                                                                                      Need.id.desc())
    if sections["seller"]:
        lists["offerings"] = browse_listings("offering", {}, owner_id=org_id)
        lists["models"] = browse_listings("model", {}, owner_id=org_id)
    if sections["curator"]:
        lists["cases"] = select(Case).where(Case.center_id == org_id).order_by(Case.year.desc(), Case.id.desc())
    return lists


def dashboard_for(user: User, pages: dict[str, Any], today: date | None = None) -> dict:
    """Return the user's dashboard: its sections and one page of each list they show.

    `pages` maps a list's name to its page of records (the view paginates `dashboard_lists`).
    """
    org = user.organisation
    sections = dashboard_sections(user)
    data: dict = {"org": org, "sections": sections, **pages}
    if sections["buyer"]:
        from marketplace.orders.services import voucher_summary
        from marketplace.vouchers.services import explain

        data["summary"] = voucher_summary(org, (today or date.today()).year)
        data["why"] = explain(data["summary"])
        data["stale_need_ids"] = stale_need_ids([n.id for n in pages["needs"].items])
        from marketplace.proposals.services import proposal_counts, waiting_for_sme

        data["proposal_counts"] = proposal_counts([n.id for n in pages["needs"].items])
        data["waiting"] = waiting_for_sme(org.id)
    if sections["quota"]:
        from marketplace.vouchers.services import pending_count

        data["quota_pending"] = pending_count(user)
    if sections["accounts"]:
        from marketplace.main.overview import admin_overview

        data["overview"] = admin_overview(user, today)
    if sections["seller"]:
        data["profile"] = db.session.scalar(select(ProviderProfile).where(ProviderProfile.organisation_id == org.id))
    return data
