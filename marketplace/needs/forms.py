"""The scenario-need form and the needs browsing filters."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from marketplace.field_rules import checks
from marketplace.forms_common import Chosen, VocabMixin, YuanField, prompted, strip_filter
from marketplace.needs.fields import MAX_BUDGET_FEN, NEED_FIELDS, budget_problem, deadline_problem


class NeedForm(VocabMixin, FlaskForm):
    """Post or edit a scenario need."""

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city", "deployment": "deployment"}

    title = StringField(_l("Title"), filters=[strip_filter], validators=checks(NEED_FIELDS, "title"))
    description = TextAreaField(_l("Describe the problem"), filters=[strip_filter],
                                validators=checks(NEED_FIELDS, "description"))
    industry = SelectField(_l("Industry"), validators=[Chosen()])
    scenario = SelectField(_l("Scenario"), validators=[Chosen()])
    pain_points = TextAreaField(_l("Pain points"), filters=[strip_filter],
                                validators=checks(NEED_FIELDS, "pain_points"))
    data_available = TextAreaField(_l("Data you have"), filters=[strip_filter],
                                   validators=checks(NEED_FIELDS, "data_available"))
    budget_min = YuanField(_l("Budget from (CNY)"), validators=[Optional()], max_fen=MAX_BUDGET_FEN)
    budget_max = YuanField(_l("Budget up to (CNY)"), validators=[Optional()], max_fen=MAX_BUDGET_FEN)
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    deployment = SelectField(_l("Deployment constraint"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Chosen()])
    visibility = SelectField(_l("Who can see it"), validators=[Chosen()],
                             choices=prompted([("public", _l("Everyone")),
                                               ("registered",
                                                _l("Registered users only (your name hidden from vendors)"))]))

    def validate_budget_max(self, field):
        """The budget's upper bound may not be below its lower bound."""
        problem = budget_problem(self.budget_min.fen, field.fen)
        if problem:
            raise ValidationError(problem)

    original_deadline: date | None = None

    def validate_deadline(self, field):
        """A deadline being set cannot lie in the past (an unchanged old one may stay)."""
        problem = deadline_problem(field.data, self.original_deadline)
        if problem:
            raise ValidationError(problem)


class NeedBrowseForm(VocabMixin, FlaskForm):
    """Filters for the needs list, read from the query string."""

    class Meta:
        csrf = False

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city", "deployment": "deployment"}

    q = StringField(_l("Text"), filters=[strip_filter], validators=[Optional(), Length(max=200)])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    scenario = SelectField(_l("Scenario"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()])
    deployment = SelectField(_l("Deployment"), validators=[Optional()])
    budget = YuanField(_l("Budget covers (CNY)"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()],
                         choices=[("", "—"), ("open", _l("Open")), ("in_talks", _l("In talks")),
                                  ("contracted", _l("Contracted")), ("closed", _l("Closed"))])
    sort = SelectField(_l("Sort by"), validators=[Optional()], validate_choice=False)

    def filters(self) -> dict:
        """Return the valid filters as a dict for the browse service."""
        out = {n: getattr(self, n).data for n in ("q", "industry", "scenario", "city", "deployment", "status")
               if getattr(self, n).data and not getattr(self, n).errors}
        if self.budget.fen is not None and not self.budget.errors:
            out["budget"] = self.budget.fen
        return out
