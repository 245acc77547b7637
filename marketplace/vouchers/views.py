"""Voucher views: the SME's quota application, the centers' queue and decisions, ledger exports, and the
order of a contracted proposal."""
from __future__ import annotations

import uuid
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.accounts.models import Organisation
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orders.services import QuoteChanged, QuoteSeen, order_from_proposal, proposal_order, proposal_quote
from marketplace.permissions import permission_required, require
from marketplace.proposals.models import Proposal
from marketplace.vouchers import bp
from marketplace.vouchers.forms import GrantForm, ProposalOrderForm, QuotaApplicationForm
from marketplace.vouchers.models import QuotaApplication, QuotaState
from marketplace.vouchers.process import QUOTA, may_grant, page_moves
from marketplace.vouchers.services import (
    applications_for,
    applications_queue,
    apply_for_quota,
    explain,
    grant_headroom,
    ledger_csv,
    ledger_rows,
    voucher_standing,
)
from marketplace.web import LONG_PAGE_SIZE, paginate, perform, submit


@bp.route("/vouchers/apply", methods=["GET", "POST"])
@permission_required("quota.view_own")
def apply():
    """The SME's quota: its standing, its applications, and the form to apply for a year's quota."""
    org = current_user.organisation
    form = QuotaApplicationForm()
    if form.validate_on_submit():
        ok, application = submit(form, lambda: apply_for_quota(current_user, form.year.data, form.projects.data,
                                                               form.amount.fen))
        if ok:
            flash(_("Application sent to your region's promotion center."), "success")
            return redirect(url_for("vouchers.application", application_id=application.id))
    year = form.year.data or date.today().year
    standing = voucher_standing(org, year)
    return render_template("vouchers/apply.html", form=form, standing=standing, summary=standing, why=explain(standing),
                           applications=applications_for(org.id)), (422 if form.errors or form.form_errors else 200)


@bp.route("/vouchers/applications")
@permission_required("quota.review")
def queue():
    """The quota applications of the center's region (every region for admins), awaiting a decision first."""
    state = request.args.get("state", QuotaState.APPLIED.value)
    if state not in [s.value for s in QuotaState] + ["all"]:
        state = QuotaState.APPLIED.value
    page = paginate(applications_queue(current_user, None if state == "all" else state), LONG_PAGE_SIZE)
    return render_template("vouchers/queue.html", page=page, state=state, states=[s.value for s in QuotaState])


def application_or_404(application_id: int) -> QuotaApplication:
    """Return an application the user may see, else 404/403."""
    application = db.get_or_404(QuotaApplication, application_id)
    require(current_user, "quota.view", application)
    return application


@bp.route("/vouchers/applications/<int:application_id>")
@login_required
def application(application_id: int):
    """One application: what was asked, the standing of the enterprise, and the center's decision or buttons."""
    application = application_or_404(application_id)
    standing = voucher_standing(application.enterprise, application.year)
    grant_form = GrantForm()
    headroom = grant_headroom(application, standing.rule)
    if not grant_form.amount.data and headroom:
        grant_form.amount.data = f"{headroom // 100}.{headroom % 100:02d}"
    return render_template("vouchers/application.html", application=application, summary=standing, why=None,
                           moves=page_moves(application, current_user), grant_form=grant_form,
                           may_grant=may_grant(application, current_user), headroom=headroom)


@bp.route("/vouchers/applications/<int:application_id>/grant", methods=["POST"])
@login_required
def grant(application_id: int):
    """Approve a quota with an amount and a reason."""
    application = application_or_404(application_id)
    form = GrantForm()
    if not form.validate():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for("vouchers.application", application_id=application.id))
    perform(lambda: QUOTA.fire(application.id, "grant", current_user, amount_fen=form.amount.fen,
                               reason=form.reason.data),
            lambda: _("Quota approved; the enterprise was told."))
    return redirect(url_for("vouchers.application", application_id=application.id))


DECIDED = {"refuse": lambda: _("Application rejected; the enterprise was told."),
           "revoke": lambda: _("The unspent quota was revoked; the enterprise was told.")}


@bp.route("/vouchers/applications/<int:application_id>/<any(refuse, revoke):action>", methods=["POST"])
@login_required
def decide(application_id: int, action: str):
    """Reject an application, or revoke a quota's unspent part, with a reason."""
    application = application_or_404(application_id)
    perform(lambda: QUOTA.fire(application.id, action, current_user, reason=request.form.get("reason", "")[:1000]),
            DECIDED[action])
    return redirect(url_for("vouchers.application", application_id=application.id))


def enterprise_for_ledger() -> Organisation:
    """Return the enterprise whose ledger is asked for (the SME's own unless `org` names another), authorised."""
    org_id = request.args.get("org", type=int)
    enterprise = db.get_or_404(Organisation, org_id) if org_id else current_user.organisation
    require(current_user, "voucher.export", enterprise)
    return enterprise


@bp.route("/vouchers/ledger")
@login_required
def ledger():
    """A center's (or admin's) view of one SME's ledger with its running balance."""
    enterprise = enterprise_for_ledger()
    year = request.args.get("year", date.today().year, type=int)
    standing = voucher_standing(enterprise, year)
    return render_template("orders/vouchers.html", summary=standing, why=explain(standing), enterprise=enterprise,
                           rows=ledger_rows(enterprise.id, year), year=year)


@bp.route("/vouchers/ledger.csv")
@login_required
def ledger_export():
    """Download a year's ledger as CSV (fen and yuan, Chinese headers, local dates)."""
    enterprise = enterprise_for_ledger()
    year = request.args.get("year", date.today().year, type=int)
    with force_locale("zh_CN"):
        text = ledger_csv(enterprise, year)
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=voucher-ledger-{enterprise.id}-{year}.csv"})


@bp.route("/proposals/<int:proposal_id>/order", methods=["GET", "POST"])
@login_required
def proposal_to_order(proposal_id: int):
    """Show the order a contracted proposal would become (agreed price, 模型券 deduction) and place it."""
    proposal = db.get_or_404(Proposal, proposal_id)
    require(current_user, "order.from_proposal", proposal)
    existing = proposal_order(proposal.id)
    if existing is not None:
        return redirect(url_for("orders.detail", order_id=existing.id))
    if proposal.state != "contracted" or not proposal.price_fen:
        abort(404)
    form = ProposalOrderForm()
    priced = proposal_quote(current_user.organisation, proposal, date.today().year)
    error = None
    if request.method == "GET":
        form.idempotency_key.data = uuid.uuid4().hex
        form.show(priced)
    elif form.validate():
        try:
            order, _created = order_from_proposal(current_user, proposal.id, form.idempotency_key.data,
                                                  seen=form.seen() or QuoteSeen(-1, -1))
        except QuoteChanged as exc:
            db.session.rollback()
            error, priced = str(exc), exc.now_quoted
            form.show(priced)
        except (DomainError, ValueError) as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Order placed from the contracted proposal. The provider will confirm payment."), "success")
            return redirect(url_for("orders.detail", order_id=order.id))
    standing = voucher_standing(current_user.organisation, priced.year)
    return render_template("vouchers/proposal_order.html", proposal=proposal, form=form, quote=priced, error=error,
                           standing=standing, why=explain(standing)), (422 if error else 200)
