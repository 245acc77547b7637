"""Forms for curating cases (with measured-result rows) and for the quality provider directory."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from marketplace.forms_common import Chosen, MeasureField, VocabMixin, WholeNumberField, YuanField, strip_filter


class ResultRow(Form):
    """One measured result: indicator, value before and after, unit and which way is better; empty rows are skipped."""

    indicator = StringField(_l("Indicator"), filters=[strip_filter], validators=[Optional(), Length(max=60)])
    before = MeasureField(_l("Before"), validators=[Optional()])
    after = MeasureField(_l("After"), validators=[Optional()])
    unit = StringField(_l("Unit"), filters=[strip_filter], validators=[Optional(), Length(max=20)])
    better = SelectField(_l("Better when"), choices=[("lower", _l("lower")), ("higher", _l("higher"))],
                         default="lower")

    def validate_indicator(self, field):
        """A row that has anything in it needs an indicator, both values and a unit."""
        filled = [self.indicator.data, self.before.raw_data and self.before.raw_data[0],
                  self.after.raw_data and self.after.raw_data[0], self.unit.data]
        if any(filled) and not (self.indicator.data and self.before.data is not None
                                and self.after.data is not None and self.unit.data):
            raise ValidationError(_l("A result needs an indicator, the values before and after, and a unit."))


class CaseForm(VocabMixin, FlaskForm):
    """A showcase case as a promotion center curates it."""

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city"}

    title = StringField(_l("Title"), filters=[strip_filter], validators=[DataRequired(), Length(max=160)])
    enterprise_name = StringField(_l("Enterprise"), filters=[strip_filter],
                                  validators=[DataRequired(), Length(max=120)])
    anonymous = BooleanField(_l("Do not publish the enterprise's name (the public reads the city and industry)"))
    vendor_id = SelectField(_l("Provider that delivered it"), validators=[Optional()])
    offering_id = SelectField(_l("Offering it used"), validators=[Optional()])
    need_id = SelectField(_l("Need it answered"), validators=[Optional()])
    industry = SelectField(_l("Industry"), validators=[Chosen()])
    scenario = SelectField(_l("Scenario"), validators=[Chosen()])
    city = SelectField(_l("City"), validators=[Optional()])
    problem = TextAreaField(_l("Problem"), filters=[strip_filter], validators=[DataRequired(), Length(max=8000)])
    solution = TextAreaField(_l("Solution"), filters=[strip_filter], validators=[DataRequired(), Length(max=8000)])
    investment = YuanField(_l("Investment (CNY)"), validators=[Optional()])
    year = WholeNumberField(_l("Year"), default=lambda: date.today().year, min=2000, max=2100,
                            validators=[DataRequired(message=_l("Enter the year, e.g. 2025."))])
    results = FieldList(FormField(ResultRow), min_entries=4, max_entries=20)

    def fill_links(self, choices: dict) -> None:
        """Set the choices of the vendor, offering and need fields from `link_choices()`."""
        self.vendor_id.choices = [("", "—")] + [(str(o.id), o.name) for o in choices["vendors"]]
        self.offering_id.choices = [("", "—")] + [(str(o.id), f"{o.organisation.name} — {o.title}")
                                                  for o in choices["offerings"]]
        self.need_id.choices = [("", "—")] + [(str(n.id), f"{n.title}（{n.organisation.name}）")
                                              for n in choices["needs"]]

    def result_rows(self) -> list[dict]:
        """Return the filled result rows as plain dicts."""
        rows = []
        for entry in self.results.entries:
            data = entry.form.data
            if data.get("indicator"):
                rows.append({k: data[k] for k in ("indicator", "before", "after", "unit", "better")})
        return rows

    def link_ids(self) -> dict:
        """Return the chosen vendor, offering and need as ids (None when not chosen)."""
        return {name: int(getattr(self, name).data) if getattr(self, name).data else None
                for name in ("vendor_id", "offering_id", "need_id")}


def future_date(form, field):
    """Require a date after today."""
    if field.data is not None and field.data <= date.today():
        raise ValidationError(_l("Choose a date in the future."))


class DirectoryDecisionForm(FlaskForm):
    """Add a provider to the quality directory, renew it, or remove it; always with a reason."""

    provider_id = SelectField(_l("Provider"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), filters=[strip_filter], validators=[DataRequired(), Length(max=2000)])
    review_on = DateField(_l("Review by"), validators=[Optional(), future_date])
