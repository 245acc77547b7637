"""Case views: the public case library and case pages."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from marketplace.cases import bp
from marketplace.cases.models import Case
from marketplace.cases.services import browse_cases
from marketplace.extensions import db
from marketplace.forms_common import VocabMixin, strip_filter
from marketplace.web import paginate, render_page


class CaseBrowseForm(VocabMixin, FlaskForm):
    """Filters for the case library, read from the query string."""

    class Meta:
        csrf = False

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city"}

    q = StringField(_l("Text"), filters=[strip_filter], validators=[Optional(), Length(max=200)])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    scenario = SelectField(_l("Scenario"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)])

    def filters(self) -> dict:
        """Return the valid filters as a dict."""
        return {n: getattr(self, n).data for n in ("q", "industry", "scenario", "city", "year")
                if getattr(self, n).data and not getattr(self, n).errors}


@bp.route("/")
def index():
    """List published showcase cases."""
    form = CaseBrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    return render_page("cases/index.html", form=form, page=paginate(browse_cases(form.filters())))


@bp.route("/<int:case_id>")
def detail(case_id: int):
    """Show a published case with its measured results."""
    case = db.session.get(Case, case_id)
    if case is None or not case.is_public:
        abort(404)
    return render_template("cases/detail.html", case=case)
