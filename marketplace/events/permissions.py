"""Who may create and run matchmaking events, register to them, withdraw, and record meeting outcomes.

A promotion center runs the events it created: it edits them, schedules and cancels meetings and records
their outcomes. SMEs register needs and vendors register offerings, each its own. Admins read every
event's schedule but do not run events or register.
"""
from __future__ import annotations

from marketplace.permissions import acts_as, member_of, rule, signed_in


@rule("event.create")
def may_create(user, record=None) -> bool:
    """Promotion centers create matchmaking events."""
    return acts_as(user, "center")


@rule("event.run")
def may_run(user, event) -> bool:
    """The center that created the event edits it and schedules its meetings."""
    return acts_as(user, "center") and member_of(user, event.center_id)


@rule("event.oversee")
def may_oversee(user, event) -> bool:
    """The organiser and admins read the event's meeting schedule and outcomes."""
    return may_run(user, event) or (signed_in(user) and bool(user.is_admin))


@rule("event.register")
def may_register(user, listing=None) -> bool:
    """SMEs register their own needs and vendors their own offerings."""
    return ((acts_as(user, "enterprise") or acts_as(user, "vendor"))
            and (listing is None or member_of(user, listing.organisation_id)))


@rule("event.withdraw")
def may_withdraw(user, registration) -> bool:
    """The registered organisation, or the organiser, withdraws a registration."""
    return member_of(user, registration.organisation_id) or may_run(user, registration.event)


@rule("event.record-outcome")
def may_record_outcome(user, meeting) -> bool:
    """The organiser records what came of a meeting."""
    return may_run(user, meeting.event)


@rule("event.cancel-meeting")
def may_cancel_meeting(user, meeting) -> bool:
    """The organiser cancels a meeting."""
    return may_run(user, meeting.event)


@rule("event.schedule")
def may_see_own_schedule(user, record=None) -> bool:
    """SMEs and vendors follow their own meetings and registrations."""
    return acts_as(user, "enterprise") or acts_as(user, "vendor")
