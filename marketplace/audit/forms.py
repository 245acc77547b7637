"""The audit page's filter form (a GET form: no CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from marketplace.forms_common import strip_filter


class AuditFilterForm(FlaskForm):
    """Narrow the audit log by action, actor, target and a date range."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = StringField(_l("Actor e-mail"), filters=[strip_filter], validators=[Optional(), Length(max=254)])
    target_kind = StringField(_l("Target kind"), filters=[strip_filter], validators=[Optional(), Length(max=40)])
    target_id = StringField(_l("Target id"), filters=[strip_filter], validators=[Optional(), Length(max=64)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
