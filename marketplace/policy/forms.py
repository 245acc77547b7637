"""The subsidy estimator form and the form of a region's instrument."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.forms_common import Chosen, PercentField, WholeNumberField, YuanField, prompted
from marketplace.money import fen_to_yuan_text, format_bp


class EstimateForm(FlaskForm):
    """A planned purchase or project: amount, kind and year."""

    class Meta:
        csrf = False

    amount = YuanField(_l("Planned amount (CNY)"), validators=[DataRequired()])
    kind = SelectField(_l("What is it?"), validators=[Chosen()],
                       choices=prompted([("model_service", _l("Buying model services / an agent (模型超市)")),
                                         ("ai_project", _l("An AI project: software and hardware investment")),
                                         ("demonstration_project",
                                          _l("An 'AI + manufacturing' demonstration project"))]))
    year = WholeNumberField(_l("Year"), default=lambda: date.today().year, min=2024, max=2035,
                            validators=[DataRequired()])


class InstrumentForm(FlaskForm):
    """A region's instrument: in force or not, years, rate, caps, minimum 数字化水平, basis, and why it changes."""

    in_force = BooleanField(_l("In force in this region"), default=True)
    year_from = WholeNumberField(_l("First year"), min=2020, max=2040, validators=[DataRequired()])
    year_to = WholeNumberField(_l("Last year"), min=2020, max=2040, validators=[DataRequired()])
    rate = PercentField(_l("Rate (percent of the amount; empty: no rate limit)"), validators=[Optional()])
    annual_cap = YuanField(_l("Cap per enterprise per year (CNY; empty: none)"), validators=[Optional()])
    item_cap = YuanField(_l("Cap per item or project (CNY; empty: none)"), validators=[Optional()])
    min_digital_level = WholeNumberField(_l("Minimum digital level (empty: none)"), min=1, max=4,
                                         validators=[Optional()])
    yearly_count_cap = WholeNumberField(_l("Awards per year at most (empty: no limit)"), min=1, max=1000,
                                        validators=[Optional()])
    basis_zh = TextAreaField(_l("Policy basis (Chinese)"), validators=[Length(max=2000)])
    basis_en = TextAreaField(_l("Policy basis (English)"), validators=[Length(max=2000)])
    note = StringField(_l("Why the rule changes"), validators=[DataRequired(), Length(max=300)])

    def fill(self, row) -> None:
        """Show a stored version (or a template row of the rules file) in the form."""
        self.in_force.data = row["in_force"]
        self.year_from.data, self.year_to.data = row["year_from"], row["year_to"]
        self.rate.data = "" if row["rate_bp"] is None else format_bp(row["rate_bp"]).rstrip("%")
        self.annual_cap.data = fen_to_yuan_text(row["annual_cap_fen"])
        self.item_cap.data = fen_to_yuan_text(row["item_cap_fen"])
        self.min_digital_level.data, self.yearly_count_cap.data = row["min_digital_level"], row["yearly_count_cap"]
        self.basis_zh.data, self.basis_en.data = row["basis_zh"], row["basis_en"]

    def values(self) -> dict:
        """Return the editable column values the form holds."""
        return {"in_force": bool(self.in_force.data), "year_from": self.year_from.data, "year_to": self.year_to.data,
                "rate_bp": self.rate.bp, "annual_cap_fen": self.annual_cap.fen, "item_cap_fen": self.item_cap.fen,
                "min_digital_level": self.min_digital_level.data or None,
                "yearly_count_cap": self.yearly_count_cap.data or None,
                "basis_zh": (self.basis_zh.data or "").strip(), "basis_en": (self.basis_en.data or "").strip()}
