"""Event views: the public list and event pages; centers create and edit events; SMEs and vendors register."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.errors import DomainError
from marketplace.events import bp
from marketplace.events.forms import EventForm, RegistrationForm
from marketplace.events.models import Event, EventRegistration
from marketplace.events.process import registration_open
from marketplace.events.services import (
    browse_events,
    eligible_listings,
    events_of,
    register_listing,
    registered_organisations,
    registrations_by_kind,
    save_event,
    schedule_of,
    withdraw_registration,
)
from marketplace.extensions import db
from marketplace.forms_common import prompted
from marketplace.needs.permissions import owner_visible_ids
from marketplace.permissions import can, permission_required, require
from marketplace.web import perform, submit


def event_or_404(event_id: int) -> Event:
    """Return the event or answer 404."""
    return db.get_or_404(Event, event_id)


@bp.route("/")
def index():
    """List upcoming and past matchmaking events."""
    return render_template("events/index.html", upcoming=list(db.session.scalars(browse_events(True))),
                           past=list(db.session.scalars(browse_events(False).limit(20))),
                           may_create=can(current_user, "event.create"),
                           has_schedule=can(current_user, "event.schedule"))


def registration_form(event: Event) -> RegistrationForm:
    """Build the registration form with the user's listings that can still be registered."""
    form = RegistrationForm()
    form.listing.choices = prompted((str(x.id), x.title) for x in eligible_listings(event, current_user))
    return form


def render_detail(event: Event, form: RegistrationForm | None = None, status: int = 200):
    """Render an event page for the current user: organisers see everything, participants their part."""
    needs, offerings = registrations_by_kind(event)
    mine = [r for r in event.registrations if current_user.is_authenticated
            and r.organisation_id == current_user.organisation_id]
    my_meetings = [m for m in event.meetings if current_user.is_authenticated
                   and current_user.organisation_id in (m.enterprise_id, m.vendor_id)]
    is_open = registration_open(event)
    may_register = can(current_user, "event.register") and is_open
    return render_template("events/detail.html", event=event, needs=needs, offerings=offerings, mine=mine,
                           my_meetings=my_meetings, owners_shown=meeting_owners_shown(my_meetings),
                           may_run=can(current_user, "event.run", event),
                           may_withdraw={r.id: is_open and can(current_user, "event.withdraw", r) for r in mine},
                           form=form or (registration_form(event) if may_register else None),
                           organisations=registered_organisations(event)), status


def meeting_owners_shown(meetings) -> set[int]:
    """Return the ids of the meetings' needs whose SME the viewer may see (the need privacy rule, one query)."""
    return owner_visible_ids(current_user, [m.need_registration.need for m in meetings])


@bp.route("/<int:event_id>")
def detail(event_id: int):
    """Show an event: what it is about, who registered, and for participants their meetings."""
    return render_detail(event_or_404(event_id))


def event_fields(form: EventForm) -> dict:
    """Collect the event fields from a validated form."""
    return {k: getattr(form, k).data for k in ("title", "description", "held_on", "starts_at", "city", "venue",
                                               "industries", "scenarios", "capacity", "table_count", "slot_count",
                                               "slot_minutes")}


def save_from_form(form: EventForm, center, event: Event | None):
    """Save a validated event form through the service; a refusal becomes a field error."""
    return submit(form, lambda: save_event(center, event_fields(form), event=event))[1]


@bp.route("/new", methods=["GET", "POST"])
@permission_required("event.create")
def new():
    """Create a matchmaking event."""
    center = current_user.organisation
    form = EventForm()
    form.fill_vocab()
    if form.validate_on_submit():
        event = save_from_form(form, center, None)
        if event is not None:
            flash(_("Event created. SMEs and vendors can register now."), "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=None), (422 if any(f.errors for f in form) else 200)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    """Edit an event the center runs."""
    event = event_or_404(event_id)
    require(current_user, "event.run", event)
    form = EventForm(obj=event)
    form.fill_vocab()
    if form.validate_on_submit():
        if save_from_form(form, event.center, event) is not None:
            flash(_("Event saved."), "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=event), (422 if any(f.errors for f in form) else 200)


@bp.route("/<int:event_id>/register", methods=["POST"])
@permission_required("event.register")
def register(event_id: int):
    """Register one of the SME's needs or the vendor's offerings to an event."""
    event = event_or_404(event_id)
    form = registration_form(event)
    if not form.validate_on_submit():
        return render_detail(event, form, 422)
    try:
        register_listing(event, int(form.listing.data), current_user)
    except DomainError as exc:
        db.session.rollback()
        form.listing.errors.append(str(exc))
        return render_detail(event, form, 422)
    db.session.commit()
    flash(_("Registered. The organiser will schedule your meetings."), "success")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.route("/<int:event_id>/registrations/<int:registration_id>/withdraw", methods=["POST"])
@login_required
def withdraw(event_id: int, registration_id: int):
    """Withdraw a registration that has no meetings yet."""
    registration = db.session.get(EventRegistration, registration_id)
    if registration is None or registration.event_id != event_id:
        abort(404)
    perform(lambda: withdraw_registration(registration, current_user), _("Registration withdrawn."),
            refusals=(DomainError,))
    return redirect(url_for("events.detail", event_id=event_id))


@bp.route("/mine")
@permission_required("event.schedule")
def mine():
    """Show the signed-in organisation's events and its meeting schedule."""
    org = current_user.organisation
    meetings = schedule_of(org)
    return render_template("events/mine.html", events=events_of(org), meetings=meetings,
                           owners_shown=meeting_owners_shown(meetings))
