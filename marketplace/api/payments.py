"""Recording an order's payment through the API: `POST /api/v1/orders/{id}/pay` with the amount received and the
payment reference, through the same service as the payment page (`orders.receipts.record_payment`): the amount
must be the amount payable, the receipt is written with the split and the 模型券 commitment, and the same
Idempotency-Key records one payment. The bare `pay` transition is not offered (`marketplace.api.transitions`)."""
from __future__ import annotations

import uuid

from flask import request, url_for
from flask_login import current_user

from marketplace.api import bp
from marketplace.api import deals_schemas as s
from marketplace.api.deals import answer, body_of, order_json, order_key, utc, visible
from marketplace.api.errors import ApiError
from marketplace.api.idempotency import HEADER, HEADER_SCHEMA, idempotent
from marketplace.api.spec import operation
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.permissions import require
from marketplace.states import AlreadyDone

API_FIELDS = {"amount": "amount_fen"}
"""The payment form's field names the service's refusals use, as the API's body names them."""


def receipt_json(receipt) -> dict:
    """A payment receipt as the API shows it."""
    return {"id": receipt.id, "amount_fen": receipt.amount_fen, "reference": receipt.reference,
            "recorded_by": receipt.recorded_by.name if receipt.recorded_by else None,
            "recorded_at": utc(receipt.recorded_at)}


@bp.route("/orders/<int:order_id>/pay", methods=["POST"])
@operation("Record an order's payment", scope="orders", tags=("Orders",), body=s.PaymentIn,
           responses={201: s.Payment, 200: s.Payment}, errors=(403, 404, 409, 415),
           headers={HEADER: HEADER_SCHEMA},
           description="The vendor records that an order was paid, as on the payment page: the amount received "
                       "(exactly payable_fen: an order is paid in full, once; another amount is 422 with the reason "
                       "under amount_fen) and the payment reference. Paying splits the revenue by the agreement in "
                       "force, commits the 模型券 and writes the receipt (201). The same Idempotency-Key returns the "
                       "same receipt (200); an order paid already is 409 already_done.")
@idempotent
def pay_order(order_id: int):
    """Record an order's payment with its amount and reference, and return the order and its receipt."""
    from marketplace.orders.models import Order
    from marketplace.orders.receipts import record_payment

    order = visible(Order, order_id, "order.view")
    require(current_user, "order.pay", order)
    body = body_of(s.PaymentIn)
    header = request.headers.get(HEADER)
    key = order_key(header) if header and header.strip() else uuid.uuid4().hex
    try:
        receipt, created = record_payment(order.id, current_user, body.amount_fen, body.reference, key)
    except AlreadyDone as exc:
        raise ApiError(409, "already_done", str(exc)) from None
    except DomainError as exc:
        raise DomainError(reasons=[(API_FIELDS.get(f, f) if f else f, text) for f, text in exc.reasons]) from None
    db.session.commit()
    db.session.refresh(order)
    return answer(s.Payment, {"order": order_json(order), "receipt": receipt_json(receipt)},
                  201 if created else 200, {"Location": url_for("api.order", order_id=order.id)})
