"""Order forms: quantity with an idempotency key, refund reason."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from marketplace.forms_common import strip_filter
from marketplace.orders.services import MAX_QUANTITY


class OrderForm(FlaskForm):
    """Confirm an order: quantity, and a one-time key so a repeated submit creates one order."""

    quantity = IntegerField(_l("Quantity"), default=1,
                            validators=[DataRequired(message=_l("Enter a whole number.")),
                                        NumberRange(min=1, max=MAX_QUANTITY)])
    idempotency_key = HiddenField(validators=[DataRequired(), Length(max=64)])


class RefundForm(FlaskForm):
    """Refund a paid order, with a reason the SME will see."""

    reason = TextAreaField(_l("Reason for the refund"), filters=[strip_filter],
                           validators=[DataRequired(), Length(max=500)])
