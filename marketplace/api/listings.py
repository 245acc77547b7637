"""Writes of listings and needs through the API: a vendor's provider profile, model cards (with their evaluation
tables) and offerings (scope `listings`), an SME's needs (scope `needs`); and the vocabulary their codes come from.

Each write calls the service the page calls (`catalog.services`, `needs.services`), so the same rules, permissions
and moderation apply: a new listing is a draft until its `publish` transition
(`POST /api/v1/{collection}/{id}/transitions/publish`), an unverified organisation's listing or need waits for
review. Each answer is the record as the kind's serialiser gives it (`marketplace.kinds`).
"""
from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel

from marketplace import vocab
from marketplace.api import bp
from marketplace.api.errors import ApiError, parse_body, validate
from marketplace.api.idempotency import HEADER, HEADER_SCHEMA, idempotent
from marketplace.api.listing_schemas import (
    ModelIn,
    ModelOut,
    ModelPatch,
    NeedIn,
    NeedOut,
    NeedPatch,
    OfferingIn,
    OfferingOut,
    OfferingPatch,
    ProviderIn,
    ProviderOut,
    ProviderPatch,
    Vocabulary,
)
from marketplace.api.spec import operation
from marketplace.extensions import db
from marketplace.kinds import get_kind
from marketplace.permissions import require

LISTING_TAGS = ("Listings",)
NEED_TAGS = ("Needs",)
WRITE_ERRORS = (404, 409, 415)


def read_body(model: type[BaseModel]) -> dict:
    """Read the JSON body against its schema and return the fields sent (an empty body sends none)."""
    parsed = parse_body(model) if request.get_data() else validate(model, {})
    return parsed.model_dump(exclude_unset=True)


def answer(kind_name: str, record, status: int = 200):
    """Answer a saved record as its kind serialises it; a new one with 201 and where it can be read."""
    db.session.refresh(record)
    response = jsonify(get_kind(kind_name).serialise(record, current_user))
    response.status_code = status
    if status == 201:
        response.headers["Location"] = url_for("api.record", collection=get_kind(kind_name).collection,
                                               record_id=record.id)
    return response


def editable(kind_name: str, record_id: int, edit_permission: str):
    """Return a record the caller may edit: 404 when it does not exist or they may not see it, 403 when they may
    see but not edit it."""
    kind = get_kind(kind_name)
    record = db.session.get(kind.model, record_id)
    if record is None or not kind.is_visible_to(record, current_user):
        raise ApiError(404, "not_found", _("We could not find that record."))
    require(current_user, edit_permission, record)
    return record


def evaluation_rows(rows: list[dict]) -> list[dict]:
    """The evaluation rows as the catalogue service takes them (a row's `id` keeps it)."""
    return [{"row_id": r.get("id"), "metric": r.get("metric"), "value": r.get("value"),
             "dataset": r.get("dataset") or "", "evaluator": r.get("evaluator") or "",
             "evaluator_org_id": r.get("evaluator_org_id")} for r in rows]


# ---- provider profile -------------------------------------------------------------------------------------------

@bp.route("/providers", methods=["POST"])
@operation("Create the provider profile", scope="listings", tags=LISTING_TAGS, body=ProviderIn,
           responses={201: ProviderOut}, errors=WRITE_ERRORS, headers={HEADER: HEADER_SCHEMA},
           description="The vendor's one provider profile, saved as a draft (publish it with its `publish` "
                       "transition). 409 when the organisation has one already: change it with PATCH.")
@idempotent
def create_provider():
    """Create the vendor's provider profile as a draft."""
    from marketplace.catalog.services import provider_of, save_provider_profile

    require(current_user, "listing.create")
    fields = read_body(ProviderIn)
    org = current_user.organisation
    existing = provider_of(org.id)
    if existing is not None:
        raise ApiError(409, "exists", _("Your organisation has a provider profile already (id %(id)d); change it "
                                        "with PATCH.", id=existing.id))
    profile = save_provider_profile(org, **fields)
    db.session.commit()
    return answer("provider", profile, 201)


@bp.route("/providers/<int:record_id>", methods=["PATCH"])
@operation("Change the provider profile", scope="listings", tags=LISTING_TAGS, body=ProviderPatch,
           responses={200: ProviderOut}, errors=WRITE_ERRORS,
           description="Change the fields sent; the others stay. Only the owning vendor may.")
def update_provider(record_id: int):
    """Change fields of the vendor's provider profile."""
    from marketplace.catalog.services import save_provider_profile

    profile = editable("provider", record_id, "listing.edit")
    fields = read_body(ProviderPatch)
    save_provider_profile(profile.organisation, **fields)
    db.session.commit()
    return answer("provider", profile)


# ---- industrial models ------------------------------------------------------------------------------------------

@bp.route("/models", methods=["POST"])
@operation("Create a model card", scope="listings", tags=LISTING_TAGS, body=ModelIn, responses={201: ModelOut},
           errors=WRITE_ERRORS, headers={HEADER: HEADER_SCHEMA},
           description="An industrial model card with its evaluation table, saved as a draft. A result naming "
                       "`evaluator_org_id` waits for that organisation's attestation (attestation: pending).")
@idempotent
def create_model():
    """Create a model card as a draft."""
    from marketplace.catalog.services import save_model

    require(current_user, "listing.create")
    fields = read_body(ModelIn)
    rows = evaluation_rows(fields.pop("evaluations", []))
    model = save_model(current_user.organisation, fields, rows, actor=current_user)
    db.session.commit()
    return answer("model", model, 201)


@bp.route("/models/<int:record_id>", methods=["PATCH"])
@operation("Change a model card", scope="listings", tags=LISTING_TAGS, body=ModelPatch, responses={200: ModelOut},
           errors=WRITE_ERRORS,
           description="Change the fields sent. `evaluations`, when sent, is the whole table: rows sent with their "
                       "`id` are kept (attested ones stay attested while their claim is unchanged), rows left out "
                       "are removed, a changed claim waits for its evaluator again.")
def update_model(record_id: int):
    """Change fields (and the evaluation table) of one of the vendor's model cards."""
    from marketplace.catalog.services import save_model

    model = editable("model", record_id, "listing.edit")
    fields = read_body(ModelPatch)
    rows = fields.pop("evaluations", None)
    save_model(model.organisation, fields, None if rows is None else evaluation_rows(rows), model=model,
               actor=current_user)
    db.session.commit()
    return answer("model", model)


# ---- offerings --------------------------------------------------------------------------------------------------

@bp.route("/offerings", methods=["POST"])
@operation("Create an offering", scope="listings", tags=LISTING_TAGS, body=OfferingIn,
           responses={201: OfferingOut}, errors=WRITE_ERRORS, headers={HEADER: HEADER_SCHEMA},
           description="A model-supermarket offering, saved as a draft; the price is integer fen and the models "
                       "behind it must be the vendor's own.")
@idempotent
def create_offering():
    """Create an offering as a draft."""
    from marketplace.catalog.services import save_offering

    require(current_user, "listing.create")
    fields = read_body(OfferingIn)
    model_ids = fields.pop("model_ids", [])
    offering = save_offering(current_user.organisation, fields, model_ids)
    db.session.commit()
    return answer("offering", offering, 201)


@bp.route("/offerings/<int:record_id>", methods=["PATCH"])
@operation("Change an offering", scope="listings", tags=LISTING_TAGS, body=OfferingPatch,
           responses={200: OfferingOut}, errors=WRITE_ERRORS,
           description="Change the fields sent; `model_ids`, when sent, replaces the models behind it.")
def update_offering(record_id: int):
    """Change fields of one of the vendor's offerings."""
    from marketplace.catalog.services import save_offering

    offering = editable("offering", record_id, "listing.edit")
    fields = read_body(OfferingPatch)
    model_ids = fields.pop("model_ids", None)
    save_offering(offering.organisation, fields, model_ids, offering=offering)
    db.session.commit()
    return answer("offering", offering)


# ---- needs ------------------------------------------------------------------------------------------------------

@bp.route("/needs", methods=["POST"])
@operation("Post a need", scope="needs", tags=NEED_TAGS, body=NeedIn, responses={201: NeedOut},
           errors=(415,), headers={HEADER: HEADER_SCHEMA},
           description="An SME's scenario need, posted open, with the need form's rules. An unverified SME's "
                       "need waits for a moderator (moderation: held) before others see it.")
@idempotent
def create_need():
    """Post a scenario need for the caller's SME."""
    from marketplace.needs.services import post_need

    require(current_user, "need.post")
    need = post_need(current_user, read_body(NeedIn))
    db.session.commit()
    return answer("need", need, 201)


@bp.route("/needs/<int:record_id>", methods=["PATCH"])
@operation("Change a need", scope="needs", tags=NEED_TAGS, body=NeedPatch, responses={200: NeedOut},
           errors=WRITE_ERRORS,
           description="Change the fields sent (null clears an optional one); status moves are transitions.")
def update_need(record_id: int):
    """Change fields of one of the SME's needs."""
    from marketplace.needs.services import edit_need

    need = editable("need", record_id, "need.edit")
    edit_need(need, current_user, read_body(NeedPatch))
    db.session.commit()
    return answer("need", need)


# ---- vocabulary -------------------------------------------------------------------------------------------------

def terms(items) -> list[dict]:
    """Codes with their Chinese and English names."""
    return [{"code": t.code, "zh": t.zh, "en": t.en} for t in items]


def labelled(labels: dict) -> list[dict]:
    """Codes whose names are translated messages, in Chinese and in English."""
    out = []
    for code, label in labels.items():
        with force_locale("zh_CN"):
            zh = str(label)
        with force_locale("en"):
            en = str(label)
        out.append({"code": code, "zh": zh, "en": en})
    return out


@bp.route("/vocabulary")
@operation("Vocabulary", tags=("Vocabulary",), public=True, responses={200: Vocabulary},
           description="Every code list a record's fields take their codes from, each code with its Chinese and "
                       "English names; scenarios with their stage (MIIT's typical intelligent-manufacturing "
                       "scenarios), stages with their scenarios.")
def vocabulary():
    """List every code list with Chinese and English names."""
    from marketplace.moderated import ModerationState
    from marketplace.needs.models import VISIBILITY_LABELS, NeedStatus
    from marketplace.states import STATE_LABELS, ListingState

    return jsonify({
        "industries": terms(vocab.INDUSTRIES),
        "scenarios": [{"code": s.code, "zh": s.zh, "en": s.en, "stage": s.parent or "", "also": list(s.also)}
                      for s in vocab.SCENARIOS],
        "stages": [{"code": t.code, "zh": t.zh, "en": t.en, "scenarios": vocab.codes(vocab.scenarios_in(t.code))}
                   for t in vocab.STAGES],
        "cities": terms(vocab.CITIES), "deployments": terms(vocab.DEPLOYMENTS),
        "model_kinds": terms(vocab.MODEL_KINDS), "modalities": terms(vocab.MODALITIES),
        "provider_types": terms(vocab.PROVIDER_TYPES), "pricing_plans": terms(vocab.PRICING_PLANS),
        "visibilities": labelled(VISIBILITY_LABELS),
        "listing_states": labelled({s.value: STATE_LABELS[s.value] for s in ListingState}),
        "need_statuses": labelled({s.value: STATE_LABELS[s.value] for s in NeedStatus}),
        "moderation_states": labelled({s.value: STATE_LABELS[s.value] for s in ModerationState}),
    })

