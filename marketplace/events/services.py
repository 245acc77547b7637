"""Event services: a center runs its events; SMEs and vendors register; meetings are scheduled without clashes.

Who may is `marketplace.events.permissions`; when (the event's phase) and how a meeting moves is
`marketplace.events.process`. Double booking is refused here with a readable message and, should two
requests race, by the unique constraints on `event_meeting` (one meeting per table and slot, per
organisation and slot).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from marketplace.accounts.models import Organisation, User
from marketplace.catalog.models import Offering
from marketplace.catalog.selectors import is_public, published
from marketplace.errors import DomainError
from marketplace.events.models import Event, EventRegistration, Meeting
from marketplace.events.process import MEETING, registration_open, scheduling_open
from marketplace.extensions import db
from marketplace.matching.services import pair_needs_with_offerings
from marketplace.needs.models import Need
from marketplace.needs.selectors import is_live, live_needs
from marketplace.permissions import can, require

EVENT_FIELDS = ("title", "description", "held_on", "starts_at", "city", "venue", "industries", "scenarios",
                "capacity", "table_count", "slot_count", "slot_minutes")


@dataclass
class Pairing:
    """A registered need, its best registered offerings as (Match, offering registration), and their meetings.

    `scheduled` maps an offering registration id to the meeting already scheduled with it, or None.
    """

    registration: EventRegistration
    matches: list[tuple]
    scheduled: dict[int, Meeting | None]


def save_event(center: Organisation, fields: dict, event: Event | None = None) -> Event:
    """Create or update an event; the caller commits. The grid cannot shrink below scheduled meetings."""
    if event is None:
        event = Event(center=center)
        db.session.add(event)
    else:
        used_slots = max((m.slot for m in event.meetings), default=-1) + 1
        used_tables = max((m.table_no for m in event.meetings), default=0)
        if fields.get("slot_count", used_slots) < used_slots:
            raise DomainError(_("Meetings are scheduled up to slot %(n)s; keep at least that many slots.",
                               n=used_slots), "slot_count")
        if fields.get("table_count", used_tables) < used_tables:
            raise DomainError(_("Meetings are scheduled at table %(n)s; keep at least that many tables.",
                               n=used_tables), "table_count")
        if fields.get("capacity", 10**6) < registered_organisations(event):
            raise DomainError(_("More organisations have registered than this capacity."), "capacity")
    for key in EVENT_FIELDS:
        if key in fields:
            setattr(event, key, fields[key])
    return event


def browse_events(upcoming: bool, today: date | None = None, center_id: int | None = None):
    """Return a select of upcoming (soonest first) or past (latest first) events, optionally of one center."""
    today = today or date.today()
    stmt = select(Event)
    if center_id is not None:
        stmt = stmt.where(Event.center_id == center_id)
    if upcoming:
        return stmt.where(Event.held_on >= today).order_by(Event.held_on, Event.id)
    return stmt.where(Event.held_on < today).order_by(Event.held_on.desc(), Event.id.desc())


def registered_organisations(event: Event) -> int:
    """Count the distinct organisations registered to an event."""
    return db.session.scalar(select(func.count(func.distinct(EventRegistration.organisation_id)))
                             .where(EventRegistration.event_id == event.id)) or 0


def ensure_open(event: Event, today: date | None) -> None:
    """Refuse changes to registrations once the event day has passed."""
    if not registration_open(event, today):
        raise DomainError(_("This event has taken place; registration is closed."))


def ensure_capacity(event: Event, org: Organisation) -> None:
    """Refuse a new organisation when the event is full (organisations already in may add listings)."""
    already = db.session.scalar(select(func.count()).select_from(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.organisation_id == org.id))
    if not already and registered_organisations(event) >= event.capacity:
        raise DomainError(_("This event is full."))


def register_need(event: Event, need: Need, user: User, today: date | None = None) -> EventRegistration:
    """Register an SME's live need to an event; the caller commits."""
    require(user, "event.register", need)
    ensure_open(event, today)
    if not is_live(need):
        raise DomainError(_("Only open needs can be registered."), "listing")
    if any(r.need_id == need.id for r in event.registrations):
        raise DomainError(_("This need is already registered."), "listing")
    ensure_capacity(event, need.organisation)
    registration = EventRegistration(event=event, organisation=need.organisation, need=need)
    db.session.add(registration)
    return registration


def register_offering(event: Event, offering: Offering, user: User, today: date | None = None) -> EventRegistration:
    """Register a vendor's published offering to an event; the caller commits."""
    require(user, "event.register", offering)
    ensure_open(event, today)
    if not is_public(offering):
        raise DomainError(_("Only published offerings can be registered."), "listing")
    if any(r.offering_id == offering.id for r in event.registrations):
        raise DomainError(_("This offering is already registered."), "listing")
    ensure_capacity(event, offering.organisation)
    registration = EventRegistration(event=event, organisation=offering.organisation, offering=offering)
    db.session.add(registration)
    return registration


def withdraw_registration(registration: EventRegistration, user: User, today: date | None = None) -> None:
    """Withdraw a registration (by its organisation or the organiser) while it has no meetings."""
    require(user, "event.withdraw", registration)
    ensure_open(registration.event, today)
    if any(registration.id in (m.need_registration_id, m.offering_registration_id)
           for m in registration.event.meetings):
        raise DomainError(_("Cancel its meetings first."))
    db.session.delete(registration)


def registrations_by_kind(event: Event) -> tuple[list[EventRegistration], list[EventRegistration]]:
    """Split an event's registrations into needs and offerings."""
    needs = [r for r in event.registrations if r.need_id is not None]
    offerings = [r for r in event.registrations if r.offering_id is not None]
    return needs, offerings


def eligible_listings(event: Event, user: User) -> list:
    """Return the user's live needs (SME) or published offerings (vendor) not yet registered to the event."""
    if not can(user, "event.register"):
        return []
    org_id = user.organisation_id
    taken_needs = {r.need_id for r in event.registrations}
    taken_offerings = {r.offering_id for r in event.registrations}
    needs = db.session.scalars(live_needs().where(Need.organisation_id == org_id).order_by(Need.id))
    offerings = db.session.scalars(published(Offering).where(Offering.organisation_id == org_id)
                                   .order_by(Offering.id))
    return [n for n in needs if n.id not in taken_needs] + [o for o in offerings if o.id not in taken_offerings]


def register_listing(event: Event, listing_id: int, user: User, today: date | None = None) -> EventRegistration:
    """Register the user's need (an SME) or offering (a vendor) with that id; the caller commits."""
    listing: Need | Offering | None = (db.session.get(Need, listing_id) if user.organisation.is_enterprise
                                       else db.session.get(Offering, listing_id))
    if listing is None:
        raise DomainError(_("Choose one of your needs or offerings."), "listing")
    if isinstance(listing, Need):
        return register_need(event, listing, user, today)
    return register_offering(event, listing, user, today)


def busy(event: Event, slot: int) -> tuple[set[int], set[int]]:
    """Return (tables, organisation ids) already taken in a slot of an event."""
    meetings = [m for m in event.meetings if m.slot == slot]
    return {m.table_no for m in meetings}, {m.enterprise_id for m in meetings} | {m.vendor_id for m in meetings}


def first_free_place(event: Event, enterprise_id: int, vendor_id: int) -> tuple[int, int] | None:
    """Return the earliest (slot, table) where both organisations and a table are free, or None."""
    for slot in range(event.slot_count):
        tables, orgs = busy(event, slot)
        if enterprise_id in orgs or vendor_id in orgs:
            continue
        free = [t for t in range(1, event.table_count + 1) if t not in tables]
        if free:
            return slot, free[0]
    return None


def schedule_meeting(event: Event, need_registration: EventRegistration, offering_registration: EventRegistration,
                     slot: int, table_no: int, user: User, today: date | None = None) -> Meeting:
    """Schedule a meeting of a registered need and offering at a table in a slot; the caller commits.

    Refused: a slot or table outside the event's grid, a table already taken in that slot, an
    organisation already meeting someone in that slot, the same pair twice.
    """
    require(user, "event.run", event)
    if not scheduling_open(event, today):
        raise DomainError(_("This event has taken place; meetings can no longer be scheduled."))
    if need_registration.event_id != event.id or need_registration.need_id is None \
            or offering_registration.event_id != event.id or offering_registration.offering_id is None:
        raise DomainError(_("Pair a need and an offering registered to this event."))
    if not 0 <= slot < event.slot_count:
        raise DomainError(_("Choose one of the event's time slots."), "slot")
    if not 1 <= table_no <= event.table_count:
        raise DomainError(_("Choose one of the event's tables."), "table_no")
    tables, orgs = busy(event, slot)
    if table_no in tables:
        raise DomainError(_("Table %(t)s is already taken at %(time)s.", t=table_no,
                           time=event.slot_time(slot).strftime("%H:%M")), "table_no")
    for org in (need_registration.organisation, offering_registration.organisation):
        if org.id in orgs:
            raise DomainError(_("%(org)s already has a meeting at %(time)s.", org=org.name,
                               time=event.slot_time(slot).strftime("%H:%M")), "slot")
    if any(m.need_registration_id == need_registration.id and m.offering_registration_id == offering_registration.id
           for m in event.meetings):
        raise DomainError(_("These two already have a meeting."))
    meeting = Meeting(event=event, need_registration=need_registration, offering_registration=offering_registration,
                      enterprise_id=need_registration.organisation_id, vendor_id=offering_registration.organisation_id,
                      slot=slot, table_no=table_no)
    db.session.add(meeting)
    return meeting


def cancel_meeting(meeting: Meeting, user: User) -> None:
    """Cancel a meeting whose outcome is not recorded yet (the meeting process); the caller commits."""
    db.session.flush()
    MEETING.fire(meeting.id, "cancel", user)


def record_outcome(meeting: Meeting, held: bool, follow_up: bool, deal: bool, note: str | None, user: User,
                   today: date | None = None) -> Meeting:
    """Record what came of a meeting once the event day has come (the meeting process); the caller commits."""
    db.session.flush()
    values = {"held": held, "follow_up": follow_up, "deal": deal, "note": note or ""}
    if today is not None:
        values["today"] = today
    return MEETING.fire(meeting.id, "record_outcome", user, when=None, **values)


def suggest_pairings(event: Event, user: User, per_need: int = 3) -> list[Pairing]:
    """Return, for each registered need, the best registered offerings with their explanations."""
    require(user, "event.run", event)
    needs, offerings = registrations_by_kind(event)
    by_need = {r.need_id: r for r in needs}
    by_offering = {r.offering_id: r for r in offerings}
    pairs = pair_needs_with_offerings([r.need for r in needs if r.need is not None],
                                      [r.offering for r in offerings if r.offering is not None], user,
                                      per_need=per_need)
    scheduled = {(m.need_registration_id, m.offering_registration_id): m for m in event.meetings}
    out = []
    for need, matches in pairs:
        registration = by_need[need.id]
        rows = [(m, by_offering[m.record.id]) for m in matches]
        out.append(Pairing(registration=registration, matches=rows,
                           scheduled={reg.id: scheduled.get((registration.id, reg.id)) for _m, reg in rows}))
    return out


def schedule_of(org: Organisation) -> list[Meeting]:
    """Return every meeting an organisation takes part in, soonest event first."""
    return list(db.session.scalars(select(Meeting).join(Meeting.event)
                                   .where(or_(Meeting.enterprise_id == org.id, Meeting.vendor_id == org.id))
                                   .order_by(Event.held_on, Meeting.slot)))


def events_of(org: Organisation) -> list[Event]:
    """Return the events an organisation registered to, soonest first."""
    return list(db.session.scalars(select(Event).join(EventRegistration)
                                   .where(EventRegistration.organisation_id == org.id).distinct()
                                   .order_by(Event.held_on, Event.id)))


def outcome_counts(event: Event) -> dict[str, int]:
    """Count an event's meetings by outcome (pending, no_show, held, follow_up, deal)."""
    counts = dict.fromkeys(("pending", "no_show", "held", "follow_up", "deal"), 0)
    for meeting in event.meetings:
        counts[meeting.outcome] += 1
    return counts
