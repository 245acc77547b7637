"""The platform operator's overview on the admin's dashboard: what the marketplace holds and where work waits.

Each number reuses the definition its owner already has: listings and open needs are the home page's counts
(`main.services.marketplace_counts`, the kind registry's findable records); the review desk's queues and their
waiting counts come from the worklist registry; money moved is the payments recorded on receipts
(`orders.receipts`), in exact fen, in the site's calendar month.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation, User
from marketplace.extensions import db
from marketplace.money import combine_sum, exact_sum
from marketplace.orders.models import Order, OrderState, PaymentReceipt

RECENT_SIGN_UPS = 10


@dataclass(frozen=True)
class OrgCount:
    """Organisations of one kind: how many are verified and how many are not."""

    kind: str
    verified: int
    unverified: int

    @property
    def total(self) -> int:
        """All organisations of the kind."""
        return self.verified + self.unverified


@dataclass(frozen=True)
class Overview:
    """The admin's figures: organisations, users, findable records, orders by state, money moved this month,
    the newest accounts and the review desk's queues."""

    organisations: list[OrgCount]
    users_active: int
    users_inactive: int
    findable: dict[str, int]
    orders: list[tuple[str, int]]
    month: date
    paid_fen: int
    payments: int
    refunded_fen: int
    recent: list[User]
    queues: list


def month_bounds(today: date) -> tuple[datetime, datetime]:
    """Return the UTC bounds [first day, first day of the next month) of the site's calendar month of `today`."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")
    first = datetime(today.year, today.month, 1, tzinfo=zone)
    following = datetime(today.year + today.month // 12, today.month % 12 + 1, 1, tzinfo=zone)
    return first.astimezone(UTC), following.astimezone(UTC)


def organisation_counts() -> list[OrgCount]:
    """Count organisations per kind, verified and not, in the kinds' order."""
    rows = db.session.execute(select(Organisation.kind, Organisation.verified_at.is_not(None), func.count())
                              .group_by(Organisation.kind, Organisation.verified_at.is_not(None))).all()
    found: dict[str, dict[bool, int]] = {}
    for kind, verified, number in rows:
        found.setdefault(kind, {})[bool(verified)] = number
    from marketplace.accounts.models import OrgKind

    return [OrgCount(k.value, found.get(k.value, {}).get(True, 0), found.get(k.value, {}).get(False, 0))
            for k in OrgKind if k.value in found]


def order_counts() -> list[tuple[str, int]]:
    """Count orders per state, in the process's order of states (states without orders show 0)."""
    found = dict(db.session.execute(select(Order.state, func.count()).group_by(Order.state)).all())
    return [(state.value, found.get(state.value, 0)) for state in OrderState]


def money_moved(today: date) -> tuple[int, int, int]:
    """Return (fen received, number of payments, fen refunded) in the site's calendar month of `today`."""
    low, high = month_bounds(today)
    high_part, low_part, payments = db.session.execute(
        select(*exact_sum(PaymentReceipt.amount_fen), func.count())
        .where(PaymentReceipt.recorded_at >= low, PaymentReceipt.recorded_at < high)).one()
    refunded = db.session.execute(select(*exact_sum(Order.payable_fen))
                                  .where(Order.refunded_at >= low, Order.refunded_at < high)).one()
    return combine_sum(high_part, low_part), int(payments), combine_sum(*refunded)


def recent_sign_ups(limit: int = RECENT_SIGN_UPS) -> list[User]:
    """Return the newest accounts with their organisations."""
    return list(db.session.scalars(select(User).options(selectinload(User.organisation))
                                   .order_by(User.created_at.desc(), User.id.desc()).limit(limit)))


def admin_overview(user: User, today: date | None = None) -> Overview:
    """Return the admin's overview of the platform for the month of `today` (default: the site's today)."""
    from marketplace.main.navigation import BADGE_CAP
    from marketplace.main.services import marketplace_counts
    from marketplace.main.worklists import waiting_for

    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")
    today = today or datetime.now(UTC).astimezone(zone).date()
    active = dict(db.session.execute(select(User.is_active_flag, func.count()).group_by(User.is_active_flag)).all())
    paid, payments, refunded = money_moved(today)
    return Overview(organisation_counts(), active.get(True, 0), active.get(False, 0), marketplace_counts(user),
                    order_counts(), today.replace(day=1), paid, payments, refunded, recent_sign_ups(),
                    waiting_for(user, BADGE_CAP))
