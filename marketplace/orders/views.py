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
from marketplace.orders.forms import OrderForm
from marketplace.orders.models import Order
from marketplace.orders.process import ORDER
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
from marketplace.web import LONG_PAGE_SIZE, paginate, perform


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
                           redemption_panel=redemption_panel(order, current_user))


SUCCESS = {"pay": lambda: _("Payment recorded."),
           "fulfil": lambda: _("Marked as delivered."),
           "refund": lambda: _("Refunded. Revenue shares were reversed and the voucher amount released."),
           "cancel": lambda: _("Order cancelled; the voucher amount was released.")}


@bp.route("/orders/<int:order_id>/<any(pay, fulfil, refund, cancel):action>", methods=["POST"])
@login_required
def transition(order_id: int, action: str):
    """Fire one transition of the order process (record payment or delivery, refund, cancel)."""
    db.get_or_404(Order, order_id)
    values = {a.name: request.form.get(a.name, "")[:2000] for a in ORDER.transition(action).asks}
    perform(lambda: ORDER.fire(order_id, action, current_user, when=None, **values), SUCCESS[action])
    return redirect(url_for("orders.detail", order_id=order_id))


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
