"""Directory views: the public quality provider directory, and promotion centers' add/renew/remove decisions."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.cases import bp
from marketplace.cases.directory import DECISION_LABELS, decide, decision_history, directory_entries, listable_providers
from marketplace.cases.forms import DirectoryDecisionForm
from marketplace.cases.process import DIRECTORY
from marketplace.catalog.models import ProviderProfile
from marketplace.extensions import db
from marketplace.permissions import can, permission_required, require
from marketplace.web import submit

ACTION_DONE = {"add": lambda: _("Added to the quality provider directory."),
               "renew": lambda: _("Directory listing renewed."),
               "remove": lambda: _("Removed from the quality provider directory.")}


def decision_links(profile: ProviderProfile) -> list[tuple]:
    """Return (transition, form URL) for each directory decision the current user may take about a provider now."""
    links = []
    for move in DIRECTORY.available(profile, current_user):
        if move.name == "add":
            links.append((move, url_for("cases.directory_add", provider=profile.id)))
        else:
            links.append((move, url_for("cases.directory_decide", profile_id=profile.id, action=move.name)))
    return links


@bp.route("/directory")
def directory():
    """List the quality providers with the reason they are listed and the evidence beside each."""
    entries = directory_entries()
    return render_template("cases/directory.html", entries=entries,
                           links={e.profile.id: decision_links(e.profile) for e in entries},
                           may_add=can(current_user, "directory.manage"),
                           may_read_history=can(current_user, "directory.history"))


def apply_decision(form: DirectoryDecisionForm, profile: ProviderProfile | None, action: str):
    """Run a validated decision through the service; a refusal becomes a form error. Returns the profile or None."""
    if profile is None:
        form.provider_id.errors.append(_("Choose a provider."))
        return None
    decided, _decision = submit(form, lambda: decide(profile, action, form.reason.data, current_user,
                                                      review_on=form.review_on.data))
    if not decided:
        return None
    flash(ACTION_DONE[action](), "success")
    return profile


def render_decision(form: DirectoryDecisionForm, profile: ProviderProfile | None, action: str, history=None):
    """Render the decision form (422 when it carries errors)."""
    return render_template("cases/directory_decision.html", form=form, profile=profile, action=action,
                           move=DIRECTORY.transition(action), history=history, labels=DECISION_LABELS,
                           asks_review=any(a.name == "review_on" for a in DIRECTORY.transition(action).asks)), \
        (422 if form.errors or form.form_errors else 200)


@bp.route("/directory/add", methods=["GET", "POST"])
@permission_required("directory.manage")
def directory_add():
    """Add a published provider to the directory with a reason and a review date."""
    form = DirectoryDecisionForm(provider_id=request.args.get("provider", ""))
    form.provider_id.choices = [("", "—")] + [(str(p.id), p.organisation.name) for p in listable_providers()]
    if form.validate_on_submit():
        profile = db.session.get(ProviderProfile, int(form.provider_id.data)) if form.provider_id.data else None
        if apply_decision(form, profile, "add") is not None:
            return redirect(url_for("cases.directory"))
    return render_decision(form, None, "add")


@bp.route("/directory/<int:profile_id>/<any(renew, remove):action>", methods=["GET", "POST"])
@permission_required("directory.manage")
def directory_decide(profile_id: int, action: str):
    """Renew or remove a listed provider, with a reason (and a new review date to renew)."""
    profile = db.get_or_404(ProviderProfile, profile_id)
    form = DirectoryDecisionForm()
    form.provider_id.choices = [("", "—")]
    if form.validate_on_submit() and apply_decision(form, profile, action) is not None:
        return redirect(url_for("cases.directory"))
    return render_decision(form, profile, action, history=decision_history(profile))


@bp.route("/directory/<int:profile_id>/history")
@login_required
def directory_history(profile_id: int):
    """Show every directory decision about one provider, newest first."""
    profile = db.get_or_404(ProviderProfile, profile_id)
    require(current_user, "directory.history", profile)
    return render_template("cases/directory_history.html", profile=profile, history=decision_history(profile),
                           links=decision_links(profile), labels=DECISION_LABELS)
