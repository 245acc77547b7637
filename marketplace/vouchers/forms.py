"""Forms of the 模型券 quota: the SME's application, the center's grant, and a proposal turned into an order."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.forms_common import WholeNumberField, YuanField
from marketplace.orders.forms import QuoteConfirmForm


class QuotaApplicationForm(FlaskForm):
    """Apply for a year's quota: the year, the planned projects and the amount asked, in yuan."""

    year = WholeNumberField(_l("Year"), default=lambda: date.today().year, min=2024, max=2035,
                            validators=[DataRequired()])
    projects = TextAreaField(_l("Planned projects"), validators=[DataRequired(), Length(max=4000)],
                             description=_l("Which model services or agents you plan to buy, for which scenario, "
                                            "and roughly when."))
    amount = YuanField(_l("Quota requested (CNY)"), validators=[DataRequired()])


class GrantForm(FlaskForm):
    """Approve a quota: the amount (at most the amount asked and what the annual cap leaves) and a reason."""

    amount = YuanField(_l("Quota approved (CNY)"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason for the decision"), validators=[DataRequired(), Length(max=1000)])


class ProposalOrderForm(QuoteConfirmForm):
    """Confirm the order of a contracted proposal: a one-time key and the figures the SME saw."""
