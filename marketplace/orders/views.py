"""Order views: quote and place an order, the order page with the vendor's actions, lists and the voucher ledger."""
from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.orders import bp
from marketplace.orders.forms import OrderForm, PaymentForm
from marketplace.orders.models import Order
from marketplace.orders.process import ORDER
from marketplace.orders.receipts import (
    payment_figures,
    receipt_for,
    receipt_ledger,
    record_payment,
    recorded_figures,
)
from marketplace.orders.services import (
    QuoteChanged,
    QuoteSeen,
    orders_for,
    place_order,
    quote,
    voucher_summary,
)
from marketplace.permissions import can, permission_required, require
from marketplace.redemptions.services import redemption_panel
from marketplace.resonance.models import LedgerEntry
from marketplace.states import AlreadyDone
from marketplace.web import LONG_PAGE_SIZE, paginate, perform, submit


def published_offering_or_404(offering_id: int) -> Offering:
    """Return a published offering or answer 404."""
    offering = db.session.get(Offering, offering_id)
    if offering is None or not offering.is_published:
        abort(404)
    return offering


@bp.route("/offerings/<int:offering_id>/order", methods=["GET", "POST"])
@permission_required("order.place")
def new(offering_id: int):
    """Show the quote for an order (list price, 模型券 deduction, payable) and place it on confirmation."""
    offering = published_offering_or_404(offering_id)
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
                flash(_("Order placed. The provider will confirm payment; "
                        "there is no online payment on this platform."),
                      "success")
            return redirect(url_for("orders.detail", order_id=order.id))
    from marketplace.vouchers.services import explain

    summary = voucher_summary(current_user.organisation, date.today().year)
    return render_template("orders/new.html", offering=offering, form=form, quote=priced, error=error,
                           summary=summary, why=explain(summary)), (422 if form.errors or error else 200)


@bp.route("/orders")
@login_required
def index():
    """List the organisation's orders (bought or sold) and, for SMEs, the year's voucher position."""
    org = current_user.organisation
    year = request.args.get("year", date.today().year, type=int)
    from marketplace.vouchers.services import explain

    summary = voucher_summary(org, year) if org.is_enterprise else None
    return render_template("orders/index.html", orders=paginate(orders_for(org), LONG_PAGE_SIZE), summary=summary,
                           why=explain(summary) if summary else None,
                           year=year,
                           selling=not org.is_enterprise)


@bp.route("/orders/<int:order_id>")
@login_required
def detail(order_id: int):
    """Show an order: lines, state, dates and the moves the user may make now."""
    order = db.get_or_404(Order, order_id)
    require(current_user, "order.view", order)
    entries = list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id)
                                      .order_by(LedgerEntry.id)))
    return render_template("orders/detail.html", order=order, entries=entries,
                           moves=ORDER.available(order, current_user),
                           may_review=can(current_user, "order.review", order),
                           receipt=receipt_for(order.id) if can(current_user, "order.receipt", order) else None,
                           redemption_panel=redemption_panel(order, current_user))


SUCCESS = {"fulfil": lambda: _("Marked as delivered."),
           "refund": lambda: _("Refunded. Revenue shares were reversed and the voucher amount released."),
           "cancel": lambda: _("Order cancelled; the voucher amount was released.")}


@bp.route("/orders/<int:order_id>/<any(fulfil, refund, cancel):action>", methods=["POST"])
@login_required
def transition(order_id: int, action: str):
    """Fire one transition of the order process (record delivery, refund, cancel; payment has its own page)."""
    db.get_or_404(Order, order_id)
    values = {a.name: request.form.get(a.name, "")[:2000] for a in ORDER.transition(action).asks}
    perform(lambda: ORDER.fire(order_id, action, current_user, when=None, **values), SUCCESS[action])
    return redirect(url_for("orders.detail", order_id=order_id))


@bp.route("/orders/<int:order_id>/pay", methods=["GET", "POST"])
@login_required
def pay(order_id: int):
    """Confirm an order's payment (the vendor): the amounts it moves, the amount received and the payment
    reference; on success, the receipt. A repeated submit of the same form shows the same receipt."""
    order = db.get_or_404(Order, order_id)
    require(current_user, "order.pay", order)
    form = PaymentForm()
    if request.method == "GET":
        if receipt_for(order.id) is not None:
            return redirect(url_for("orders.receipt", order_id=order.id))
        form.idempotency_key.data = uuid.uuid4().hex
    elif form.validate():
        try:
            done, result = submit(form, lambda: record_payment(order.id, current_user, form.amount.fen or 0,
                                                               form.reference.data, form.idempotency_key.data),
                                  passes=(AlreadyDone,))
        except AlreadyDone as exc:
            flash(str(exc), "info")
            return redirect(url_for("orders.receipt", order_id=order.id))
        if done and result is not None:
            if result[1]:
                flash(_("Payment recorded. This is its receipt."), "success")
            return redirect(url_for("orders.receipt", order_id=order.id))
    return render_template("orders/pay.html", order=order, form=form, figures=payment_figures(order)), \
        (422 if form.errors or form.form_errors else 200)


@bp.route("/orders/<int:order_id>/receipt")
@login_required
def receipt(order_id: int):
    """The printable receipt of an order's payment: who recorded it when, the amounts, the reference and the
    ledger entry ids (the buyer, the vendor and admins)."""
    order = db.get_or_404(Order, order_id)
    require(current_user, "order.receipt", order)
    found = receipt_for(order.id)
    if found is None:
        abort(404)
    return render_template("orders/receipt.html", order=order, receipt=found, ledger=receipt_ledger(order.id),
                           figures=recorded_figures(order))


@bp.route("/vouchers")
@permission_required("voucher.view")
def vouchers():
    """The SME's 模型券 ledger for a year: quota, reservations, commitments, releases and a running balance."""
    from marketplace.vouchers.services import explain, ledger_rows

    org = current_user.organisation
    year = request.args.get("year", date.today().year, type=int)
    summary = voucher_summary(org, year)
    return render_template("orders/vouchers.html", summary=summary, why=explain(summary), enterprise=org,
                           rows=ledger_rows(org.id, year), year=year)
