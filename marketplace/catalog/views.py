"""Catalogue views: browse and read listings; vendors create, edit, publish and delist their own; admins
take listings down (moderation)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.catalog import bp
from marketplace.catalog.fields import MODEL_CARD_SECTIONS, card_sections
from marketplace.catalog.forms import BrowseForm, ModelForm, OfferingForm, ProviderForm, VersionForm
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.catalog.process import KINDS, LISTING
from marketplace.catalog.selectors import is_public
from marketplace.catalog.services import (
    add_model_version,
    browse_listings,
    offerings_built_on,
    provider_of,
    published_by,
    save_model,
    save_offering,
    save_provider_profile,
    set_listing_cover,
    vendor_models,
)
from marketplace.extensions import db
from marketplace.kinds import get_kind
from marketplace.matching.browse import browse_page, sort_choices
from marketplace.permissions import can, permission_required, require
from marketplace.redemptions.catalogue import buyer_region
from marketplace.reviews.services import review_panel
from marketplace.trust.services import evaluator_choices
from marketplace.uploads.forms import ImageForm
from marketplace.web import perform, render_page, submit


def visible_or_404(cls, listing_id: int):
    """Return a listing the current user may see, else 404 (drafts are invisible to others)."""
    listing = db.get_or_404(cls, listing_id)
    if not can(current_user, "listing.view", listing):
        abort(404)
    return listing


def owned_or_403(cls, listing_id: int):
    """Return a listing the current user may edit, else 404 or 403."""
    listing = db.get_or_404(cls, listing_id)
    require(current_user, "listing.edit", listing)
    return listing


def listing_tools(kind: str, listing) -> dict:
    """Return what the owner bar or the moderation bar of a listing page needs for the current user."""
    return {"kind": kind, "moves": LISTING[kind].available(listing, current_user),
            "owned": can(current_user, "listing.edit", listing),
            "mine": getattr(current_user, "organisation_id", None) == listing.organisation_id,
            "moderating": can(current_user, "listing.moderate", listing),
            "public": is_public(listing)}


def provider_link(provider: ProviderProfile | None) -> ProviderProfile | None:
    """Return the provider profile to link to from a listing page, when it is public."""
    return provider if provider is not None and is_public(provider) else None


def browse(kind: str, template: str):
    """Render a list page (or its results fragment) with filters from the query string."""
    form = BrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    filters = form.filters()
    if filters.get("voucher"):
        filters["voucher_region"] = buyer_region(current_user)
    form.sort.choices = sort_choices(kind, bool(filters.get("q")))
    page = browse_page(kind, browse_listings(kind, filters), filters, current_user, sort=form.sort.data)
    return render_page(template, form=form, page=page, kind=kind)


@bp.route("/providers")
def providers():
    """List published service-provider profiles."""
    return browse("provider", "catalog/providers.html")


@bp.route("/providers/<int:listing_id>")
def provider_detail(listing_id: int):
    """Show a provider profile with its published models and offerings."""
    profile = visible_or_404(ProviderProfile, listing_id)
    return render_template("catalog/provider_detail.html", profile=profile,
                           models=published_by(profile.organisation_id, "model"),
                           offerings=published_by(profile.organisation_id, "offering"),
                           directory_history=can(current_user, "directory.history", profile),
                           reviews=review_panel(current_user, vendor_id=profile.organisation_id),
                           **listing_tools("provider", profile))


@bp.route("/providers/mine", methods=["GET", "POST"])
@permission_required("listing.create")
def provider_edit():
    """Create or edit the vendor's own provider profile."""
    org = current_user.organisation
    profile = provider_of(org.id)
    form = ProviderForm(obj=profile)
    form.fill_vocab()
    if request.method == "GET" and profile is not None:
        form.certifications.data = profile.certifications
    if form.validate_on_submit():
        ok, profile = submit(form, lambda: save_provider_profile(org, **{
            k: getattr(form, k).data for k in ("provider_type", "summary", "capabilities", "industries", "scenarios",
                                               "cities_served", "reference_cases", "certifications")}))
        if ok and profile is not None:
            flash(_("Provider profile saved."), "success")
            return redirect(url_for("catalog.provider_detail", listing_id=profile.id))
    return render_template("catalog/provider_form.html", form=form, profile=profile), (422 if form.errors else 200)


@bp.route("/models")
def models():
    """List published industrial models."""
    return browse("model", "catalog/models.html")


def render_model(model: IndustrialModel, version_form: VersionForm | None = None, status: int = 200):
    """Render a model card: its sections, version history, the offerings built on it and, for its owner, the form
    that adds a release."""
    tools = listing_tools("model", model)
    return render_template("catalog/model_detail.html", model=model,
                           provider=provider_link(provider_of(model.organisation_id)),
                           sections=card_sections(model), built_on=offerings_built_on(model),
                           version_form=(version_form or VersionForm()) if tools["owned"] else None,
                           **tools), status


@bp.route("/models/<int:listing_id>")
def model_detail(listing_id: int):
    """Show a model card."""
    return render_model(visible_or_404(IndustrialModel, listing_id))


@bp.route("/models/<int:listing_id>/versions", methods=["POST"])
@login_required
def model_version_add(listing_id: int):
    """Add a release to the version history of one of the vendor's model cards."""
    model = owned_or_403(IndustrialModel, listing_id)
    form = VersionForm()
    if form.validate_on_submit():
        ok, _release = submit(form, lambda: add_model_version(model, current_user, form.number.data,
                                                              form.released_on.data, form.notes.data))
        if ok:
            flash(_("Version %(number)s added to the history.", number=form.number.data), "success")
            return redirect(url_for("catalog.model_detail", listing_id=model.id, _anchor="versions"))
    return render_model(model, form, 422)


@bp.route("/listings/<any(model, offering):kind>/<int:listing_id>/cover", methods=["POST"])
@login_required
def listing_cover(kind: str, listing_id: int):
    """Upload (or remove) the cover image of one of the vendor's model cards or offerings."""
    listing = owned_or_403(KINDS[kind], listing_id)
    form = ImageForm()
    if form.validate_on_submit():
        remove = "remove" in request.form
        if perform(lambda: set_listing_cover(listing, current_user, None if remove else form.image.data),
                   lambda: _("Cover image removed.") if remove else _("Cover image saved.")):
            return redirect(get_kind(kind).url(listing))
    else:
        flash(_("The form expired. Please try again."), "error")
    return redirect(url_for(f"catalog.{kind}_edit", listing_id=listing.id, _anchor="cover"))


def model_fields(form: ModelForm) -> dict:
    """Collect the model-card fields from a validated form."""
    return {k: getattr(form, k).data for k in ("name", "kind", "version", "summary", "description", "tasks",
                                               "industries", "scenarios", "modalities", "deployments",
                                               "hardware", "licence", *MODEL_CARD_SECTIONS)}


@bp.route("/models/new", methods=["GET", "POST"])
@permission_required("listing.create")
def model_new():
    """Create a model card (saved as a draft)."""
    org = current_user.organisation
    form = ModelForm()
    form.fill_vocab()
    form.set_evaluator_choices(evaluator_choices())
    if form.validate_on_submit():
        ok, model = submit(form, lambda: save_model(org, model_fields(form), form.evaluation_rows(),
                                                    actor=current_user))
        if ok:
            flash(_("Model saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("catalog.model_detail", listing_id=model.id))
    return render_template("catalog/model_form.html", form=form, model=None), (422 if form.errors else 200)


@bp.route("/models/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def model_edit(listing_id: int):
    """Edit one of the vendor's model cards."""
    model = owned_or_403(IndustrialModel, listing_id)
    form = ModelForm(obj=model)
    form.fill_vocab()
    if request.method == "GET":
        while len(form.evaluations.entries) < len(model.evaluations) + 1:
            form.evaluations.append_entry()
    form.set_evaluator_choices(evaluator_choices())
    if form.validate_on_submit():
        ok, _saved = submit(form, lambda: save_model(model.organisation, model_fields(form), form.evaluation_rows(),
                                                     model=model, actor=current_user))
        if ok:
            flash(_("Model saved. A changed result waits for its evaluator's attestation again."), "success")
            return redirect(url_for("catalog.model_detail", listing_id=model.id))
    return render_template("catalog/model_form.html", form=form, model=model, cover_form=ImageForm()), \
        (422 if form.errors else 200)


@bp.route("/offerings")
def offerings():
    """List published model-supermarket offerings."""
    return browse("offering", "catalog/offerings.html")


@bp.route("/offerings/<int:listing_id>")
def offering_detail(listing_id: int):
    """Show an offering with its models and provider."""
    offering = visible_or_404(Offering, listing_id)
    tools = listing_tools("offering", offering)
    may_order = tools["public"] and (not current_user.is_authenticated
                                     or can(current_user, "order.place", offering))
    return render_template("catalog/offering_detail.html", offering=offering,
                           provider=provider_link(provider_of(offering.organisation_id)),
                           linked_models=[(m, is_public(m)) for m in offering.models], may_order=may_order,
                           reviews=review_panel(current_user, offering_id=offering.id), **tools)


def offering_fields(form: OfferingForm) -> dict:
    """Collect the offering fields from a validated form."""
    fields = {k: getattr(form, k).data for k in ("title", "summary", "description", "pricing_plan",
                                                 "delivery_days", "deployments",
                                                 "industries", "scenarios")}
    fields["price_fen"] = form.price.fen
    fields["tags"] = form.tags.data
    return fields


def offering_form(org, offering=None) -> OfferingForm:
    """Build the offering form with the vendor's own models as choices."""
    form = OfferingForm(obj=offering, price=offering.price_fen if offering else None,
                        model_ids=[m.id for m in offering.models] if offering else [])
    form.fill_vocab()
    form.model_ids.choices = [(m.id, f"{m.name} {m.version}") for m in vendor_models(org)]
    return form


@bp.route("/offerings/new", methods=["GET", "POST"])
@permission_required("listing.create")
def offering_new():
    """Create an offering (saved as a draft)."""
    org = current_user.organisation
    form = offering_form(org)
    if form.validate_on_submit():
        ok, offering = submit(form, lambda: save_offering(org, offering_fields(form), form.model_ids.data or []))
        if ok and offering is not None:
            flash(_("Offering saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("catalog.offering_detail", listing_id=offering.id))
    return render_template("catalog/offering_form.html", form=form, offering=None), (422 if form.errors else 200)


@bp.route("/offerings/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def offering_edit(listing_id: int):
    """Edit one of the vendor's offerings."""
    offering = owned_or_403(Offering, listing_id)
    form = offering_form(offering.organisation, offering)
    if form.validate_on_submit():
        ok, _saved = submit(form, lambda: save_offering(offering.organisation, offering_fields(form),
                                                        form.model_ids.data or [], offering=offering))
        if ok:
            flash(_("Offering saved."), "success")
            return redirect(url_for("catalog.offering_detail", listing_id=offering.id))
    return render_template("catalog/offering_form.html", form=form, offering=offering, cover_form=ImageForm()), \
        (422 if form.errors else 200)


SUCCESS = {"publish": lambda: _("Published."), "delist": lambda: _("Delisted."),
           "moderate": lambda: _("Taken down. The reason is kept in the audit log.")}


@bp.route("/listings/<any(provider, model, offering):kind>/<int:listing_id>/<any(publish, delist, moderate):action>",
          methods=["POST"])
@login_required
def listing_transition(kind: str, listing_id: int, action: str):
    """Fire one move of the listing process: the owner publishes or delists, an admin takes it down."""
    listing = db.get_or_404(KINDS[kind], listing_id)
    process = LISTING[kind]
    values = {a.name: request.form.get(a.name, "")[:2000] for a in process.transition(action).asks}
    perform(lambda: process.fire(listing_id, action, current_user, when=None, **values), SUCCESS[action])
    return redirect(get_kind(kind).url(listing))
