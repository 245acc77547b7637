"""Organiser views of an event: the suggested pairing table, the meeting schedule and the outcomes."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.errors import DomainError
from marketplace.events import bp
from marketplace.events.forms import MeetingForm, OutcomeForm
from marketplace.events.models import Event, EventRegistration, Meeting
from marketplace.events.process import MEETING, scheduling_open
from marketplace.events.services import (
    cancel_meeting,
    first_free_place,
    outcome_counts,
    record_outcome,
    registrations_by_kind,
    schedule_meeting,
    suggest_pairings,
)
from marketplace.extensions import db
from marketplace.permissions import can, require
from marketplace.web import perform


def organised_event(event_id: int, permission: str = "event.run") -> Event:
    """Return an event the current user runs (or, for reading, oversees), or answer 404/403."""
    event = db.get_or_404(Event, event_id)
    require(current_user, permission, event)
    return event


def may_schedule(event: Event) -> bool:
    """Tell whether the current user may schedule meetings at the event now."""
    return can(current_user, "event.run", event) and scheduling_open(event)


def meeting_form(event: Event) -> MeetingForm:
    """Build the meeting form with the event's registrations and grid as choices."""
    form = MeetingForm()
    needs, offerings = registrations_by_kind(event)
    form.fill(event, needs, offerings)
    return form


@bp.route("/<int:event_id>/pairings")
@login_required
def pairings(event_id: int):
    """Show the suggested pairing table: for each registered need, the best registered offerings and why."""
    event = organised_event(event_id)
    return render_pairings(event)


def render_pairings(event: Event, error: str | None = None, failed: tuple[int, int] | None = None,
                    status: int = 200):
    """Render the pairing table with the first free place suggested for every unscheduled pair."""
    rows = suggest_pairings(event, current_user)
    places = {(row.registration.id, reg.id): first_free_place(event, row.registration.organisation_id,
                                                               reg.organisation_id)
              for row in rows for _m, reg in row.matches}
    return render_template("events/pairings.html", event=event, rows=rows, places=places, error=error,
                           failed=failed, may_schedule=may_schedule(event)), status


def render_schedule(event: Event, form: MeetingForm | None = None, status: int = 200):
    """Render the schedule grid, the meeting list with outcomes and a form to schedule by hand."""
    grid = {(m.slot, m.table_no): m for m in event.meetings}
    moves = {m.id: {t.name: t for t in MEETING.available(m, current_user)} for m in event.meetings}
    return render_template("events/schedule.html", event=event, grid=grid, form=form or meeting_form(event),
                           counts=outcome_counts(event), outcome_form=OutcomeForm(), moves=moves,
                           no_shows={m.id for m in event.meetings if m.held is False},
                           may_run=can(current_user, "event.run", event), may_schedule=may_schedule(event)), status


@bp.route("/<int:event_id>/schedule")
@login_required
def schedule(event_id: int):
    """Show the event's meeting grid (time slot × table) and each meeting's outcome."""
    return render_schedule(organised_event(event_id, "event.oversee"))


@bp.route("/<int:event_id>/meetings", methods=["POST"])
@login_required
def schedule_post(event_id: int):
    """Schedule a meeting; clashes are refused with a message (and by the database if two requests race)."""
    event = organised_event(event_id)
    form = meeting_form(event)
    from_pairings = request.form.get("from") == "pairings"
    if not form.validate_on_submit() or form.slot.data is None or form.table_no.data is None:
        if from_pairings:
            return render_pairings(event, error=_("Choose a time and a table."), status=422)
        return render_schedule(event, form, 422)
    need_reg = db.session.get(EventRegistration, int(form.need_registration.data))
    offering_reg = db.session.get(EventRegistration, int(form.offering_registration.data))
    if need_reg is None or offering_reg is None:  # the form's choices are this event's registrations
        abort(404)
    try:
        schedule_meeting(event, need_reg, offering_reg, form.slot.data, form.table_no.data, current_user)
        db.session.commit()
    except (DomainError, IntegrityError) as exc:
        db.session.rollback()
        message = str(exc) if isinstance(exc, DomainError) else \
            _("That table or one of the organisations was booked meanwhile. Choose another time.")
        if from_pairings:
            return render_pairings(event, error=message, failed=(need_reg.id, offering_reg.id), status=422)
        form.slot.errors.append(message)
        return render_schedule(event, form, 422)
    flash(_("Meeting scheduled."), "success")
    return redirect(url_for("events.pairings" if from_pairings else "events.schedule", event_id=event.id))


def event_meeting(event_id: int, meeting_id: int) -> Meeting:
    """Return a meeting of an event the current user runs."""
    event = organised_event(event_id)
    meeting = db.get_or_404(Meeting, meeting_id)
    if meeting.event_id != event.id:
        abort(404)
    return meeting


@bp.route("/<int:event_id>/meetings/<int:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel(event_id: int, meeting_id: int):
    """Cancel a meeting whose outcome is not recorded yet."""
    meeting = event_meeting(event_id, meeting_id)
    perform(lambda: cancel_meeting(meeting, current_user), _("Meeting cancelled."), refusals=(DomainError,))
    return redirect(url_for("events.schedule", event_id=event_id))


@bp.route("/<int:event_id>/meetings/<int:meeting_id>/outcome", methods=["POST"])
@login_required
def outcome(event_id: int, meeting_id: int):
    """Record what came of a meeting: held or not, follow-up, deal."""
    meeting = event_meeting(event_id, meeting_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(_("Say whether the meeting took place."), "error")
        return render_schedule(meeting.event, status=422)
    if not perform(lambda: record_outcome(meeting, form.held.data == "yes", form.follow_up.data, form.deal.data,
                                          form.note.data, current_user),
                   _("Outcome recorded."), refusals=(DomainError,)):
        return render_schedule(meeting.event, status=422)
    return redirect(url_for("events.schedule", event_id=event_id) + f"#meeting-{meeting.id}")
