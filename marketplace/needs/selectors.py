"""Which needs count as what: the one definition of a live need, a visible need and a stale need.

Every consumer (search, leads, the home page, analytics, digests, proposals, templates through their
views) asks these functions; nothing else spells out which statuses are live.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Select, exists, or_, select

from marketplace.moderated import shown
from marketplace.needs.models import Need, NeedStatus, Visibility

LIVE_STATUSES = (NeedStatus.OPEN.value, NeedStatus.IN_TALKS.value)
"""A need is live while the SME is still looking (open) or talking to providers (in talks)."""


def is_live(need: Need) -> bool:
    """Tell whether a need is live: open or in talks, and shown (not held or hidden by moderation)."""
    return need.status in LIVE_STATUSES and need.is_shown


def live_needs() -> Select:
    """Select the live needs (open or in talks, and shown)."""
    return select(Need).where(Need.status.in_(LIVE_STATUSES), shown(Need))


def visible_to(stmt: Select, user) -> Select:
    """Narrow a select of needs to those the user may read in a list: shown ones (moderation), public ones, or all
    shown ones for signed-in users."""
    stmt = stmt.where(shown(Need))
    if user is not None and getattr(user, "is_authenticated", False):
        return stmt
    return stmt.where(Need.visibility == Visibility.PUBLIC.value)


def is_visible_to(need: Need, user) -> bool:
    """Tell whether the user may read a shown need (public, or the user is signed in); who else reads a held or
    hidden one is the `need.view` rule's business."""
    return need.is_shown and (need.visibility == Visibility.PUBLIC.value
                              or bool(getattr(user, "is_authenticated", False)))


def stale_condition(today: date, grace_days: int = 0):
    """SQL condition: open, deadline more than `grace_days` ago, and no proposal activity since the deadline."""
    from marketplace.proposals.models import Proposal

    cutoff = today - timedelta(days=grace_days)
    # A timestamp compares with a date as midnight of that day on PostgreSQL, and ISO text compares in
    # order on SQLite, so "activity since the deadline" needs no cast on either.
    activity = exists().where(Proposal.need_id == Need.id, Proposal.updated_at >= Need.deadline)
    return (Need.status == NeedStatus.OPEN.value) & Need.deadline.is_not(None) & (Need.deadline < cutoff) & ~activity


def is_stale(need: Need, today: date | None = None) -> bool:
    """Tell whether an open need's deadline passed without proposal activity since (shown to its owner)."""
    from marketplace.extensions import db
    from marketplace.proposals.models import Proposal

    today = today or date.today()
    if need.status != NeedStatus.OPEN.value or need.deadline is None or need.deadline >= today:
        return False
    deadline = datetime.combine(need.deadline, datetime.min.time())
    return not db.session.scalar(select(exists().where(Proposal.need_id == need.id,
                                                       Proposal.updated_at >= deadline)))


def stale_need_ids(need_ids, today: date | None = None) -> set[int]:
    """Return which of the given needs are stale today (one query; agrees with `is_stale`)."""
    from marketplace.extensions import db

    need_ids = list(need_ids)
    if not need_ids:
        return set()
    return set(db.session.scalars(select(Need.id).where(Need.id.in_(need_ids),
                                                        stale_condition(today or date.today()))))


def needs_for_leads(today: date, grace_days: int) -> Select:
    """Select the live needs vendors see as leads: stale ones leave after the grace period (one query)."""
    return live_needs().where(or_(Need.status != NeedStatus.OPEN.value, ~stale_condition(today, grace_days)))
