"""The search form (also used for the filters of recommendation and lead lists); its kinds come from the registry."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from marketplace.forms_common import VocabMixin, YuanField, strip_filter
from marketplace.kinds import all_kinds

SOLUTIONS_TAB = "solutions"
NEEDS_TAB = "needs"

QUERY_MAX_LENGTH = 500
PARAMETERS = ("q", "kind", "industry", "scenario", "city", "deployment", "budget")


class SearchForm(VocabMixin, FlaskForm):
    """Free text plus facet filters; read from the query string so a search is a shareable link."""

    class Meta:
        csrf = False

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city", "deployment": "deployment"}

    q = StringField(_l("What do you need?"), filters=[strip_filter],
                    validators=[Optional(), Length(max=QUERY_MAX_LENGTH,
                                                   message=_l("A search can be at most %(max)d characters long."))])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    scenario = SelectField(_l("Scenario"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()])
    deployment = SelectField(_l("Deployment"), validators=[Optional()])
    budget = YuanField(_l("Budget up to (CNY)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        """Offer the two tabs (solutions, needs) and every registered kind in the kind filter."""
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("Default")), (SOLUTIONS_TAB, _l("Solutions")), (NEEDS_TAB, _l("Needs"))] \
            + [(k.name, k.plural) for k in all_kinds()]

    def tab(self, default: str) -> str:
        """The tab the search shows: the kind asked for, else `default` (what the searcher usually looks for)."""
        chosen = self.kind.data if not self.kind.errors else None
        return chosen or default

    def filters(self) -> dict:
        """Return the valid filters as a dict for the matching services."""
        out = {n: getattr(self, n).data for n in ("kind", "industry", "scenario", "city", "deployment")
               if getattr(self, n).data and not getattr(self, n).errors}
        if self.budget.fen is not None and not self.budget.errors:
            out["budget"] = self.budget.fen
        return out

    def query_args(self) -> dict[str, str]:
        """Return the search as query-string arguments, only the known parameters (for links and redirects)."""
        out = {}
        for name in PARAMETERS:
            raw = self[name].raw_data
            value = raw[0] if raw else None
            if isinstance(value, str) and value.strip() and not self[name].errors:
                out[name] = value.strip()
        return out
