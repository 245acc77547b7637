"""Transitions through the API: `GET /api/v1/{collection}/{id}/transitions` lists the moves the caller may make
now, and `POST /api/v1/{collection}/{id}/transitions/{name}` makes one.

Both read the process definitions (`marketplace/*/process.py`) through `Process.available` and `Process.fire`,
exactly as the pages' buttons do, so the API and the buttons cannot disagree. Moves that need a form (a new
proposal version, an amendment's terms, a payment's amount and reference) are not offered here; they have their own
endpoints (`POST /api/v1/orders/{id}/pay` is `marketplace.api.payments`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from marketplace.api import bp
from marketplace.api.errors import ApiError, validate
from marketplace.api.idempotency import HEADER, HEADER_SCHEMA, idempotent
from marketplace.api.spec import operation
from marketplace.extensions import db
from marketplace.permissions import can
from marketplace.process import Process


def model_of(path: str):
    """Import a model class named "package.module:Class"."""
    module, _sep, name = path.partition(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class Movable:
    """A collection whose records move through a process: where the model and process live, who may read a
    record, the token scope its moves need, and the moves only a form can make."""

    collection: str
    model: str
    scope: str
    view_permission: str
    process: Callable[[Any], Process]
    form_only: frozenset[str] = frozenset()
    fire: Callable[[Any, str, Any, dict], Any] | None = None
    state_attr: str = "state"
    tags: tuple[str, ...] = field(default=("Transitions",))


def need_process(record) -> Process:
    """The need process."""
    from marketplace.needs.process import NEED

    return NEED


def listing_process(record) -> Process:
    """The listing process of the record's kind."""
    from marketplace.catalog.process import process_of

    return process_of(record)


def proposal_process(record) -> Process:
    """The proposal process."""
    from marketplace.proposals.process import PROPOSAL

    return PROPOSAL


def fire_proposal(record, action: str, user, values: dict):
    """Move a proposal through its service (which also moves the need it answers)."""
    from marketplace.proposals.services import change_proposal

    return change_proposal(record, action, user)


def order_process(record) -> Process:
    """The order process."""
    from marketplace.orders.process import ORDER

    return ORDER


def agreement_process(record) -> Process:
    """The 模数共振 agreement process."""
    from marketplace.resonance.process import AGREEMENT

    return AGREEMENT


MOVABLE: dict[str, Movable] = {m.collection: m for m in (
    Movable("needs", "marketplace.needs.models:Need", "needs", "need.view", need_process,
            form_only=frozenset({"start_talks", "contract"}), state_attr="status"),
    Movable("offerings", "marketplace.catalog.models:Offering", "listings", "listing.view", listing_process),
    Movable("models", "marketplace.catalog.models:IndustrialModel", "listings", "listing.view", listing_process),
    Movable("providers", "marketplace.catalog.models:ProviderProfile", "listings", "listing.view", listing_process),
    Movable("proposals", "marketplace.proposals.models:Proposal", "orders", "proposal.view", proposal_process,
            form_only=frozenset({"submit", "revise"}), fire=fire_proposal),
    Movable("orders", "marketplace.orders.models:Order", "orders", "order.view", order_process,
            form_only=frozenset({"pay"})),
    Movable("agreements", "marketplace.resonance.models:Agreement", "orders", "agreement.view", agreement_process,
            form_only=frozenset({"amend"})),
)}
"""Every collection with transitions in the API."""


class TransitionInfo(BaseModel):
    """A move the caller may make now, and the values it needs."""

    name: str
    label: str
    needs: list[str] = Field(description="Names of the values the move needs (e.g. reason).")


class Moves(BaseModel):
    """A record's state and the moves the caller may make now."""

    id: int
    state: str
    transitions: list[TransitionInfo]


class MoveRequest(BaseModel):
    """The values a move needs (a reason, for example); an empty body for moves that need none."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, str] = Field(default_factory=dict, description="E.g. {\"reason\": \"…\"}.")


def movable_collections() -> dict:
    """The schema of the collection segment of transition paths."""
    return {"type": "string", "enum": sorted(MOVABLE)}


def movable_or_404(collection: str, record_id: int) -> tuple[Movable, Any]:
    """Return a collection's entry and the record the caller may read, or raise 404."""
    movable = MOVABLE.get(collection)
    if movable is None:
        raise ApiError(404, "not_found", _("There is no such list."))
    record = db.session.get(model_of(movable.model), record_id)
    if record is None or not can(current_user, movable.view_permission, record):
        raise ApiError(404, "not_found", _("We could not find that record."))
    return movable, record


def moves_json(movable: Movable, record) -> dict:
    """Return a record's state and the moves the caller may make now (what the page shows as buttons)."""
    process = movable.process(record)
    moves = [t for t in process.available(record, current_user) if t.name not in movable.form_only]
    return {"id": record.id, "state": str(getattr(record, movable.state_attr)),
            "transitions": [{"name": t.name, "label": str(t.label), "needs": [a.name for a in t.asks]}
                            for t in moves]}


@bp.route("/<collection>/<int:record_id>/transitions")
@operation("List the moves open now", tags=("Transitions",), responses={200: Moves}, errors=(404,),
           path_params={"collection": movable_collections},
           description="The moves the caller may make on this record now — the buttons its page shows them.")
def transitions(collection: str, record_id: int):
    """List the moves the caller may make on a record now."""
    movable, record = movable_or_404(collection, record_id)
    return jsonify(moves_json(movable, record))


@bp.route("/<collection>/<int:record_id>/transitions/<name>", methods=["POST"])
@operation("Make a move", tags=("Transitions",), scope="", body=MoveRequest, responses={200: Moves},
           errors=(404, 409, 415), path_params={"collection": movable_collections},
           headers={HEADER: HEADER_SCHEMA},
           description="Fire one transition of the record's process, as its page's button does. Needs the scope "
                       "of the collection: needs → needs; offerings, models, providers → listings; proposals, "
                       "orders, agreements → orders. 409 when the record's state does not allow the move.")
@idempotent
def move(collection: str, record_id: int, name: str):
    """Make one move of a record's process."""
    movable, record = movable_or_404(collection, record_id)
    from marketplace.api.auth import require_scope

    require_scope(movable.scope)
    body = validate(MoveRequest, request.get_json(silent=True) or {}) if request.get_data() else MoveRequest()
    process = movable.process(record)
    if name in movable.form_only or name not in process.by_name:
        raise ApiError(404, "unknown_transition", _("This record has no move called %(name)s here.", name=name))
    asks = process.by_name[name].asks
    values = {a.name: body.values[a.name][:2000] for a in asks if body.values.get(a.name, "").strip()}
    missing = {f"values.{a.name}": [str(a.missing)] for a in asks if a.name not in values}
    if missing and name in {t.name for t in process.available(record, current_user)}:
        raise ApiError(422, "invalid", _("Some of the values sent are not valid."), missing)
    if movable.fire is not None:
        movable.fire(record, name, current_user, values)
    else:
        process.fire(record.id, name, current_user, None, **values)
    db.session.commit()
    db.session.refresh(record)
    return jsonify(moves_json(movable, record))
