"""Forms of the expert pool: keeping an expert, filtering the pool, requesting an expert, scheduling a visit."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.accounts.forms import VALID_EMAIL
from marketplace.catalog.forms import at_least_one, optional_id
from marketplace.experts.models import Availability, RequestKind
from marketplace.forms_common import Chosen, MultiCheckboxField, VocabMixin, strip_filter

AVAILABILITY_LABELS = {
    Availability.AVAILABLE.value: _l("Takes requests"),
    Availability.LIMITED.value: _l("Limited availability"),
    Availability.UNAVAILABLE.value: _l("Not taking requests now"),
}
REQUEST_KIND_LABELS = {
    RequestKind.DIAGNOSIS.value: _l("On-site diagnosis (诊断)"),
    RequestKind.CONSULTATION.value: _l("Consultation"),
}


class ExpertForm(VocabMixin, FlaskForm):
    """One expert of a promotion center's pool."""

    vocab_fields = {"industries": "industry", "scenarios": "scenario", "cities": "city"}

    name = StringField(_l("Name"), filters=[strip_filter], validators=[DataRequired(), Length(max=60)])
    position = StringField(_l("Title or position"), filters=[strip_filter],
                           validators=[DataRequired(), Length(max=80)])
    employer = StringField(_l("Organisation"), filters=[strip_filter], validators=[DataRequired(), Length(max=120)])
    fields = StringField(_l("Fields of expertise"), filters=[strip_filter],
                         validators=[DataRequired(), Length(min=4, max=300)])
    bio = TextAreaField(_l("Background"), filters=[strip_filter], validators=[Optional(), Length(max=3000)])
    industries = MultiCheckboxField(_l("Industries"), validators=[at_least_one])
    scenarios = MultiCheckboxField(_l("Scenarios"), validators=[at_least_one])
    cities = MultiCheckboxField(_l("Cities the expert visits"), validators=[at_least_one])
    availability = SelectField(_l("Availability"), choices=list(AVAILABILITY_LABELS.items()),
                               default=Availability.AVAILABLE.value, validators=[Chosen()])
    phone = StringField(_l("Telephone"), filters=[strip_filter], validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail"), filters=[strip_filter], validators=[Optional(), VALID_EMAIL, Length(max=120)])
    active = BooleanField(_l("In the public pool"), default=True)


class ExpertBrowseForm(VocabMixin, FlaskForm):
    """Filters of the public pool; read from the query string, never CSRF-checked."""

    class Meta:
        csrf = False

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city"}

    q = StringField(_l("Text"), filters=[strip_filter], validators=[Optional(), Length(max=60)])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    scenario = SelectField(_l("Scenario"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()])
    available = BooleanField(_l("Taking requests only"))

    def filters(self) -> dict:
        """Return the valid filters (invalid ones dropped)."""
        out = {name: getattr(self, name).data for name in ("q", "industry", "scenario", "city")
               if getattr(self, name).data and not getattr(self, name).errors}
        if self.available.data:
            out["available"] = True
        return out


class RequestForm(FlaskForm):
    """An SME's request to an expert."""

    kind = SelectField(_l("What you ask for"), choices=list(REQUEST_KIND_LABELS.items()),
                      default=RequestKind.DIAGNOSIS.value,
                      validators=[Chosen(_l("Choose a diagnosis or a consultation."))])
    topic = StringField(_l("Topic"), filters=[strip_filter], validators=[DataRequired(), Length(min=4, max=200)])
    details = TextAreaField(_l("What the expert should know beforehand"), filters=[strip_filter],
                            validators=[Optional(), Length(max=3000)])
    need_id = SelectField(_l("About one of your needs (optional)"), coerce=optional_id, validators=[Optional()])


class ScheduleForm(FlaskForm):
    """The center accepts a request and schedules the visit."""

    scheduled_for = DateTimeLocalField(_l("Date and time (Beijing time)"), format="%Y-%m-%dT%H:%M",
                                       validators=[DataRequired(message=_l("Enter the date and time of the visit."))])
    place = StringField(_l("Place (address, or “online” with the meeting link)"), filters=[strip_filter],
                        validators=[DataRequired(), Length(max=200)])
    answer = TextAreaField(_l("Note to the enterprise"), filters=[strip_filter],
                           validators=[Optional(), Length(max=1000)])
