"""Order views: quote and place an order, the order page with the vendor's actions, lists and the voucher ledger."""
from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace.catalog.models import Offering
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.orders import bp
from marketplace.orders.forms import OrderForm, RefundForm
from marketplace.orders.models import Order
from marketplace.resonance.models import LedgerEntry
from marketplace.orders.services import (QuoteChanged, QuoteSeen, can_view_order, cancel, mark_fulfilled, mark_paid,
                                         orders_for, place_order, quote, refund, voucher_ledger, voucher_summary)
from marketplace.states import IllegalTransition
from marketplace.web import perform, role_required


def published_offering_or_404(offering_id: int) -> Offering:
    """Return a published offering or answer 404."""
    offering = db.session.get(Offering, offering_id)
    if offering is None or not offering.is_published:
        abort(404)
    return offering


@bp.route("/offerings/<int:offering_id>/order", methods=["GET", "POST"])
@role_required("enterprise")
def new(offering_id: int):
    """Show the quote for an order (list price, 模型券 deduction, payable) and place it on confirmation."""
    offering = published_offering_or_404(offering_id)
    if not current_user.organisation.is_enterprise:
        raise PermissionDenied()
    form = OrderForm()
    if request.method == "GET":
        form.quantity.data = request.args.get("quantity", 1, type=int) or 1
        form.idempotency_key.data = uuid.uuid4().hex
    priced, error = None, None
    if form.quantity.data and not form.quantity.errors:
        try:
            priced = quote(current_user.organisation, offering, int(form.quantity.data), date.today().year)
        except ValueError as exc:
            error = str(exc)
    if request.method == "GET" and priced is not None:
        form.show(priced)
    if request.method == "POST" and form.validate() and priced is not None:
        seen = form.seen() or QuoteSeen(-1, -1)
        try:
            order, created = place_order(current_user, offering, int(form.quantity.data), form.idempotency_key.data,
                                         seen=seen)
        except QuoteChanged as exc:
            db.session.rollback()
            error, priced = str(exc), exc.now_quoted
            form.show(priced)
        except ValueError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            if created:
                flash(_("Order placed. The provider will confirm payment; there is no online payment on this platform."),
                      "success")
            return redirect(url_for("orders.detail", order_id=order.id))
    summary = voucher_summary(current_user.organisation, date.today().year)
    return render_template("orders/new.html", offering=offering, form=form, quote=priced, error=error,
                           summary=summary), (422 if form.errors or error else 200)


@bp.route("/orders")
@login_required
def index():
    """List the organisation's orders (bought or sold) and, for SMEs, the year's voucher position."""
    org = current_user.organisation
    year = request.args.get("year", date.today().year, type=int)
    summary = voucher_summary(org, year) if org.is_enterprise else None
    return render_template("orders/index.html", orders=orders_for(org), summary=summary, year=year)


@bp.route("/orders/<int:order_id>")
@login_required
def detail(order_id: int):
    """Show an order: lines, state, dates and the actions the user may take."""
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    if not can_view_order(order, current_user):
        raise PermissionDenied()
    entries = list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id)
                                      .order_by(LedgerEntry.id)))
    return render_template("orders/detail.html", order=order, refund_form=RefundForm(), entries=entries,
                           is_vendor=current_user.organisation_id == order.vendor_id,
                           is_buyer=current_user.organisation_id == order.buyer_id)


ACTIONS = {"pay": (mark_paid, lambda: _("Payment recorded.")),
           "fulfil": (mark_fulfilled, lambda: _("Marked as delivered.")),
           "cancel": (cancel, lambda: _("Order cancelled; the voucher amount was released."))}


@bp.route("/orders/<int:order_id>/<any(pay, fulfil, cancel):action>", methods=["POST"])
@login_required
def transition(order_id: int, action: str):
    """Record payment or delivery (vendor) or cancel (SME)."""
    if db.session.get(Order, order_id) is None:
        abort(404)
    service, message = ACTIONS[action]
    perform(lambda: service(order_id, current_user), message)
    return redirect(url_for("orders.detail", order_id=order_id))


@bp.route("/orders/<int:order_id>/refund", methods=["POST"])
@login_required
def refund_order(order_id: int):
    """Refund a paid order with a reason (vendor)."""
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    if current_user.organisation_id != order.vendor_id:
        raise PermissionDenied()
    form = RefundForm()
    if not form.validate():
        flash(_("Give a reason for the refund."), "error")
        return redirect(url_for("orders.detail", order_id=order_id))
    perform(lambda: refund(order_id, current_user, form.reason.data),
            _("Refunded. Revenue shares were reversed and the voucher amount released."),
            refusals=(IllegalTransition, ValueError))
    return redirect(url_for("orders.detail", order_id=order_id))


@bp.route("/vouchers")
@role_required("enterprise")
def vouchers():
    """The SME's 模型券 ledger for a year: allowance, uses, releases, remaining."""
    org = current_user.organisation
    if not org.is_enterprise:
        raise PermissionDenied()
    year = request.args.get("year", date.today().year, type=int)
    return render_template("orders/vouchers.html", summary=voucher_summary(org, year),
                           entries=voucher_ledger(org.id, year), year=year)
