"""Views: the public 模型券 catalogue of a region, vendors' applications and the centers' review queue;
redemptions (submit, review, files); the reimbursement report (page, print, CSV)."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.catalog.models import Offering
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.permissions import can, permission_required, require
from marketplace.redemptions import bp
from marketplace.redemptions.catalogue import (
    apply_for_catalogue,
    catalogue_regions,
    entries_of,
    is_voucher_eligible,
    region_catalogue,
    review_queue,
    voucher_regions,
)
from marketplace.redemptions.forms import ApplyForm, RedemptionForm, ReportForm
from marketplace.redemptions.models import CatalogueEntry, EntryState, Redemption, RedemptionState
from marketplace.redemptions.process import CATALOGUE, REDEMPTION
from marketplace.redemptions.report import (
    local_date,
    parse_period,
    period_choices,
    reimbursement_report,
    report_csv,
)
from marketplace.redemptions.services import (
    FILE_KINDS,
    Claim,
    decide,
    file_of,
    queue,
    redemption_of,
    submit_redemption,
    vendor_redemptions,
    why_not_redeemable,
)
from marketplace.templating import term_label
from marketplace.uploads.services import send
from marketplace.web import LONG_PAGE_SIZE, paginate, perform, submit


@bp.app_template_filter("catalogue_regions")
def catalogue_regions_filter(offering: Offering) -> list[str]:
    """The regions whose 模型券 catalogue an offering is in (for cards and pages)."""
    return catalogue_regions(offering)


@bp.route("/catalogues")
def catalogues():
    """List the regions that keep a 模型券 service catalogue."""
    return render_template("redemptions/catalogues.html", regions=voucher_regions())


@bp.route("/catalogues/<region>")
def catalogue(region: str):
    """A region's public 模型券 service catalogue: the offerings its promotion center admitted."""
    if region not in voucher_regions():
        abort(404)
    return render_template("redemptions/catalogue.html", region=region,
                           page=paginate(region_catalogue(region), LONG_PAGE_SIZE))


def own_offering_or_403(offering_id: int) -> Offering:
    """Return an offering the current user may manage (its vendor), else 404/403."""
    offering = db.get_or_404(Offering, offering_id)
    require(current_user, "listing.edit", offering)
    return offering


@bp.route("/offerings/<int:offering_id>/catalogues", methods=["GET", "POST"])
@login_required
def offering_catalogues(offering_id: int):
    """The offering's place in each region's catalogue; its vendor applies for one here."""
    offering = own_offering_or_403(offering_id)
    form = ApplyForm()
    form.region.choices = [(r, term_label(r, "city")) for r in voucher_regions()]
    if form.validate_on_submit():
        done, _entry = submit(form, lambda: apply_for_catalogue(current_user, offering, form.region.data,
                                                                form.note.data))
        if done:
            flash(_("Application sent to the region's promotion center."), "success")
            return redirect(url_for("redemptions.offering_catalogues", offering_id=offering.id))
    entries = entries_of(offering)
    return render_template("redemptions/offering_catalogues.html", offering=offering, form=form, entries=entries,
                           moves={e.id: CATALOGUE.available(e, current_user) for e in entries},
                           may_apply=can(current_user, "catalogue.apply", offering)), (422 if form.errors else 200)


@bp.route("/catalogues/review")
@permission_required("catalogue.review")
def catalogue_queue():
    """The catalogue applications (or the admitted offerings) of the regions the center acts for."""
    state = request.args.get("state", EntryState.APPLIED.value)
    if state not in {s.value for s in EntryState}:
        state = EntryState.APPLIED.value
    entries = paginate(review_queue(current_user, state), LONG_PAGE_SIZE)
    return render_template("redemptions/catalogue_queue.html", entries=entries, state=state,
                           states=[s.value for s in EntryState],
                           moves={e.id: CATALOGUE.available(e, current_user) for e in entries.items})


CATALOGUE_SUCCESS = {"admit": lambda: _("Admitted to the catalogue."),
                     "refuse": lambda: _("Application refused; the provider was told why."),
                     "strike": lambda: _("Removed from the catalogue; orders placed from now on get no 模型券."),
                     "reapply": lambda: _("Application sent to the region's promotion center.")}


@bp.route("/catalogues/entries/<int:entry_id>/<any(admit, refuse, strike, reapply):action>", methods=["POST"])
@login_required
def catalogue_transition(entry_id: int, action: str):
    """Fire one move of a catalogue entry: admit, refuse or remove (the center), apply again (the vendor)."""
    entry = db.get_or_404(CatalogueEntry, entry_id)
    values = {a.name: request.form.get(a.name, "")[:2000] for a in CATALOGUE.transition(action).asks}
    perform(lambda: CATALOGUE.fire(entry_id, action, current_user, None, **values), CATALOGUE_SUCCESS[action])
    if action == "reapply":
        return redirect(url_for("redemptions.offering_catalogues", offering_id=entry.offering_id))
    return redirect(url_for("redemptions.catalogue_queue", state=request.args.get("back") or None))


@bp.route("/orders/<int:order_id>/redemption", methods=["GET", "POST"])
@login_required
def submit_view(order_id: int):
    """The vendor submits (or, once returned, resubmits) the redemption of a delivered, voucher-paid order."""
    order = db.get_or_404(Order, order_id)
    require(current_user, "redemption.submit", order)
    existing = redemption_of(order)
    if existing is not None and existing.state != RedemptionState.RETURNED.value:
        return redirect(url_for("redemptions.detail", redemption_id=existing.id))
    refusal = why_not_redeemable(order)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("orders.detail", order_id=order.id))
    form = RedemptionForm(obj=existing, invoice_amount=existing.invoice_fen if existing else order.list_fen,
                          claimed=existing.claimed_fen if existing else order.voucher_fen)
    if form.validate_on_submit():
        claim = Claim(form.invoice_number.data or "", form.invoice_amount.fen or 0, form.claimed.fen or 0,
                      form.difference_note.data or "")
        files = {kind: request.files.get(kind) for kind in FILE_KINDS}
        done, redemption = submit(form, lambda: submit_redemption(current_user, order, claim, files))
        if done and redemption is not None:
            flash(_("Redemption submitted to the promotion center of the buyer's region."), "success")
            return redirect(url_for("redemptions.detail", redemption_id=redemption.id))
    return render_template("redemptions/submit.html", order=order, form=form, existing=existing), \
        (422 if form.errors or form.form_errors else 200)


@bp.route("/redemptions")
@login_required
def index():
    """The redemptions waiting for the center (or confirmed, returned), or the vendor's own redemptions."""
    if can(current_user, "redemption.queue"):
        state = request.args.get("state", RedemptionState.CLAIMED.value)
        if state not in {s.value for s in RedemptionState}:
            state = RedemptionState.CLAIMED.value
        return render_template("redemptions/index.html", page=paginate(queue(current_user, state), LONG_PAGE_SIZE),
                               state=state, states=[s.value for s in RedemptionState], reviewing=True)
    if not can(current_user, "reimbursement.view"):
        abort(403)
    return render_template("redemptions/index.html", page=paginate(vendor_redemptions(current_user), LONG_PAGE_SIZE),
                           state=None, states=[], reviewing=False)


@bp.route("/redemptions/<int:redemption_id>")
@login_required
def detail(redemption_id: int):
    """A redemption: the order, the claim, the three files and the moves the user may make."""
    redemption = db.get_or_404(Redemption, redemption_id)
    require(current_user, "redemption.view", redemption)
    moves = [m for m in REDEMPTION.available(redemption, current_user) if m.name != "resubmit"]
    may_resubmit = any(m.name == "resubmit" for m in REDEMPTION.available(redemption, current_user))
    return render_template("redemptions/detail.html", redemption=redemption, order=redemption.order, moves=moves,
                           may_resubmit=may_resubmit, file_kinds=FILE_KINDS)


REDEMPTION_SUCCESS = {"redeem": lambda: _("Redemption confirmed; it now counts in the reimbursement report."),
                      "send_back": lambda: _("Redemption returned to the provider with your reason.")}


@bp.route("/redemptions/<int:redemption_id>/<any(redeem, send_back):action>", methods=["POST"])
@login_required
def transition(redemption_id: int, action: str):
    """Confirm or return a redemption (the center of the buyer's region, or an admin)."""
    db.get_or_404(Redemption, redemption_id)
    perform(lambda: decide(redemption_id, action, current_user, request.form.get("reason", "")[:2000]),
            REDEMPTION_SUCCESS[action])
    return redirect(url_for("redemptions.detail", redemption_id=redemption_id))


@bp.route("/redemptions/<int:redemption_id>/files/<any(contract, invoice, acceptance):kind>")
@login_required
def file(redemption_id: int, kind: str):
    """Download one of a redemption's files (the vendor, the buyer, the region's center and admins only)."""
    redemption = db.get_or_404(Redemption, redemption_id)
    return send(file_of(current_user, redemption, kind))


@bp.route("/reimbursement")
@permission_required("reimbursement.view")
def report():
    """The reimbursement report for a period (and, for admins, a region): page, printable, or CSV."""
    form = ReportForm(request.args)
    form.period.choices = period_choices()
    regions = voucher_regions()
    form.region.choices = [("", _("All regions"))] + [(r, term_label(r, "city")) for r in regions]
    try:
        period = parse_period(form.period.data)
    except DomainError as exc:
        flash(str(exc), "error")
        period = parse_period(None)
    form.period.data = period.code
    if period.code not in dict(form.period.choices):
        form.period.choices.insert(0, (period.code, period.label))
    region = form.region.data if form.region.data in regions else None
    result = reimbursement_report(current_user, period, region)
    if request.args.get("format") == "csv":
        name = f"reimbursement-{result.region or 'all'}-{period.code}.csv"
        return Response(report_csv(result), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}"})
    return render_template("redemptions/report.html", form=form, report=result,
                           choose_region=current_user.is_admin)


@bp.app_template_filter("localdate")
def localdate_filter(moment) -> str:
    """A stored UTC time's local date (YYYY-MM-DD)."""
    return local_date(moment)


@bp.app_template_filter("eligible_in")
def eligible_in_filter(offering: Offering, region: str | None) -> bool:
    """Whether an offering is 模型券-eligible for buyers of a region (the quote page says why not)."""
    return is_voucher_eligible(offering, region)
