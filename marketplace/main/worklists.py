"""The review desk (审核台): every queue where a promotion center, an admin or an evaluator has items waiting.

A feature registers its queue once, where its rules live (`@worklist(...)` on a function that counts the
items waiting for a user, capped), and the desk page, the dashboard and the navigation badge all read the
registry, so a new queue is one registration and no template edit. Who sees a queue is its record-free
permission; what counts as waiting for that user (their region, their organisation) is the count function's.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from marketplace.extensions import db
from marketplace.permissions import can, signed_in

Counter = Callable[..., int]


@dataclass(frozen=True)
class Worklist:
    """One queue: its name, what it is called and holds, where it is worked, and who may work it."""

    name: str
    label: object
    description: object
    endpoint: str
    permission: str
    waiting: Counter
    order: int = 100


WORKLISTS: dict[str, Worklist] = {}


def worklist(name: str, *, label, description, endpoint: str, permission: str,
             order: int = 100) -> Callable[[Counter], Counter]:
    """Register a queue; the decorated function counts the items waiting for a user (at most `cap`)."""

    def register(waiting: Counter) -> Counter:
        if name in WORKLISTS:
            raise ValueError(f"worklist {name!r} is registered twice")
        WORKLISTS[name] = Worklist(name, label, description, endpoint, permission, waiting, order)
        return waiting

    return register


def capped_count(stmt: Select, cap: int) -> int:
    """Count a select's rows, reading at most cap + 1 of them (a badge shows "99+" above the cap)."""
    return int(db.session.scalar(select(func.count()).select_from(stmt.limit(cap + 1).subquery())) or 0)


def worklists_for(user) -> list[Worklist]:
    """Return the queues a user may work, in their order."""
    if not signed_in(user):
        return []
    return sorted((w for w in WORKLISTS.values() if can(user, w.permission)), key=lambda w: (w.order, w.name))


def waiting_for(user, cap: int) -> list[tuple[Worklist, int]]:
    """Return each queue the user may work with its number of waiting items (each at most cap + 1)."""
    return [(w, w.waiting(user, cap)) for w in worklists_for(user)]


def install() -> None:
    """Import the modules that register queues."""
    import marketplace.cases.worklists  # noqa: F401
    import marketplace.moderation.worklists  # noqa: F401
    import marketplace.redemptions.worklists  # noqa: F401
    import marketplace.trust.worklists  # noqa: F401
    import marketplace.vouchers.worklists  # noqa: F401
