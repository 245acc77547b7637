"""Order form: quantity, a one-time idempotency key and the quote the SME confirmed."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from marketplace.forms_common import WholeNumberField, YuanField
from marketplace.orders.services import MAX_QUANTITY


class QuoteConfirmForm(FlaskForm):
    """Confirm a priced order: a one-time key so a repeated submit creates one order, and the quote the SME saw
    (an offering's order, or a contracted proposal's)."""

    idempotency_key = HiddenField(validators=[DataRequired(), Length(max=64)])
    quoted_unit_fen = HiddenField()
    quoted_payable_fen = HiddenField()

    def seen(self):
        """Return the quote the SME confirmed (QuoteSeen), or None when the hidden figures are missing or bad."""
        from marketplace.orders.services import QuoteSeen

        values = (self.quoted_unit_fen.data or "", self.quoted_payable_fen.data or "")
        if not all(v.isdigit() and len(v) <= 15 for v in values):
            return None
        return QuoteSeen(int(values[0]), int(values[1]))

    def show(self, priced) -> None:
        """Carry a quote's figures in the form, so the order placed is the order confirmed."""
        self.quoted_unit_fen.data = str(priced.unit_price_fen)
        self.quoted_payable_fen.data = str(priced.payable_fen)


class OrderForm(QuoteConfirmForm):
    """Confirm an order of an offering: its quantity too."""

    quantity = WholeNumberField(_l("Quantity"), default=1, min=1, max=MAX_QUANTITY,
                                validators=[DataRequired(message=_l("Enter a whole number."))])


class PaymentForm(FlaskForm):
    """Record an order's payment: the amount received (元, up to two decimals, or 万) and the payment reference,
    with a one-time key so a repeated submit records one payment."""

    amount = YuanField(_l("Amount received (元)"), validators=[DataRequired(message=_l("Enter the amount received."))],
                       description=_l("Exactly the amount payable, e.g. 12800, 12,800.50 or 1.28万."))
    reference = StringField(_l("Payment reference"),
                            validators=[DataRequired(message=_l("Enter the payment reference (the bank transfer "
                                                                "number).")),
                                        Length(max=64)],
                            description=_l("The bank transfer number or another reference of the payment."))
    idempotency_key = HiddenField(validators=[DataRequired(), Length(max=64)])
