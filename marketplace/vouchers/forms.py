"""Forms of the 模型券 quota: the SME's application, the center's grant, and a proposal turned into an order."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.forms_common import WholeNumberField, YuanField


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


class ProposalOrderForm(FlaskForm):
    """Confirm the order of a contracted proposal: a one-time key and the figures the SME saw."""

    idempotency_key = HiddenField(validators=[DataRequired(), Length(max=64)])
    quoted_unit_fen = HiddenField()
    quoted_payable_fen = HiddenField()

    def seen(self):
        """Return the quote the SME confirmed, or None when the hidden figures are missing or bad."""
        from marketplace.orders.services import QuoteSeen

        values = (self.quoted_unit_fen.data or "", self.quoted_payable_fen.data or "")
        if not all(v.isdigit() and len(v) <= 15 for v in values):
            return None
        return QuoteSeen(int(values[0]), int(values[1]))

    def show(self, priced) -> None:
        """Carry a quote's figures in the form."""
        self.quoted_unit_fen.data = str(priced.unit_price_fen)
        self.quoted_payable_fen.data = str(priced.payable_fen)
