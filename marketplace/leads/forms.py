"""The leads inbox's filters (read from the query string) and the form that marks leads seen."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from marketplace.forms_common import VocabMixin

SORTS = ("relevance", "recent")
"""The orders of the inbox: best calibrated relevance first, or newest need first."""


class LeadFilterForm(VocabMixin, FlaskForm):
    """Which leads to show: one listing's, an industry, a scenario, a city, unseen only; and in which order."""

    class Meta:
        csrf = False

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city"}

    listing = SelectField(_l("Listing"), validators=[Optional()])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    scenario = SelectField(_l("Scenario"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()])
    unseen = BooleanField(_l("Unseen only"))
    sort = SelectField(_l("Sort by"), validators=[Optional()],
                       choices=[("relevance", _l("Relevance")), ("recent", _l("Newest need first"))])

    def fill(self, listings: list[tuple[str, str]]) -> None:
        """Offer the vocabularies and the vendor's own listings ({doc id: title} pairs) as choices."""
        self.fill_vocab()
        self.listing.choices = [SelectChoice("", "—"), *(SelectChoice(key, title) for key, title in listings)]

    def filters(self) -> dict:
        """Return the valid filters as a dict for the inbox service."""
        out: dict = {n: getattr(self, n).data for n in ("listing", "industry", "scenario", "city")
                     if getattr(self, n).data and not getattr(self, n).errors}
        out["unseen"] = bool(self.unseen.data)
        out["sort"] = self.sort.data if self.sort.data in SORTS and not self.sort.errors else SORTS[0]
        return out


class SeenForm(FlaskForm):
    """Mark one lead, or every lead on a page, seen (the need ids, repeated)."""

    need = SelectMultipleField(coerce=int, validate_choice=False, validators=[DataRequired()])
