"""The subsidy estimator form."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired

from marketplace.forms_common import Chosen, WholeNumberField, YuanField, prompted


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
