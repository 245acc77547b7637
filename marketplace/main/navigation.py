"""What the site navigation shows a user: unread notifications and messages and the items waiting on their
review desk, counted once per request.

`nav_counts` is offered to every template by a context processor; it counts nothing until a template
reads it (htmx fragments never do), then at most one query per figure, kept for the rest of the request.
Each count stops past BADGE_CAP (an index range of at most 100 rows), and the badge then reads "99+".
Which links the navigation shows is asked of the permission rules in `templates/base.html`.
"""
from __future__ import annotations

from functools import cached_property

from flask import g, has_request_context
from flask.sansio.app import App
from flask_login import current_user

from marketplace.permissions import signed_in

BADGE_CAP = 99
"""The largest count a navigation badge shows; above it the badge reads "99+"."""


def badge(count: int) -> str:
    """Show a count on a navigation badge: the number, or "99+" above the cap."""
    return f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)


class UnreadCounts:
    """The unread notifications and messages of the current user, each counted on first use."""

    @cached_property
    def user(self):
        """The signed-in user of the request, or None (visitors, and renders outside a request, have none)."""
        if not has_request_context():
            return None
        user = current_user._get_current_object()
        return user if signed_in(user) else None

    @cached_property
    def notifications(self) -> int:
        """Unread notifications of the user."""
        from marketplace.notifications.services import unread_count

        return unread_count(self.user, cap=BADGE_CAP) if self.user is not None else 0

    @cached_property
    def messages(self) -> int:
        """Messages to the user's organisation that nobody there has read yet."""
        from marketplace.proposals.services import unread_messages

        return unread_messages(self.user, cap=BADGE_CAP) if self.user is not None else 0

    @cached_property
    def review_queues(self) -> list:
        """The review-desk queues the user works (no query: permissions only)."""
        from marketplace.main.worklists import worklists_for

        return worklists_for(self.user) if self.user is not None else []

    @cached_property
    def reviews(self) -> int:
        """Items waiting on the user's review desk, over all the queues they work (one capped count each)."""
        return sum(q.waiting(self.user, BADGE_CAP) for q in self.review_queues)


def unread_counts() -> UnreadCounts:
    """Return this request's unread counts of the current user (one object per request)."""
    if "nav_counts" not in g:
        g.nav_counts = UnreadCounts()
    return g.nav_counts


def install(app: App) -> None:
    """Offer `nav_counts` to every template, and the `badge` filter that shows one."""
    app.context_processor(lambda: {"nav_counts": unread_counts()})
    app.jinja_env.filters["badge"] = badge
