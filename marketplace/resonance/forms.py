"""Agreement forms: title, descriptions, party rows (organisation, role, share in %), covered offerings, and the
datasets and models it names."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from marketplace.forms_common import Chosen, PercentField, WholeNumberField, YuanField, optional_int, strip_filter
from marketplace.resonance.services import PartyTerm

ROLE_CHOICES = [("", "—"), ("data", _l("Data provider (数据方)")), ("model", _l("Model developer (模型方)")),
                ("center", _l("Promotion center")), ("platform", _l("Platform"))]


def percent_to_bp(text: str | None) -> int:
    """Parse a percentage with at most two decimals into basis points ('37.5' → 3750)."""
    try:
        value = Decimal(str(text).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise ValueError("not a number") from None
    bp = value * 100
    if not value.is_finite() or bp != bp.to_integral_value():
        raise ValueError("more than two decimals")
    return int(bp)


class PartyRow(Form):
    """One party: organisation, role and share in percent; an empty row is ignored."""

    organisation_id = SelectField(_l("Organisation"), coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                                  validators=[Optional()])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[Optional()])
    share = PercentField(_l("Share in percent"), filters=[strip_filter], validators=[Optional(), Length(max=10)])

    def validate_share(self, field):
        """A filled row needs a role and a share with at most two decimals."""
        if not self.organisation_id.data:
            return
        if not self.role.data:
            raise ValidationError(_l("Choose a role."))
        try:
            bp = percent_to_bp(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a percentage such as 40 or 12.5.")) from None
        if bp <= 0:
            raise ValidationError(_l("The share must be more than zero."))


class AgreementForm(FlaskForm):
    """Draft or amend an agreement."""

    title = StringField(_l("Title"), filters=[strip_filter], validators=[DataRequired(), Length(max=160)])
    agent_description = TextAreaField(_l("The agent or model being built"), filters=[strip_filter],
                                      validators=[DataRequired(), Length(max=3000)])
    data_description = TextAreaField(_l("The industrial data contributed (a description, not the data)"),
                                     filters=[strip_filter], validators=[DataRequired(), Length(max=3000)])
    parties = FieldList(FormField(PartyRow), min_entries=4, max_entries=8)
    offering_ids = SelectMultipleField(_l("Offerings it covers"), coerce=int, validators=[Optional()])
    dataset_ids = SelectMultipleField(_l("Datasets: the data side"), coerce=int, validators=[Optional()])
    model_ids = SelectMultipleField(_l("Models: the model side"), coerce=int, validators=[Optional()])
    note = StringField(_l("What changes (for an amendment)"), filters=[strip_filter],
                       validators=[Optional(), Length(max=500)])

    def party_terms(self) -> list[PartyTerm]:
        """Return the filled party rows as terms."""
        terms = []
        for entry in self.parties.entries:
            row = entry.form
            if row.organisation_id.data:
                terms.append(PartyTerm(row.organisation_id.data, row.role.data, percent_to_bp(row.share.data)))
        return terms


class StatementForm(FlaskForm):
    """Statement filters: period and agreement."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    agreement = WholeNumberField(_l("Agreement"), min=1, validators=[Optional()])
    party = WholeNumberField(_l("Party"), min=1, validators=[Optional()])

    def validate_end(self, field):
        """The period may not end before it starts."""
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))


class DemonstrationForm(FlaskForm):
    """Select an active agreement as a demonstration case for a year."""

    agreement_id = SelectField(_l("Agreement"), coerce=optional_int, validators=[Chosen()])
    year = WholeNumberField(_l("Year"), default=lambda: date.today().year, min=2024, max=2035,
                            validators=[DataRequired()])
    award = YuanField(_l("Award (CNY)"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why this case"), filters=[strip_filter], validators=[DataRequired(), Length(max=500)])
