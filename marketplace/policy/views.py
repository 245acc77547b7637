"""Policy views: the subsidy estimator for SMEs and the public table of rules in force."""
from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_login import current_user

from marketplace.permissions import permission_required
from marketplace.policy import bp
from marketplace.policy.forms import EstimateForm
from marketplace.policy.rules import load_rules
from marketplace.policy.services import estimate_subsidies


@bp.route("/estimate")
@permission_required("subsidy.estimate")
def estimator():
    """Estimate what the SME may claim for a planned purchase or project."""
    form = EstimateForm(request.args)
    region, results = None, []
    if request.args and form.validate() and form.amount.fen:
        region, results = estimate_subsidies(current_user.organisation, form.amount.fen, form.kind.data,
                                             form.year.data)
    return render_template("policy/estimate.html", form=form, region=region, results=results,
                           org=current_user.organisation), (422 if form.errors else 200)


@bp.route("/rules")
def rules():
    """List every policy instrument in force, by region and year (public)."""
    default, instruments = load_rules()
    year = request.args.get("year", date.today().year, type=int)
    return render_template("policy/rules.html", default=default, year=year,
                           instruments=[i for i in instruments if i.year == year])
