"""Forms of the datasets package: a dataset and its data card, the public list's filters, an access request."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.catalog.forms import at_least_one, optional_id
from marketplace.forms_common import Chosen, MeasureField, MultiCheckboxField, VocabMixin, strip_filter


class DatasetForm(VocabMixin, FlaskForm):
    """A dataset: what it holds, how sensitive it is, how it can be used, and its data card."""

    vocab_fields = {"industries": "industry", "scenarios": "scenario", "modalities": "modality",
                    "labelling": "labelling", "sensitivity": "sensitivity", "access_mode": "access_mode"}

    title = StringField(_l("Title"), filters=[strip_filter], validators=[DataRequired(), Length(max=120)])
    summary = StringField(_l("Summary"), filters=[strip_filter], validators=[DataRequired(), Length(max=300)])
    industries = MultiCheckboxField(_l("Industries"), validators=[at_least_one])
    scenarios = MultiCheckboxField(_l("Scenarios"), validators=[at_least_one])
    modalities = MultiCheckboxField(_l("Modality"), validators=[at_least_one])
    volume_amount = MeasureField(_l("Volume"), digits=14, places=2,
                                 validators=[InputRequired(message=_l("Enter the volume as a number."))])
    volume_unit = StringField(_l("Unit of the volume"), filters=[strip_filter],
                              validators=[DataRequired(), Length(max=40)])
    span_from = DateField(_l("Collected from"), validators=[Optional()])
    span_to = DateField(_l("Collected until"), validators=[Optional()])
    labelling = SelectField(_l("Labelling"), validators=[Chosen()])
    labels = StringField(_l("What is labelled"), filters=[strip_filter], validators=[Optional(), Length(max=300)])
    sample_available = BooleanField(_l("A sample can be provided"))
    sensitivity = SelectField(_l("Sensitivity class"), validators=[Chosen()])
    access_mode = SelectField(_l("Access mode"), validators=[Chosen()])
    registration_no = StringField(_l("Data-asset registration number (工业数据资产登记), if any"),
                                  filters=[strip_filter], validators=[Optional(), Length(max=60)])
    collection = TextAreaField(_l("Collection: sources, equipment, period and sampling"), filters=[strip_filter],
                               validators=[DataRequired(), Length(max=4000)])
    processing = TextAreaField(_l("Processing and cleaning"), filters=[strip_filter],
                               validators=[Optional(), Length(max=4000)])
    intended_uses = TextAreaField(_l("Intended uses"), filters=[strip_filter],
                                  validators=[Optional(), Length(max=4000)])
    limitations = TextAreaField(_l("Known limits and biases"), filters=[strip_filter],
                                validators=[Optional(), Length(max=4000)])
    terms = TextAreaField(_l("Licence and terms of use"), filters=[strip_filter],
                          validators=[Optional(), Length(max=4000)])


class DatasetBrowseForm(VocabMixin, FlaskForm):
    """Filters of the public dataset list; read from the query string, never CSRF-checked."""

    class Meta:
        csrf = False

    vocab_fields = {"modality": "modality", "access_mode": "access_mode", "industry": "industry",
                    "scenario": "scenario", "sensitivity": "sensitivity"}
    FILTERS = ("q", "modality", "access_mode", "industry", "scenario", "sensitivity")

    q = StringField(_l("Text"), filters=[strip_filter], validators=[Optional(), Length(max=60)])
    modality = SelectField(_l("Modality"), validators=[Optional()])
    access_mode = SelectField(_l("Access mode"), validators=[Optional()])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    scenario = SelectField(_l("Scenario"), validators=[Optional()])
    sensitivity = SelectField(_l("Sensitivity class"), validators=[Optional()])
    sample = BooleanField(_l("Sample available only"))

    def filters(self) -> dict:
        """Return the valid filters (invalid ones dropped)."""
        out = {name: getattr(self, name).data for name in self.FILTERS
               if getattr(self, name).data and not getattr(self, name).errors}
        if self.sample.data:
            out["sample"] = True
        return out


class AccessForm(FlaskForm):
    """An organisation asks a dataset's owner to use the data."""

    purpose = StringField(_l("Purpose"), filters=[strip_filter], validators=[DataRequired(), Length(min=4, max=300)])
    intended_use = TextAreaField(_l("Intended model or use, and how the data would be handled"),
                                 filters=[strip_filter], validators=[Optional(), Length(max=3000)])
    model_id = SelectField(_l("One of your models it would train or tune (optional)"), coerce=optional_id,
                           validators=[Optional()])
