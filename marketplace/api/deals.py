"""Deals through the API: proposals (send, revise, the caller's own) and orders (quote, place with an
Idempotency-Key, the caller's own); agreements and statements are `marketplace.api.deals_agreements`.

Every write goes through the same service as the page (`proposals.services`, `orders.services`), every read asks
the same permission rules; moves (accept, refund, sign, …) are `POST /api/v1/{collection}/{id}/transitions/
{name}` (`marketplace.api.transitions`), recording a payment is `POST /api/v1/orders/{id}/pay`
(`marketplace.api.payments`). A record the caller may not read answers 404, as the transitions do.
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime
from typing import TypeVar

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import selectinload

from marketplace.api import bp
from marketplace.api import deals_schemas as s
from marketplace.api.errors import ApiError, parse_body, validate, validation_fields
from marketplace.api.idempotency import HEADER, HEADER_SCHEMA, idempotent
from marketplace.api.spec import operation
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.permissions import can, require
from marketplace.states import STATE_LABELS
from marketplace.web import paginate

M = TypeVar("M", bound=BaseModel)


# ---- helpers ------------------------------------------------------------------------------------------------------


def answer(model: type[M], data: dict, status: int = 200, headers: dict | None = None):
    """Answer data checked against its documented schema (so the document and the answer cannot disagree)."""
    return jsonify(model.model_validate(data).model_dump(mode="json")), status, headers or {}


def query_of(model: type[M]) -> M:
    """Read the query string as a model, or answer 400 with the reasons per parameter."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiError(400, "invalid_filters", _("Some filters are not valid."), validation_fields(exc)) from None


def body_of(model: type[M]) -> M:
    """Read a JSON body as a model (an empty body counts as an empty object: the missing fields are named)."""
    return parse_body(model) if request.get_data(cache=True) else validate(model, {})


def not_found():
    """Answer a record that is missing or hidden from the caller."""
    raise ApiError(404, "not_found", _("We could not find that record."))


def visible(model, record_id: int, permission: str):
    """Return a record the caller may read by a permission, or answer 404 (never saying it exists)."""
    record = db.session.get(model, record_id)
    if record is None or not can(current_user, permission, record):
        not_found()
    return record


def utc(moment: datetime | None) -> datetime | None:
    """A stored time as an aware UTC time (the database may give it back naive)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def label(state: str) -> str:
    """A state in the caller's language."""
    return str(STATE_LABELS.get(state, state))


def paged(page, serialise) -> dict:
    """A database page as a list answer."""
    return {"items": [serialise(r) for r in page.items], "page": page.page, "pages": max(page.pages, 1),
            "total": page.total}


# ---- proposals ----------------------------------------------------------------------------------------------------


def proposal_brief(proposal, owner_visible: bool) -> dict:
    """A proposal as a list shows it."""
    need = proposal.need
    return {"id": proposal.id, "state": proposal.state, "state_label": label(proposal.state),
            "need": {"id": need.id, "title": need.title},
            "enterprise": {"id": need.organisation_id, "name": need.organisation.name if owner_visible else None},
            "vendor": {"id": proposal.vendor_id, "name": proposal.vendor.name}, "price_fen": proposal.price_fen,
            "created_at": utc(proposal.created_at), "updated_at": utc(proposal.updated_at)}


def proposal_json(proposal) -> dict:
    """A proposal with its terms, confirmations, the caller's moves and the thread, as its page shows them."""
    from marketplace.needs.services import shows_owner
    from marketplace.orders.services import proposal_order
    from marketplace.proposals.process import page_moves
    from marketplace.proposals.services import thread_lines

    owner_visible = shows_owner(proposal.need, current_user)
    order = proposal_order(proposal.id)
    lines = thread_lines(proposal, list(proposal.messages), current_user, owner_visible)
    return {**proposal_brief(proposal, owner_visible), "plan": proposal.plan, "message": proposal.message,
            "offerings": [{"id": o.id, "title": o.title} for o in proposal.offerings],
            "sme_confirmed_at": utc(proposal.sme_confirmed_at),
            "vendor_confirmed_at": utc(proposal.vendor_confirmed_at),
            "order_id": order.id if order is not None and can(current_user, "order.view", order) else None,
            "transitions": [t.name for t in page_moves(proposal, current_user)],
            "thread": [{"id": line["message"].id, "sender": str(line["sender"]), "mine": line["mine"],
                        "hidden": line["hidden"], "body": line["message"].body,
                        "created_at": utc(line["message"].created_at)} for line in lines]}


def proposal_created(proposal, status: int):
    """Answer a proposal just sent or revised."""
    db.session.commit()
    db.session.refresh(proposal)
    location = url_for("api.proposal", proposal_id=proposal.id)
    return answer(s.Proposal, proposal_json(proposal), status, {"Location": location})


@bp.route("/needs/<int:need_id>/proposals", methods=["POST"])
@operation("Send a proposal", scope="orders", tags=("Proposals",), body=s.ProposalIn,
           responses={201: s.Proposal}, errors=(404, 409, 415),
           description="A vendor proposes for a live need it may read (or answers the SME's invitation), through "
                       "the proposal form's service: only its own published offerings, the price in fen. A second "
                       "proposal for the same need is a 409: send a revision instead.")
def send_proposal_api(need_id: int):
    """Send a proposal for a need."""
    from marketplace.needs.models import Need
    from marketplace.proposals.models import ProposalState
    from marketplace.proposals.services import existing_proposal, send_proposal

    need = visible(Need, need_id, "need.view")
    require(current_user, "proposal.send", need)
    body = body_of(s.ProposalIn)
    current = existing_proposal(need, current_user.organisation_id)
    if current is not None and current.state != ProposalState.INVITED.value:
        raise ApiError(409, "already_proposed",
                       _("You have already proposed for this need (proposal %(id)s); send a revision of it instead.",
                         id=current.id))
    proposal = send_proposal(need, current_user, body.offering_ids, body.price_fen, body.plan, body.message or "")
    return proposal_created(proposal, 201)


@bp.route("/proposals/<int:proposal_id>/revisions", methods=["POST"])
@operation("Revise a proposal", scope="orders", tags=("Proposals",), body=s.ProposalIn,
           responses={201: s.Proposal}, errors=(404, 409, 415),
           description="The vendor replaces the terms of its submitted or shortlisted proposal; the SME is told. "
                       "409 once the proposal was accepted, declined or withdrawn.")
def revise_proposal_api(proposal_id: int):
    """Revise one of the caller's proposals."""
    from marketplace.proposals.models import Proposal
    from marketplace.proposals.services import revise_proposal

    proposal = visible(Proposal, proposal_id, "proposal.view")
    require(current_user, "proposal.revise", proposal)
    body = body_of(s.ProposalIn)
    revise_proposal(proposal, current_user, body.offering_ids, body.price_fen, body.plan, body.message)
    return proposal_created(proposal, 201)


@bp.route("/proposals")
@operation("List my proposals", scope="orders", tags=("Proposals",), query=s.ProposalQuery,
           responses={200: s.ProposalPage},
           description="The caller's organisation's proposals, newest first: received (an SME) or sent and invited "
                       "(a vendor).")
def proposals():
    """List the caller's proposals."""
    from marketplace.needs.permissions import owner_visible_ids
    from marketplace.proposals.models import Proposal
    from marketplace.proposals.services import own_proposals

    query = query_of(s.ProposalQuery)
    if current_user.organisation is None:
        return answer(s.ProposalPage, {"items": [], "page": 1, "pages": 1, "total": 0})
    stmt = own_proposals(current_user.organisation, query.state).options(
        selectinload(Proposal.vendor), selectinload(Proposal.need))
    page = paginate(stmt)
    shown = owner_visible_ids(current_user, {p.need for p in page.items})
    return answer(s.ProposalPage, paged(page, lambda p: proposal_brief(p, p.need_id in shown)))


@bp.route("/proposals/<int:proposal_id>")
@operation("Get a proposal", scope="orders", tags=("Proposals",), responses={200: s.Proposal}, errors=(404,),
           description="A proposal with its terms, contract confirmations, the moves open to the caller and the "
                       "message thread (reading it here marks nothing read).")
def proposal(proposal_id: int):
    """Return a proposal the caller may read."""
    from marketplace.proposals.models import Proposal

    return answer(s.Proposal, proposal_json(visible(Proposal, proposal_id, "proposal.view")))


# ---- quotes and orders --------------------------------------------------------------------------------------------


def lines_json(lines) -> list[dict]:
    """Coded lines in the caller's language."""
    return [{"code": line.code, "label": str(line.label), "amount_fen": line.amount_fen} for line in lines]


def quote_json(priced, offering_id: int | None = None, proposal_id: int | None = None, item: str = "") -> dict:
    """A quote with the lines the order would have."""
    lines = [{"code": "item", "label": item, "amount_fen": priced.list_fen}]
    if priced.voucher_fen:
        lines.append({"code": "model_voucher", "label": _("模型券 deduction"), "amount_fen": -priced.voucher_fen})
    return {"offering_id": offering_id, "proposal_id": proposal_id, "quantity": priced.quantity,
            "unit_price_fen": priced.unit_price_fen, "list_fen": priced.list_fen, "voucher_fen": priced.voucher_fen,
            "payable_fen": priced.payable_fen, "lines": lines, "year": priced.year, "voucher_region": priced.region,
            "voucher_remaining_fen": priced.voucher_remaining_fen, "no_voucher_reason": priced.no_voucher_reason}


def on_sale(offering_id: int):
    """Return a published offering, or answer 404."""
    from marketplace.catalog.models import Offering

    offering = db.session.get(Offering, offering_id)
    if offering is None or not offering.is_published:
        not_found()
    return offering


def orderable_proposal(proposal_id: int):
    """Return a proposal the caller may read and turn into an order, or answer 404 / 403."""
    from marketplace.proposals.models import Proposal

    proposal = visible(Proposal, proposal_id, "proposal.view")
    require(current_user, "order.from_proposal", proposal)
    return proposal


@bp.route("/offerings/<int:offering_id>/quote")
@operation("Quote an offering", scope="orders", tags=("Orders",), query=s.QuoteQuery, responses={200: s.QuoteOut},
           errors=(404,),
           description="What an order of this offering would cost the caller's SME now: list amount, 模型券 "
                       "deduction and amount payable. Send the figures back when placing the order.")
def quote_offering(offering_id: int):
    """Price an order of an offering for the caller's SME."""
    from marketplace.orders.services import quote

    require(current_user, "order.place")
    offering = on_sale(offering_id)
    quantity = query_of(s.QuoteQuery).quantity
    try:
        priced = quote(current_user.organisation, offering, quantity, date.today().year)
    except ValueError as exc:
        raise ApiError(400, "invalid_filters", str(exc), {"quantity": [str(exc)]}) from None
    return answer(s.QuoteOut, quote_json(priced, offering_id=offering.id, item=f"{offering.title} × {quantity}"))


@bp.route("/proposals/<int:proposal_id>/quote")
@operation("Quote a contracted proposal", scope="orders", tags=("Orders",), responses={200: s.QuoteOut},
           errors=(404, 409),
           description="What ordering a contracted proposal would cost the SME that posted its need now.")
def quote_proposal(proposal_id: int):
    """Price the order of a contracted proposal."""
    from marketplace.orders.services import proposal_quote
    from marketplace.proposals.models import ProposalState

    proposal = orderable_proposal(proposal_id)
    if proposal.state != ProposalState.CONTRACTED.value or not proposal.price_fen:
        raise ApiError(409, "not_contracted", _("Only a contracted proposal can become an order."))
    priced = proposal_quote(current_user.organisation, proposal, date.today().year)
    return answer(s.QuoteOut, quote_json(priced, proposal_id=proposal.id, item=proposal.need.title))


def order_key(header: str | None) -> str:
    """The order's one-time key: derived from the Idempotency-Key (the same key places the same order), or new."""
    if header is None or not header.strip():
        return uuid.uuid4().hex
    return "api-" + hashlib.sha256(header.strip().encode("utf-8", "replace")).hexdigest()[:60]


def order_brief(order) -> dict:
    """An order as a list shows it."""
    return {"id": order.id, "state": order.state, "state_label": label(order.state), "title": order.title,
            "buyer": {"id": order.buyer_id, "name": order.buyer.name},
            "vendor": {"id": order.vendor_id, "name": order.vendor.name}, "quantity": order.quantity,
            "list_fen": order.list_fen, "voucher_fen": order.voucher_fen, "payable_fen": order.payable_fen,
            "created_at": utc(order.created_at)}


def order_json(order) -> dict:
    """An order with its lines, timestamps and the caller's moves, as its page shows them."""
    from marketplace.orders.process import ORDER

    return {**order_brief(order), "offering_id": order.offering_id, "proposal_id": order.proposal_id,
            "pricing_plan": order.pricing_plan, "unit_price_fen": order.unit_price_fen,
            "voucher_year": order.voucher_year, "lines": lines_json(order.lines), "refund_reason": order.refund_reason,
            "paid_at": utc(order.paid_at), "fulfilled_at": utc(order.fulfilled_at),
            "refunded_at": utc(order.refunded_at), "cancelled_at": utc(order.cancelled_at),
            "transitions": [t.name for t in ORDER.available(order, current_user)]}


@bp.route("/orders", methods=["POST"])
@operation("Place an order", scope="orders", tags=("Orders",), body=s.OrderIn,
           responses={201: s.Order, 200: s.Order}, errors=(404, 409, 415), headers={HEADER: HEADER_SCHEMA},
           description="An SME orders an offering (or a contracted proposal) at the quote it showed: if the price "
                       "or the amount payable changed since, the order is refused (409 quote_changed, with the new "
                       "figures in the message) and nothing is written. Send an Idempotency-Key: the same key "
                       "places one order and reserves its 模型券 once (201 first, the same answer replayed after).")
@idempotent
def place_order_api():
    """Place an order for the caller's SME."""
    from marketplace.orders.services import QuoteChanged, QuoteSeen, order_from_proposal, place_order

    require(current_user, "order.place")
    raw = request.get_json(silent=True) if request.get_data(cache=True) else None
    body = body_of(s.ProposalOrder if isinstance(raw, dict) and "proposal_id" in raw else s.OfferingOrder)
    key = order_key(request.headers.get(HEADER))
    seen = QuoteSeen(body.quoted_unit_fen, body.quoted_payable_fen)
    try:
        if isinstance(body, s.OfferingOrder):
            order, created = place_order(current_user, on_sale(body.offering_id), body.quantity, key, seen=seen)
        else:
            proposal = orderable_proposal(body.proposal_id)
            order, created = order_from_proposal(current_user, proposal.id, key, seen=seen)
    except QuoteChanged as exc:
        raise ApiError(409, "quote_changed", str(exc),
                       {"quoted_unit_fen": [str(exc)], "quoted_payable_fen": [str(exc)]}) from None
    except DomainError:
        raise
    except ValueError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    db.session.commit()
    return answer(s.Order, order_json(order), 201 if created else 200,
                  {"Location": url_for("api.order", order_id=order.id)})


@bp.route("/orders")
@operation("List my orders", scope="orders", tags=("Orders",), query=s.OrderQuery, responses={200: s.OrderPage},
           description="The caller's organisation's orders, newest first: bought (an SME) or sold (a vendor).")
def orders():
    """List the caller's orders."""
    from marketplace.orders.models import Order
    from marketplace.orders.services import orders_for

    query = query_of(s.OrderQuery)
    if current_user.organisation is None:
        return answer(s.OrderPage, {"items": [], "page": 1, "pages": 1, "total": 0})
    stmt = orders_for(current_user.organisation)
    if query.state is not None:
        stmt = stmt.where(Order.state == query.state)
    return answer(s.OrderPage, paged(paginate(stmt), order_brief))


@bp.route("/orders/<int:order_id>")
@operation("Get an order", scope="orders", tags=("Orders",), responses={200: s.Order}, errors=(404,),
           description="An order's lines in fen (the 模型券 deduction is its own line), state, timestamps and the "
                       "moves open to the caller.")
def order(order_id: int):
    """Return an order the caller may read."""
    from marketplace.orders.models import Order

    return answer(s.Order, order_json(visible(Order, order_id, "order.view")))
