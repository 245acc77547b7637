"""Forms for provider profiles, model cards (with evaluation rows), offerings and browsing filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from marketplace.catalog.fields import (
    EVALUATION_FIELDS,
    MAX_DELIVERY_DAYS,
    MAX_EVALUATIONS,
    MAX_PRICE_FEN,
    MODEL_FIELDS,
    OFFERING_FIELDS,
    PROVIDER_FIELDS,
    VERSION_FIELDS,
)
from marketplace.field_rules import checks
from marketplace.forms_common import Chosen, MultiCheckboxField, VocabMixin, WholeNumberField, YuanField, strip_filter


def at_least_one(form, field):
    """Require at least one choice in a multiple-choice field."""
    if not field.data:
        raise ValidationError(_l("Choose at least one."))


class ProviderForm(VocabMixin, FlaskForm):
    """A vendor's service-provider profile."""

    vocab_fields = {"provider_type": "provider_type", "industries": "industry", "scenarios": "scenario",
                    "cities_served": "city"}

    provider_type = SelectField(_l("Provider type"), validators=[Chosen()])
    summary = StringField(_l("One-line summary"), filters=[strip_filter], validators=checks(PROVIDER_FIELDS, "summary"))
    capabilities = TextAreaField(_l("Capabilities"), filters=[strip_filter],
                                 validators=checks(PROVIDER_FIELDS, "capabilities"))
    industries = MultiCheckboxField(_l("Industries served"), validators=[at_least_one])
    scenarios = MultiCheckboxField(_l("Scenarios served"), validators=[at_least_one])
    cities_served = MultiCheckboxField(_l("Cities served"), validators=[at_least_one])
    reference_cases = TextAreaField(_l("Reference customers and projects"), filters=[strip_filter],
                                    validators=checks(PROVIDER_FIELDS, "reference_cases"))
    certifications = StringField(_l("Certifications (comma separated)"), filters=[strip_filter],
                                 validators=checks(PROVIDER_FIELDS, "certifications"))


def optional_id(value) -> int | None:
    """Read a select's value as a record id, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice: the select refuses it


def optional_row_id(value) -> int | None:
    """Read the hidden id of an evaluation row (None for a new row or anything that is not a number)."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class EvaluationRow(Form):
    """One evaluation result of a model card; an empty row is ignored.

    Naming a third-party evaluator organisation makes the row wait for that organisation's attestation; until
    it attests, the row shows as self-reported."""

    row_id = HiddenField(filters=[optional_row_id])
    metric = StringField(_l("Metric"), filters=[strip_filter], validators=checks(EVALUATION_FIELDS, "metric", True))
    value = StringField(_l("Value"), filters=[strip_filter], validators=checks(EVALUATION_FIELDS, "value", True))
    dataset = StringField(_l("Dataset"), filters=[strip_filter], validators=checks(EVALUATION_FIELDS, "dataset"))
    evaluator = StringField(_l("Evaluated by"), filters=[strip_filter],
                            validators=checks(EVALUATION_FIELDS, "evaluator"))
    evaluator_org_id = SelectField(_l("Third-party evaluator (must attest)"), coerce=optional_id, choices=[("", "")])

    def validate_metric(self, field):
        """A row that has anything in it needs a metric, a value and an evaluator (named or chosen)."""
        named = self.evaluator.data or self.evaluator_org_id.data
        filled = [self.metric.data, self.value.data, self.dataset.data, named]
        if any(filled) and not (self.metric.data and self.value.data and named):
            raise ValidationError(_l("A result needs a metric, a value and who evaluated it."))


class ModelForm(VocabMixin, FlaskForm):
    """An industrial model card."""

    vocab_fields = {"kind": "model_kind", "industries": "industry", "scenarios": "scenario",
                    "modalities": "modality", "deployments": "deployment"}

    name = StringField(_l("Model name"), filters=[strip_filter], validators=checks(MODEL_FIELDS, "name"))
    kind = SelectField(_l("Model kind"), validators=[Chosen()])
    version = StringField(_l("Version"), filters=[strip_filter], validators=checks(MODEL_FIELDS, "version"))
    summary = StringField(_l("One-line summary"), filters=[strip_filter], validators=checks(MODEL_FIELDS, "summary"))
    description = TextAreaField(_l("Description"), filters=[strip_filter],
                                validators=checks(MODEL_FIELDS, "description"))
    tasks = StringField(_l("Tasks (comma separated)"), filters=[strip_filter], validators=checks(MODEL_FIELDS, "tasks"))
    industries = MultiCheckboxField(_l("Industries"), validators=[at_least_one])
    scenarios = MultiCheckboxField(_l("Scenarios"), validators=[at_least_one])
    modalities = MultiCheckboxField(_l("Input modalities"), validators=[at_least_one])
    deployments = MultiCheckboxField(_l("Deployment"), validators=[at_least_one])
    hardware = StringField(_l("Hardware needs"), filters=[strip_filter], validators=checks(MODEL_FIELDS, "hardware"))
    licence = StringField(_l("Licence"), filters=[strip_filter], validators=checks(MODEL_FIELDS, "licence"))
    intended_use = TextAreaField(_l("Intended use"), filters=[strip_filter],
                                 validators=checks(MODEL_FIELDS, "intended_use"),
                                 description=_l("Which tasks, lines and users the model is made for."))
    limitations = TextAreaField(_l("Out-of-scope use and limitations"), filters=[strip_filter],
                                validators=checks(MODEL_FIELDS, "limitations"),
                                description=_l("Where it should not be used, and where it is known to do worse."))
    training_data = TextAreaField(_l("Training data"), filters=[strip_filter],
                                  validators=checks(MODEL_FIELDS, "training_data"),
                                  description=_l("What the model learnt from: sources, volume, time span, labelling."))
    evaluations = FieldList(FormField(EvaluationRow), min_entries=3, max_entries=MAX_EVALUATIONS)

    def set_evaluator_choices(self, choices: list[tuple[int, str]]) -> None:
        """Offer the evaluator organisations (evaluation bodies and promotion centers) in every row's select."""
        options = [("", _l("None (self-reported)")), *choices]
        for entry in self.evaluations.entries:
            entry.form.evaluator_org_id.choices = options

    def evaluation_rows(self) -> list[dict]:
        """Return the filled evaluation rows as plain dicts."""
        rows = []
        for entry in self.evaluations.entries:
            data = entry.form.data
            if data.get("metric"):
                rows.append({k: data[k] for k in ("row_id", "metric", "value", "dataset", "evaluator",
                                                  "evaluator_org_id")})
        return rows


class VersionForm(FlaskForm):
    """A new release in a model card's version history (earlier releases stay as they are)."""

    number = StringField(_l("Version number"), filters=[strip_filter], validators=checks(VERSION_FIELDS, "number"))
    released_on = DateField(_l("Release date"), validators=[DataRequired(message=_l("Give a date as YYYY-MM-DD."))])
    notes = TextAreaField(_l("What changed"), filters=[strip_filter], validators=checks(VERSION_FIELDS, "notes"))


class OfferingForm(VocabMixin, FlaskForm):
    """A model-supermarket offering."""

    vocab_fields = {"pricing_plan": "plan", "industries": "industry", "scenarios": "scenario",
                    "deployments": "deployment"}

    title = StringField(_l("Title"), filters=[strip_filter], validators=checks(OFFERING_FIELDS, "title"))
    summary = StringField(_l("One-line summary"), filters=[strip_filter], validators=checks(OFFERING_FIELDS, "summary"))
    description = TextAreaField(_l("Description"), filters=[strip_filter],
                                validators=checks(OFFERING_FIELDS, "description"))
    pricing_plan = SelectField(_l("Pricing plan"), validators=[Chosen()])
    price = YuanField(_l("Price (CNY)"), validators=[DataRequired()], max_fen=MAX_PRICE_FEN)
    delivery_days = WholeNumberField(_l("Delivery time (days)"), min=1, max=MAX_DELIVERY_DAYS,
                                     validators=[DataRequired(message=_l("Enter a whole number of days."))])
    deployments = MultiCheckboxField(_l("Deployment"), validators=[at_least_one])
    industries = MultiCheckboxField(_l("Industries"), validators=[at_least_one])
    scenarios = MultiCheckboxField(_l("Scenarios"), validators=[at_least_one])
    model_ids = SelectMultipleField(_l("Models behind it"), coerce=int, validators=[Optional()])
    tags = StringField(_l("Tags (comma separated)"), filters=[strip_filter], validators=checks(OFFERING_FIELDS, "tags"))

    def validate_price(self, field):
        """A price must be more than zero."""
        if field.fen is not None and field.fen <= 0:
            raise ValidationError(_l("The price must be more than zero."))


class BrowseForm(VocabMixin, FlaskForm):
    """Filters for the public list pages; read from the query string, never CSRF-checked."""

    class Meta:
        csrf = False

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city", "deployment": "deployment",
                    "kind": "model_kind", "plan": "plan"}

    q = StringField(_l("Text"), filters=[strip_filter], validators=[Optional(), Length(max=200)])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    scenario = SelectField(_l("Scenario"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()])
    deployment = SelectField(_l("Deployment"), validators=[Optional()])
    kind = SelectField(_l("Model kind"), validators=[Optional()])
    plan = SelectField(_l("Pricing plan"), validators=[Optional()])
    price_min = YuanField(_l("Price from (CNY)"), validators=[Optional()])
    price_max = YuanField(_l("Price up to (CNY)"), validators=[Optional()])
    voucher = BooleanField(_l("Voucher-eligible only"))
    verified = BooleanField(_l("Verified organisations only"))
    sort = SelectField(_l("Sort by"), validators=[Optional()], validate_choice=False)

    def validate_price_max(self, field):
        """A price range whose lowest price is above its highest finds nothing: say so instead."""
        low, high = self.price_min.fen, field.fen
        if low is not None and high is not None and low > high:
            raise ValidationError(_l("The highest price is below the lowest price."))

    def filters(self) -> dict:
        """Return the valid filters as a dict for the browse services (invalid ones dropped)."""
        out = {}
        for name in ("q", "industry", "scenario", "city", "deployment", "kind", "plan"):
            field = getattr(self, name)
            if field.data and not field.errors:
                out[name] = field.data
        for name in ("price_min", "price_max"):
            field = getattr(self, name)
            if field.fen is not None and not field.errors:
                out[name] = field.fen
        if self.voucher.data:
            out["voucher"] = True
        if self.verified.data:
            out["verified"] = True
        return out
