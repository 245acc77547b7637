"""Forms for events: the event itself, registering a listing, scheduling a meeting, recording its outcome."""
from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from marketplace.forms_common import Chosen, MultiCheckboxField, VocabMixin, WholeNumberField, prompted, strip_filter


def whole_number(label, low: int, high: int, default: int) -> WholeNumberField:
    """Return a required whole-number field between low and high."""
    return WholeNumberField(label, default=default, min=low, max=high,
                            validators=[DataRequired(message=_l("Enter a whole number."))])


class EventForm(VocabMixin, FlaskForm):
    """A 供需对接 event: when, where, what it focuses on and how many it can take."""

    vocab_fields = {"city": "city", "industries": "industry", "scenarios": "scenario"}

    title = StringField(_l("Title"), filters=[strip_filter], validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(_l("Description"), filters=[strip_filter], validators=[Optional(), Length(max=5000)])
    held_on = DateField(_l("Date"), validators=[DataRequired(message=_l("Enter the date of the event."))])
    starts_at = TimeField(_l("First meeting at"), default=time(14, 0),
                          validators=[DataRequired(message=_l("Enter a time, e.g. 14:00."))])
    city = SelectField(_l("City"), validators=[Chosen()])
    venue = StringField(_l("Venue"), filters=[strip_filter], validators=[Optional(), Length(max=200)])
    industries = MultiCheckboxField(_l("Industries in focus"))
    scenarios = MultiCheckboxField(_l("Scenarios in focus"))
    capacity = whole_number(_l("Capacity (organisations)"), 1, 2000, default=40)
    table_count = whole_number(_l("Meeting tables"), 1, 100, default=6)
    slot_count = whole_number(_l("Time slots"), 1, 48, default=6)
    slot_minutes = whole_number(_l("Minutes per slot"), 5, 240, default=20)

    def validate_scenarios(self, field):
        """An event focuses on at least one industry or scenario."""
        if not field.data and not self.industries.data:
            raise ValidationError(_l("Choose at least one industry or scenario in focus."))


class RegistrationForm(FlaskForm):
    """Register one of the organisation's needs (SME) or offerings (vendor) to an event."""

    listing = SelectField(_l("What to register"), validators=[Chosen(_l("Choose what to register."))])


class MeetingForm(FlaskForm):
    """Schedule a meeting of a registered need and a registered offering at a table in a slot."""

    need_registration = SelectField(_l("Need"), validators=[Chosen()])
    offering_registration = SelectField(_l("Offering"), validators=[Chosen()])
    slot = SelectField(_l("Time"), coerce=int, validators=[Optional()])
    table_no = SelectField(_l("Table"), coerce=int, validators=[Optional()])

    def fill(self, event, needs, offerings) -> None:
        """Set the choices from the event's grid and registrations."""
        self.need_registration.choices = prompted((str(r.id), f"{r.need.title}（{r.organisation.name}）")
                                                  for r in needs)
        self.offering_registration.choices = prompted((str(r.id), f"{r.offering.title}（{r.organisation.name}）")
                                                      for r in offerings)
        self.slot.choices = [(i, t.strftime("%H:%M")) for i, t in event.slots]
        self.table_no.choices = [(t, str(t)) for t in range(1, event.table_count + 1)]


class OutcomeForm(FlaskForm):
    """What came of a meeting: did it take place, was a follow-up agreed, was a deal reached."""

    held = SelectField(_l("Took place"), choices=prompted([("yes", _l("Yes")), ("no", _l("No (no-show)"))]),
                       validators=[Chosen()])
    follow_up = BooleanField(_l("Follow-up agreed"))
    deal = BooleanField(_l("Deal reached"))
    note = StringField(_l("Note"), filters=[strip_filter], validators=[Optional(), Length(max=500)])
