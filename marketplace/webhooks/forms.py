"""The form that registers a webhook endpoint, and the bare forms behind its buttons (CSRF token only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from marketplace.forms_common import MultiCheckboxField, strip_filter
from marketplace.webhooks.catalogue import EVENTS, events_for


class EndpointForm(FlaskForm):
    """A new endpoint: its URL, what it is for, and the events it receives (those that can concern the org)."""

    url = StringField(_l("URL"), filters=[strip_filter], validators=[DataRequired(), Length(max=500)])
    description = StringField(_l("Description"), filters=[strip_filter], validators=[Length(max=200)])
    events = MultiCheckboxField(_l("Events"), validators=[DataRequired(_l("Choose at least one event."))])

    def __init__(self, org_kind: str, *args, **kwargs):
        """Offer the events an organisation of this kind can be concerned by."""
        super().__init__(*args, **kwargs)
        self.events.choices = [(name, f"{name} — {EVENTS[name][0]}") for name in events_for(org_kind)]


class ActionForm(FlaskForm):
    """A button that changes an endpoint or a delivery (the CSRF token only)."""
