"""Need services: post, edit, change status, decide who sees what, browse."""
from __future__ import annotations

from sqlalchemy import or_, select

from marketplace.accounts.models import Organisation, User
from marketplace.catalog.services import text_condition
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.needs.models import NEED_TRANSITIONS, Need, NeedStatus, Visibility
from marketplace.states import next_state

NEED_FIELDS = ("title", "description", "industry", "scenario", "pain_points", "data_available", "budget_min_fen",
               "budget_max_fen", "deadline", "deployment", "city", "visibility")


def require_enterprise(user: User) -> Organisation:
    """Return the user's SME organisation, or refuse."""
    if not user.is_authenticated or not user.organisation.is_enterprise:
        raise PermissionDenied()
    return user.organisation


def ensure_need_owner(need: Need, user: User) -> None:
    """Refuse unless the user acts for the SME that posted the need (admins may moderate)."""
    if not user.is_authenticated or (need.organisation_id != user.organisation_id and not user.is_admin):
        raise PermissionDenied()


def save_need(org: Organisation, fields: dict, need: Need | None = None) -> Need:
    """Create or update a need; the caller commits."""
    if need is None:
        need = Need(organisation=org, status=NeedStatus.OPEN.value)
        db.session.add(need)
    for key in NEED_FIELDS:
        if key in fields:
            setattr(need, key, fields[key] if fields[key] != "" else None)
    if need.budget_min_fen is not None and need.budget_max_fen is not None \
            and need.budget_min_fen > need.budget_max_fen:
        raise ValueError("budget minimum above maximum")
    return need


def change_need_status(need: Need, action: str, user: User) -> Need:
    """Move a need through its status table (close, reopen, ...); illegal moves raise IllegalTransition."""
    from marketplace.proposals.services import notify_need_status

    ensure_need_owner(need, user)
    need.status = next_state(NEED_TRANSITIONS, action, need.status).value
    notify_need_status(need, user)
    return need


def can_view_need(need: Need, user: User) -> bool:
    """Tell whether a user may read a need: public ones to all, registered-only ones to signed-in users."""
    if need.visibility == Visibility.PUBLIC.value:
        return True
    return bool(user.is_authenticated)


def shows_owner(need: Need, user: User) -> bool:
    """Tell whether the SME's name and contact may be shown to this user.

    Registered-only needs show them to the owner, promotion centers and admins, and to a vendor only once
    the SME accepted one of its proposals.
    """
    if need.visibility == Visibility.PUBLIC.value:
        return True
    if not user.is_authenticated:
        return False
    if user.is_admin or user.organisation_id == need.organisation_id or user.organisation.is_center:
        return True
    from marketplace.proposals.services import accepted_vendor

    return user.organisation.is_vendor and accepted_vendor(need, user.organisation_id)


def browse_needs(filters: dict, user: User, owner_id: int | None = None):
    """Return a select of needs matching the filters that the user may see, newest first."""
    stmt = select(Need)
    if owner_id is not None:
        stmt = stmt.where(Need.organisation_id == owner_id)
    else:
        if not user.is_authenticated:
            stmt = stmt.where(Need.visibility == Visibility.PUBLIC.value)
        stmt = stmt.where(Need.status == filters["status"]) if filters.get("status") else \
            stmt.where(Need.status.in_([NeedStatus.OPEN.value, NeedStatus.IN_TALKS.value]))
    for name in ("industry", "scenario", "city", "deployment"):
        if filters.get(name):
            stmt = stmt.where(getattr(Need, name) == filters[name])
    if filters.get("budget") is not None:
        stmt = stmt.where(or_(Need.budget_max_fen.is_(None), Need.budget_max_fen >= filters["budget"]))
    if filters.get("q"):
        stmt = stmt.where(text_condition(filters["q"], Need.title, Need.description, Need.pain_points))
    return stmt.order_by(Need.created_at.desc(), Need.id.desc())
