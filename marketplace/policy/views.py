"""Policy views: the subsidy estimator for SMEs, the public table of rules in force, and the editing of a
region's instruments by its promotion center (admins: any region)."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.permissions import permission_required, require
from marketplace.policy import bp
from marketplace.policy.forms import EstimateForm, InstrumentForm
from marketplace.policy.models import PolicyInstrument
from marketplace.policy.rules import example_instruments, rules_in_force, templates
from marketplace.policy.services import (
    current_version,
    editable_regions,
    estimate_subsidies,
    instrument_history,
    region_instruments,
    save_instrument,
)
from marketplace.web import submit


@bp.route("/estimate")
@permission_required("subsidy.estimate")
def estimator():
    """Estimate what the SME may claim for a planned purchase or project."""
    from marketplace.diagnosis.level import effective_level
    from marketplace.vouchers.services import explain, voucher_standing

    form = EstimateForm(request.args)
    region, results = None, []
    asked = bool(request.args) and form.validate() and bool(form.amount.fen)
    if asked:
        region, results = estimate_subsidies(current_user.organisation, form.amount.fen, form.kind.data,
                                             form.year.data)
    year = form.year.data if isinstance(form.year.data, int) else date.today().year
    standing = voucher_standing(current_user.organisation, year)
    example_region, example = example_instruments(year)
    return render_template("policy/estimate.html", form=form, region=region, results=results, asked=asked,
                           org=current_user.organisation, standing=standing, why=explain(standing),
                           example_region=example_region, example=example,
                           level=effective_level(current_user.organisation)), (422 if form.errors else 200)


@bp.route("/rules")
def rules():
    """List every policy instrument in force, by region and year (public)."""
    default, instruments = rules_in_force()
    year = request.args.get("year", date.today().year, type=int)
    return render_template("policy/rules.html", default=default, year=year,
                           instruments=[i for i in instruments if i.year == year])


@bp.route("/instruments")
@permission_required("policy.edit")
def instruments():
    """A region's instruments (newest version of each) and the history of every change, for its center or admins."""
    regions = editable_regions(current_user)
    region = request.args.get("region") or (regions[0] if regions else None)
    if region not in regions:
        abort(403)
    current = {row.code: row for row in region_instruments(region)}
    return render_template("policy/instruments.html", region=region, regions=regions, current=current,
                           codes=list(templates()), templates=templates(), history=instrument_history(region))


@bp.route("/instruments/<region>/<code>", methods=["GET", "POST"])
@login_required
def edit_instrument(region: str, code: str):
    """Edit one instrument of a region: the change is stored as a new version, with who, when and why."""
    require(current_user, "policy.edit_region", region)
    if code not in templates():
        abort(404)
    form = InstrumentForm()
    previous = current_version(region, code)
    if request.method == "GET":
        form.fill({k: getattr(previous, k) for k in PolicyInstrument.EDITABLE} if previous
                  else default_values(templates()[code]))
    if form.validate_on_submit():
        ok, _row = submit(form, lambda: save_instrument(current_user, region, code, form.values(), form.note.data))
        if ok:
            flash(_("Saved as a new version; the rules in force changed from now on. Orders already placed keep "
                    "their figures."), "success")
            return redirect(url_for("policy.instruments", region=region))
    return render_template("policy/instrument_form.html", form=form, region=region, code=code,
                           template=templates()[code], previous=previous), (422 if form.errors or form.form_errors
                                                                             else 200)


def default_values(raw: dict) -> dict:
    """Return a template row of the rules file as the form's starting values for a region configuring it."""
    return {"in_force": True, "year_from": min(raw["years"]), "year_to": max(raw["years"]), "rate_bp": raw["rate_bp"],
            "annual_cap_fen": raw["annual_cap_fen"], "item_cap_fen": raw["item_cap_fen"],
            "min_digital_level": raw["min_digital_level"], "yearly_count_cap": raw["yearly_count_cap"],
            "basis_zh": "", "basis_en": ""}
