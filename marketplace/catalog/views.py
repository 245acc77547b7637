"""Catalogue views: browse and read listings; vendors create, edit, publish and delist their own."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.catalog import bp
from marketplace.catalog.forms import BrowseForm, ModelForm, OfferingForm, ProviderForm
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.catalog.services import (LISTING_KINDS, browse_listings, can_view, ensure_owner,
                                          provider_of, published_by, require_vendor, save_model, save_offering,
                                          save_provider_profile, split_list, transition_listing, vendor_models)
from marketplace.extensions import db
from marketplace.web import paginate, perform, render_page, role_required

DETAIL_ENDPOINTS = {"provider": "catalog.provider_detail", "model": "catalog.model_detail",
                    "offering": "catalog.offering_detail"}


def visible_or_404(cls, listing_id: int):
    """Return a listing the current user may see, else 404 (drafts are invisible to others)."""
    listing = db.session.get(cls, listing_id)
    if listing is None or not can_view(listing, current_user):
        abort(404)
    return listing


def browse(kind: str, template: str):
    """Render a list page (or its results fragment) with filters from the query string."""
    form = BrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    page = paginate(browse_listings(kind, form.filters()))
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
                           offerings=published_by(profile.organisation_id, "offering"))


@bp.route("/providers/mine", methods=["GET", "POST"])
@role_required("vendor")
def provider_edit():
    """Create or edit the vendor's own provider profile."""
    org = require_vendor(current_user)
    profile = provider_of(org.id)
    form = ProviderForm(obj=profile)
    form.fill_vocab()
    if request.method == "GET" and profile is not None:
        form.certifications.data = profile.certifications
    if form.validate_on_submit():
        profile = save_provider_profile(org, provider_type=form.provider_type.data, summary=form.summary.data,
                                        capabilities=form.capabilities.data, industries=form.industries.data,
                                        scenarios=form.scenarios.data, cities_served=form.cities_served.data,
                                        reference_cases=form.reference_cases.data,
                                        certifications=", ".join(split_list(form.certifications.data)))
        db.session.commit()
        flash(_("Provider profile saved."), "success")
        return redirect(url_for("catalog.provider_detail", listing_id=profile.id))
    return render_template("catalog/provider_form.html", form=form, profile=profile), (422 if form.errors else 200)


@bp.route("/models")
def models():
    """List published industrial models."""
    return browse("model", "catalog/models.html")


@bp.route("/models/<int:listing_id>")
def model_detail(listing_id: int):
    """Show a model card."""
    model = visible_or_404(IndustrialModel, listing_id)
    return render_template("catalog/model_detail.html", model=model, provider=provider_of(model.organisation_id))


def model_fields(form: ModelForm) -> dict:
    """Collect the model-card fields from a validated form."""
    return {k: getattr(form, k).data for k in ("name", "kind", "version", "summary", "description", "tasks",
                                               "industries", "scenarios", "modalities", "deployments",
                                               "hardware", "licence")}


@bp.route("/models/new", methods=["GET", "POST"])
@role_required("vendor")
def model_new():
    """Create a model card (saved as a draft)."""
    org = require_vendor(current_user)
    form = ModelForm()
    form.fill_vocab()
    if form.validate_on_submit():
        model = save_model(org, model_fields(form), form.evaluation_rows())
        db.session.commit()
        flash(_("Model saved as a draft. Publish it when it is ready."), "success")
        return redirect(url_for("catalog.model_detail", listing_id=model.id))
    return render_template("catalog/model_form.html", form=form, model=None), (422 if form.errors else 200)


@bp.route("/models/<int:listing_id>/edit", methods=["GET", "POST"])
@role_required("vendor")
def model_edit(listing_id: int):
    """Edit one of the vendor's model cards."""
    model = db.session.get(IndustrialModel, listing_id) or abort(404)
    ensure_owner(model, current_user)
    form = ModelForm(obj=model)
    form.fill_vocab()
    if request.method == "GET":
        while len(form.evaluations.entries) < len(model.evaluations) + 1:
            form.evaluations.append_entry()
    if form.validate_on_submit():
        save_model(model.organisation, model_fields(form), form.evaluation_rows(), model=model)
        db.session.commit()
        flash(_("Model saved."), "success")
        return redirect(url_for("catalog.model_detail", listing_id=model.id))
    return render_template("catalog/model_form.html", form=form, model=model), (422 if form.errors else 200)


@bp.route("/offerings")
def offerings():
    """List published model-supermarket offerings."""
    return browse("offering", "catalog/offerings.html")


@bp.route("/offerings/<int:listing_id>")
def offering_detail(listing_id: int):
    """Show an offering with its models and provider."""
    offering = visible_or_404(Offering, listing_id)
    return render_template("catalog/offering_detail.html", offering=offering,
                           provider=provider_of(offering.organisation_id))


def offering_fields(form: OfferingForm) -> dict:
    """Collect the offering fields from a validated form."""
    fields = {k: getattr(form, k).data for k in ("title", "summary", "description", "pricing_plan",
                                                 "delivery_days", "voucher_eligible", "deployments",
                                                 "industries", "scenarios")}
    fields["price_fen"] = form.price.fen
    fields["tags"] = ", ".join(split_list(form.tags.data))
    return fields


def offering_form(org, offering=None) -> OfferingForm:
    """Build the offering form with the vendor's own models as choices."""
    form = OfferingForm(obj=offering, price=offering.price_fen if offering else None,
                        model_ids=[m.id for m in offering.models] if offering else [])
    form.fill_vocab()
    form.model_ids.choices = [(m.id, f"{m.name} {m.version}") for m in vendor_models(org)]
    return form


@bp.route("/offerings/new", methods=["GET", "POST"])
@role_required("vendor")
def offering_new():
    """Create an offering (saved as a draft)."""
    org = require_vendor(current_user)
    form = offering_form(org)
    if form.validate_on_submit():
        offering = save_offering(org, offering_fields(form), form.model_ids.data or [])
        db.session.commit()
        flash(_("Offering saved as a draft. Publish it when it is ready."), "success")
        return redirect(url_for("catalog.offering_detail", listing_id=offering.id))
    return render_template("catalog/offering_form.html", form=form, offering=None), (422 if form.errors else 200)


@bp.route("/offerings/<int:listing_id>/edit", methods=["GET", "POST"])
@role_required("vendor")
def offering_edit(listing_id: int):
    """Edit one of the vendor's offerings."""
    offering = db.session.get(Offering, listing_id) or abort(404)
    ensure_owner(offering, current_user)
    form = offering_form(offering.organisation, offering)
    if form.validate_on_submit():
        save_offering(offering.organisation, offering_fields(form), form.model_ids.data or [], offering=offering)
        db.session.commit()
        flash(_("Offering saved."), "success")
        return redirect(url_for("catalog.offering_detail", listing_id=offering.id))
    return render_template("catalog/offering_form.html", form=form, offering=offering), \
        (422 if form.errors else 200)


@bp.route("/listings/<kind>/<int:listing_id>/<action>", methods=["POST"])
@role_required("vendor")
def listing_transition(kind: str, listing_id: int, action: str):
    """Publish or delist one of the vendor's listings."""
    cls = LISTING_KINDS.get(kind) or abort(404)
    listing = db.session.get(cls, listing_id) or abort(404)
    perform(lambda: transition_listing(listing, action, current_user),
            _("Published.") if action == "publish" else _("Delisted."))
    return redirect(url_for(DETAIL_ENDPOINTS[kind], listing_id=listing.id))
