"""Forms: applying for a region's 模型券 catalogue, submitting a redemption, choosing a report's period."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.forms_common import YuanField, strip_filter


class ApplyForm(FlaskForm):
    """A vendor's application for one region's catalogue, with a note for the center."""

    region = SelectField(_l("Region"), validators=[DataRequired()])
    note = TextAreaField(_l("Note for the promotion center"), filters=[strip_filter],
                         validators=[Optional(), Length(max=500)])


class RedemptionForm(FlaskForm):
    """The redemption of a delivered order: 合同, 发票 and 验收单 files, the invoice, the voucher amount claimed."""

    contract = FileField(_l("Contract (合同), PDF or image"))
    invoice = FileField(_l("Invoice (发票), PDF or image"))
    acceptance = FileField(_l("Acceptance form (验收单), PDF or image"))
    invoice_number = StringField(_l("Invoice number"), filters=[strip_filter],
                                 validators=[DataRequired(), Length(max=40)])
    invoice_amount = YuanField(_l("Invoice amount (CNY)"), validators=[DataRequired()])
    difference_note = TextAreaField(_l("Why the invoice differs from the order's list amount"),
                                    filters=[strip_filter], validators=[Optional(), Length(max=500)])
    claimed = YuanField(_l("模型券 amount claimed (CNY)"), validators=[DataRequired()])


class ReportForm(FlaskForm):
    """The report's period (a month or a quarter) and, for admins, the region; read from the query string."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), validators=[Optional()], validate_choice=False)
    region = SelectField(_l("Region"), validators=[Optional()], validate_choice=False)
