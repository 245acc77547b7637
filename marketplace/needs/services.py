"""Need services: post, edit, move through the need process, decide who sees what, browse.

Who may do what is `needs/permissions.py`; which needs count as live, visible or stale is `needs/selectors.py`;
how a need's status moves is `needs/process.py`.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.locks import load_locked
from marketplace.needs.fields import check_need
from marketplace.needs.models import VISIBILITY_LABELS, Need, NeedStatus
from marketplace.needs.selectors import is_stale, live_needs, visible_to
from marketplace.permissions import can, require

NEED_FIELDS = ("title", "description", "industry", "scenario", "pain_points", "data_available", "budget_min_fen",
               "budget_max_fen", "deadline", "deployment", "city", "visibility")


def lock_need(need_id: int) -> Need:
    """Load a need with its row locked for this transaction, fresh from the database."""
    return load_locked(Need, need_id)


def post_need(user: User, fields: dict) -> Need:
    """Post a new need for the user's SME (admins and other organisations are refused), refusing fields that break
    the need's rules (`needs.fields`); the caller commits."""
    require(user, "need.post")
    from marketplace.moderation.services import screen_new

    fields = check_need(fields, creating=True)
    need = Need(organisation=user.organisation, status=NeedStatus.OPEN.value)
    db.session.add(need)
    fill_need(need, fields)
    screen_new(need, user)  # held for review (unverified SME, pre-moderation) or flagged
    return need


def edit_need(need: Need, user: User, fields: dict) -> Need:
    """Change a need's text, budget, deadline and constraints (its SME only), refusing fields that break the need's
    rules (`needs.fields`); the caller commits."""
    from marketplace.moderation.services import screen_edit

    require(user, "need.edit", need)
    fields = check_need(fields, creating=False, original_deadline=need.deadline,
                        budget=(need.budget_min_fen, need.budget_max_fen))
    fill_need(need, fields)
    screen_edit(need)
    return need


def fill_need(need: Need, fields: dict) -> Need:
    """Copy the given (checked) fields onto a need."""
    for key in NEED_FIELDS:
        if key in fields:
            setattr(need, key, fields[key] if fields[key] != "" else None)
    return need


def change_need_status(need: Need, action: str, user: User, **values) -> Need:
    """Fire one move of the need process (close, reopen, moderate); illegal moves raise IllegalTransition."""
    from marketplace.needs.process import NEED

    return NEED.fire(need.id, action, user, **values)


def can_view_need(need: Need, user: User) -> bool:
    """Tell whether a user may read a need (the `need.view` rule)."""
    return can(user, "need.view", need)


def shows_owner(need: Need, user: User) -> bool:
    """Tell whether the SME's name and contact may be shown to this user (the `need.see_owner` rule)."""
    return can(user, "need.see_owner", need)


def need_page(need: Need, user: User, today: date | None = None) -> dict:
    """Return what a need's page shows this user: its buttons, whether the poster shows, the owner's stale flag."""
    from marketplace.needs.process import page_moves

    owner = can(user, "need.edit", need)
    return {"moves": page_moves(need, user), "owner_visible": shows_owner(need, user), "is_owner": owner,
            "stale": owner and is_stale(need, today), "visibility_label": VISIBILITY_LABELS.get(need.visibility)}


def browse_needs(filters: dict, user: User, owner_id: int | None = None):
    """Return a select of needs matching the filters that the user may see, newest first.

    Without a status filter the list holds the live needs visible to the user — the same count the home
    page shows.
    """
    if owner_id is not None:
        stmt = select(Need).where(Need.organisation_id == owner_id)
    elif filters.get("status"):
        stmt = visible_to(select(Need).where(Need.status == filters["status"]), user)
    else:
        stmt = visible_to(live_needs(), user)
    for name in ("industry", "scenario", "city", "deployment"):
        if filters.get(name):
            stmt = stmt.where(getattr(Need, name) == filters[name])
    if filters.get("budget") is not None:
        stmt = stmt.where(or_(Need.budget_max_fen.is_(None), Need.budget_max_fen >= filters["budget"]))
    return stmt.order_by(Need.created_at.desc(), Need.id.desc())

