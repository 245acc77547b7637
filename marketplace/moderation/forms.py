"""Moderation forms: a report, a moderator's decision, a region's moderation mode."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.forms_common import strip_filter
from marketplace.moderation.models import MODE_LABELS, PERSON_REASONS, REASON_LABELS
from marketplace.moderation.services import REPORT_TEXT_MAX
from marketplace.templating import vocab_choices


class ReportForm(FlaskForm):
    """What is wrong with an item: one of the reasons, and words."""

    reason = RadioField(_l("Reason"), validators=[DataRequired(message=_l("Choose a reason."))],
                        choices=[(r.value, REASON_LABELS[r.value]) for r in PERSON_REASONS])
    text = TextAreaField(_l("What is wrong (the moderators read it)"), filters=[strip_filter],
                         validators=[Optional(), Length(max=REPORT_TEXT_MAX)])


class DecisionForm(FlaskForm):
    """A moderator's reason for a decision (the owner sees it)."""

    reason = TextAreaField(_l("Reason (the owner sees it)"), filters=[strip_filter],
                           validators=[Optional(), Length(max=500)])


class RegionForm(FlaskForm):
    """A region's moderation mode for unverified organisations."""

    city = SelectField(_l("City"), validators=[DataRequired()])
    mode = RadioField(_l("New listings and needs of unverified organisations"), validators=[DataRequired()],
                      choices=list(MODE_LABELS.items()))

    def fill_cities(self, cities: list[str] | None) -> None:
        """Offer the cities the moderator may set (None: every city)."""
        self.city.choices = [c for c in vocab_choices("city") if cities is None or c[0] in cities]
