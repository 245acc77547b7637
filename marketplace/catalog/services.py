"""Catalogue services: create, edit and move listings through their process; browse published ones.

Who may do what is `marketplace.catalog.permissions`; which listings are public is
`marketplace.catalog.selectors`; how a listing moves is `marketplace.catalog.process`.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.catalog.fields import (
    MODEL_CARD_SECTIONS,
    check_evaluations,
    check_model,
    check_offering,
    check_provider,
    check_version,
)
from marketplace.catalog.models import (
    Attestation,
    IndustrialModel,
    ModelEvaluation,
    ModelVersion,
    Offering,
    ProviderProfile,
    offering_model,
)
from marketplace.catalog.process import KINDS, LISTING, kind_of
from marketplace.catalog.selectors import is_visible_to, published
from marketplace.db_types import contains_code
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.permissions import require
from marketplace.states import ListingState

LISTING_KINDS = KINDS


def can_view(listing, user: User) -> bool:
    """Tell whether a user may see a listing (kept for callers; the rule is `catalog.selectors.is_visible_to`)."""
    return is_visible_to(listing, user)


def transition_listing(listing, action: str, user: User, **values):
    """Fire one move of the listing process (publish, delist, moderate) on a listing; the caller commits."""
    return LISTING[kind_of(listing)].fire(listing.id, action, user, **values)


def screened(listing):
    """Check a saved listing's text for automatic moderation flags (never blocks the vendor); return it."""
    from marketplace.moderation.services import screen_edit

    screen_edit(listing)
    return listing


def split_list(text: str | None) -> list[str]:
    """Split a comma/、/；-separated text into trimmed items."""
    import re

    return [p.strip() for p in re.split(r"[,，、;；]", text or "") if p.strip()]


def listed_text(fields: dict, name: str) -> dict:
    """Store a comma/、-separated field (certifications, tags) as one ", "-joined list, however it was typed."""
    if isinstance(fields.get(name), str):
        fields = {**fields, name: ", ".join(split_list(fields[name]))}
    return fields


def save_provider_profile(org: Organisation, **fields) -> ProviderProfile:
    """Create or update the vendor's single provider profile, refusing fields that break its rules
    (`catalog.fields`); the caller commits."""
    profile = db.session.scalar(select(ProviderProfile).where(ProviderProfile.organisation_id == org.id))
    fields = check_provider(listed_text(fields, "certifications"), creating=profile is None)
    if profile is None:
        profile = ProviderProfile(organisation=org, state=ListingState.DRAFT.value)
        db.session.add(profile)
    for key in ("provider_type", "summary", "capabilities", "industries", "scenarios", "cities_served",
                "reference_cases", "certifications"):
        if key in fields:
            setattr(profile, key, fields[key])
    return screened(profile)


def save_model(org: Organisation, fields: dict, evaluations: list[dict] | None, model: IndustrialModel | None = None,
               actor: User | None = None):
    """Create or update a model card with its evaluation rows, refusing fields or rows that break their rules
    (`catalog.fields`); the caller commits. `evaluations` None keeps the table as it is.

    Rows are kept by their `row_id`; a row whose metric, value, dataset or named evaluator organisation changes
    loses its attestation and waits for the evaluator again (`sync_evaluations`)."""
    fields = check_model(fields, creating=model is None)
    evaluations = None if evaluations is None else check_evaluations(evaluations)
    if model is None:
        model = IndustrialModel(organisation=org, state=ListingState.DRAFT.value)
        db.session.add(model)
    for key in ("name", "kind", "version", "summary", "description", "tasks", "industries", "scenarios",
                "modalities", "deployments", "hardware", "licence", *MODEL_CARD_SECTIONS):
        if key in fields:
            setattr(model, key, fields[key])
    if evaluations is not None:
        sync_evaluations(org, model, evaluations, actor)
    return screened(model)


def add_model_version(model: IndustrialModel, user: User, number: str, released_on, notes: str,
                      today: date | None = None) -> ModelVersion:
    """Append a release to a model card's version history (earlier releases are never changed) and make it the
    card's current version; audited. The caller commits."""
    require(user, "listing.edit", model)
    taken = set(db.session.scalars(select(ModelVersion.number).where(ModelVersion.model_id == model.id)))
    fields = check_version({"number": number, "released_on": released_on, "notes": notes}, taken,
                           today or date.today())
    release = ModelVersion(model=model, number=fields["number"], released_on=fields["released_on"],
                           notes=fields["notes"], created_by_id=user.id)
    db.session.add(release)
    model.version = release.number
    record_audit("model.version_added", actor=user, target=model, detail={"version": release.number})
    return release


def set_listing_cover(listing, user: User, upload) -> None:
    """Give a model card or an offering a new cover image (resized, metadata removed), or remove it when `upload` is
    None; audited. The caller commits."""
    from marketplace.uploads.images import save_public_image

    require(user, "listing.edit", listing)
    listing.cover = None if upload is None else save_public_image(upload, user=user, purpose="cover")
    record_audit("listing.cover_changed" if upload is not None else "listing.cover_removed", actor=user,
                 target=listing)


def offerings_built_on(model: IndustrialModel) -> list[Offering]:
    """Return the published offerings that use a model (its card's 基于此模型的方案), cheapest first."""
    return list(db.session.scalars(published(Offering).join(offering_model, offering_model.c.offering_id == Offering.id)
                                   .where(offering_model.c.model_id == model.id)
                                   .options(selectinload(Offering.organisation))
                                   .order_by(Offering.price_fen, Offering.id)))


def sync_evaluations(org: Organisation, model: IndustrialModel, rows: list[dict], actor: User | None) -> None:
    """Update a model card's evaluation rows in place; a changed claim is self-reported again (pending when it
    names an evaluator organisation, which is then asked to attest it)."""
    from marketplace.notifications.events import evaluation_named
    from marketplace.trust.permissions import ATTESTING_KINDS

    evaluators = {o.id: o for o in db.session.scalars(select(Organisation).where(
        Organisation.id.in_({r["evaluator_org_id"] for r in rows if r.get("evaluator_org_id") is not None})))}
    existing = {e.id: e for e in model.evaluations if e.id is not None}
    kept, named = [], []
    for row in rows:
        org_id = row.get("evaluator_org_id")
        evaluator = evaluators.get(org_id) if org_id is not None else None
        refused = evaluator is None or evaluator.kind not in ATTESTING_KINDS or evaluator.id == org.id
        if org_id is not None and refused:
            raise DomainError(_("Choose an evaluation body or a promotion center as the evaluator."), "evaluations")
        row_id = row.get("row_id")
        evaluation = existing.pop(row_id, None) if isinstance(row_id, int) else None
        before = evaluation.claim() if evaluation is not None else None
        if evaluation is None:
            evaluation = ModelEvaluation()
        evaluation.metric, evaluation.value, evaluation.dataset = row["metric"], row["value"], row.get("dataset") or ""
        evaluation.evaluator = evaluator.name if evaluator is not None else row["evaluator"]
        evaluation.evaluator_org_id = org_id
        if evaluation.claim() != before:
            evaluation.attestation = (Attestation.PENDING if org_id is not None else Attestation.SELF_REPORTED).value
            evaluation.attested_at = evaluation.attested_by_id = evaluation.attestation_note = None
            if org_id is not None:
                named.append(evaluation)
        kept.append(evaluation)
    model.evaluations = kept
    if named and actor is not None:
        db.session.flush()
        for evaluation in named:
            evaluation_named(evaluation, actor)


def vendor_models(org: Organisation) -> list[IndustrialModel]:
    """Return a vendor's own models (any state), for linking offerings."""
    return list(db.session.scalars(select(IndustrialModel).where(IndustrialModel.organisation_id == org.id)
                                   .order_by(IndustrialModel.name)))


def save_offering(org: Organisation, fields: dict, model_ids: list[int] | None, offering: Offering | None = None):
    """Create or update an offering linked to the vendor's own models, refusing fields that break its rules
    (`catalog.fields`) and models that are not the vendor's own (None: keep the models it has); the caller
    commits."""
    fields = check_offering(listed_text(fields, "tags"), creating=offering is None)
    own = {m.id: m for m in vendor_models(org)}
    foreign = sorted({i for i in model_ids or [] if i not in own})
    if foreign:
        raise DomainError(_("Only your own models can be behind an offering (not: %(ids)s).",
                            ids=", ".join(str(i) for i in foreign)), "model_ids")
    if offering is None:
        offering = Offering(organisation=org, state=ListingState.DRAFT.value)
        db.session.add(offering)
    for key in ("title", "summary", "description", "pricing_plan", "price_fen", "delivery_days",
                "deployments", "industries", "scenarios", "tags"):
        if key in fields:
            setattr(offering, key, fields[key])
    if model_ids is not None:
        offering.models = [own[i] for i in dict.fromkeys(model_ids)]
    return screened(offering)


def browse_listings(kind: str, filters: dict, owner_id: int | None = None):
    """Return a select of published listings of one kind matching the facet filters, newest first.

    A keyword (`q`) is not a filter here: the search engine ranks the list (`marketplace.matching.browse`).
    """
    cls = LISTING_KINDS[kind]
    if owner_id is None:
        stmt = published(cls)
    else:
        stmt = select(cls).where(cls.organisation_id == owner_id)
    if filters.get("industry"):
        stmt = stmt.where(contains_code(cls.industries, filters["industry"]))
    if filters.get("scenario"):
        stmt = stmt.where(contains_code(cls.scenarios, filters["scenario"]))
    if issubclass(cls, ProviderProfile):  # kind == "provider"
        stmt = stmt.join(ProviderProfile.organisation)
        if filters.get("city"):
            stmt = stmt.where(contains_code(ProviderProfile.cities_served, filters["city"]))
    else:
        if filters.get("deployment"):
            stmt = stmt.where(contains_code(cls.deployments, filters["deployment"]))
        if filters.get("city") or filters.get("verified"):
            stmt = stmt.join(cls.organisation)
        if filters.get("city"):
            stmt = stmt.where(Organisation.city == filters["city"])
    if filters.get("verified"):
        stmt = stmt.where(Organisation.verified_at.is_not(None))
    if kind == "model":
        if filters.get("kind"):
            stmt = stmt.where(IndustrialModel.kind == filters["kind"])
    if kind == "offering":
        if filters.get("plan"):
            stmt = stmt.where(Offering.pricing_plan == filters["plan"])
        if filters.get("price_min") is not None:
            stmt = stmt.where(Offering.price_fen >= filters["price_min"])
        if filters.get("price_max") is not None:
            stmt = stmt.where(Offering.price_fen <= filters["price_max"])
        if filters.get("voucher"):
            from marketplace.redemptions.catalogue import eligible_offering_ids

            stmt = stmt.where(Offering.id.in_(eligible_offering_ids(filters.get("voucher_region"))))
    return stmt.order_by(cls.updated_at.desc(), cls.id.desc())


def provider_of(org_id: int) -> ProviderProfile | None:
    """Return the provider profile of an organisation, if it has one."""
    return db.session.scalar(select(ProviderProfile).where(ProviderProfile.organisation_id == org_id))


def published_by(org_id: int, kind: str) -> list:
    """Return an organisation's published models or offerings, for its profile page."""
    cls = LISTING_KINDS[kind]
    return list(db.session.scalars(published(cls).where(cls.organisation_id == org_id).order_by(cls.id)))
