"""Directory views: the public quality provider directory, and promotion centers' add/renew/remove decisions."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.cases import bp
from marketplace.cases.directory import decide, decision_history, directory_entries, listable_providers
from marketplace.cases.forms import DirectoryDecisionForm
from marketplace.cases.services import require_center
from marketplace.catalog.models import ProviderProfile
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.states import IllegalTransition
from marketplace.web import role_required

ACTION_DONE = {"add": lambda: _("Added to the quality provider directory."),
               "renew": lambda: _("Directory listing renewed."),
               "remove": lambda: _("Removed from the quality provider directory.")}


@bp.route("/directory")
def directory():
    """List the quality providers with the reason they are listed and the evidence beside each."""
    return render_template("cases/directory.html", entries=directory_entries())


def apply_decision(form: DirectoryDecisionForm, profile: ProviderProfile | None, action: str):
    """Run a validated decision through the service; a refusal becomes a form error. Returns the profile or None."""
    if profile is None:
        form.provider_id.errors.append(_("Choose a provider."))
        return None
    try:
        decide(profile, action, form.reason.data, current_user, review_on=form.review_on.data)
    except DomainError as exc:
        db.session.rollback()
        getattr(form, exc.field).errors.append(str(exc))
        return None
    except IllegalTransition as exc:
        db.session.rollback()
        form.reason.errors.append(str(exc))
        return None
    db.session.commit()
    flash(ACTION_DONE[action](), "success")
    return profile


@bp.route("/directory/add", methods=["GET", "POST"])
@role_required("center")
def directory_add():
    """Add a published provider to the directory with a reason and a review date."""
    require_center(current_user)
    form = DirectoryDecisionForm(provider_id=request.args.get("provider", ""))
    form.provider_id.choices = [("", "—")] + [(str(p.id), p.organisation.name) for p in listable_providers()]
    if form.validate_on_submit():
        profile = db.session.get(ProviderProfile, int(form.provider_id.data)) if form.provider_id.data else None
        if apply_decision(form, profile, "add") is not None:
            return redirect(url_for("cases.directory"))
    return render_template("cases/directory_decision.html", form=form, profile=None, action="add"), \
        (422 if any(f.errors for f in form) else 200)


@bp.route("/directory/<int:profile_id>/<any(renew, remove):action>", methods=["GET", "POST"])
@role_required("center")
def directory_decide(profile_id: int, action: str):
    """Renew or remove a listed provider, with a reason (and a new review date to renew)."""
    require_center(current_user)
    profile = db.session.get(ProviderProfile, profile_id) or abort(404)
    form = DirectoryDecisionForm()
    form.provider_id.choices = [("", "—")]
    if form.validate_on_submit() and apply_decision(form, profile, action) is not None:
        return redirect(url_for("cases.directory"))
    return render_template("cases/directory_decision.html", form=form, profile=profile, action=action,
                           history=decision_history(profile)), (422 if any(f.errors for f in form) else 200)


@bp.route("/directory/<int:profile_id>/history")
@role_required("center")
def directory_history(profile_id: int):
    """Show every directory decision about one provider, newest first."""
    profile = db.session.get(ProviderProfile, profile_id) or abort(404)
    return render_template("cases/directory_history.html", profile=profile, history=decision_history(profile))
