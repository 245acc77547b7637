"""Trust views: an organisation's verification page, the reviewers' queue and decisions, the licence file, an
organisation's verification record (admins revoke there), and the evaluators' attestation queue."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.accounts.models import Organisation
from marketplace.catalog.models import ModelEvaluation
from marketplace.extensions import db
from marketplace.permissions import can, permission_required, permitted_or_404
from marketplace.trust import bp
from marketplace.trust.forms import LicenceForm
from marketplace.trust.models import VerificationRequest
from marketplace.trust.process import ATTESTATION, ORGANISATION, VERIFICATION
from marketplace.trust.services import (
    QUEUE_STATES,
    answer_attestation,
    attestation_queue,
    decide_verification,
    requests_of,
    revoke_verification,
    submit_verification,
    verification_queue,
    verification_status,
)
from marketplace.uploads.services import send
from marketplace.web import LONG_PAGE_SIZE, paginate, perform, submit


@bp.route("/verification", methods=["GET", "POST"])
@login_required
def verification():
    """The acting organisation's verification (企业认证): its state, what waits on it, and the licence upload."""
    org = current_user.organisation
    form = LicenceForm()
    if form.validate_on_submit():
        ok, _request = submit(form, lambda: submit_verification(current_user, form.licence.data))
        if ok:
            flash(_("Your business licence is submitted. A promotion center of your city reviews it."), "success")
            return redirect(url_for("trust.verification"))
    may_upload = can(current_user, "organisation.request_verification", org)
    return render_template("trust/verification.html", org=org, form=form, may_upload=may_upload,
                           status=verification_status(org)), (422 if form.errors else 200)


@bp.route("/queue")
@permission_required("organisation.verify")
def queue():
    """The verification requests a promotion center (its city) or an admin (all) decides about."""
    state = request.args.get("state") or "submitted"
    state = state if state in (*QUEUE_STATES, "all") else "submitted"
    page = paginate(verification_queue(current_user, state), LONG_PAGE_SIZE)
    tabs = [("submitted", _("Awaiting review")), ("approved", _("Verified")), ("rejected", _("Not approved")),
            ("revoked", _("Verification revoked")), ("all", _("All"))]
    return render_template("trust/queue.html", page=page, state=state, tabs=tabs)


def reviewable_or_404(request_id: int) -> VerificationRequest:
    """Return a verification request the current user may see the licence of, else 404."""
    return permitted_or_404(VerificationRequest, request_id, "verification.view_licence")


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    """One verification request: the organisation, its licence (an image shown inline) and the decision."""
    record = reviewable_or_404(request_id)
    return render_template("trust/request.html", record=record, org=record.organisation,
                           moves=VERIFICATION.available(record, current_user),
                           history=requests_of(record.organisation_id))


@bp.route("/requests/<int:request_id>/licence")
@login_required
def licence(request_id: int):
    """Stream a request's business licence to its organisation, its city's promotion centers and admins only."""
    record = reviewable_or_404(request_id)
    return send(record.licence, inline=record.licence.is_image and request.args.get("download") is None)


SUCCESS = {"approve": lambda: _("The organisation is verified. Its users are told."),
           "reject": lambda: _("The request is rejected. The organisation is told why.")}


@bp.route("/requests/<int:request_id>/<any(approve, reject):action>", methods=["POST"])
@login_required
def decide(request_id: int, action: str):
    """Approve or reject a verification request (a reason is required to reject)."""
    record = db.get_or_404(VerificationRequest, request_id)
    if not can(current_user, "organisation.verify", record):
        abort(403)
    reason = request.form.get("reason", "")[:500]
    perform(lambda: decide_verification(request_id, action, current_user, reason), SUCCESS[action])
    return redirect(url_for("trust.request_detail", request_id=request_id))


@bp.route("/organisations/<int:org_id>")
@login_required
def organisation(org_id: int):
    """An organisation's verification record: state, who verified it, every request; admins may revoke."""
    org = db.get_or_404(Organisation, org_id)
    if not (can(current_user, "organisation.verify", org) or org.id == current_user.organisation_id):
        abort(404)
    return render_template("trust/organisation.html", org=org, history=requests_of(org.id),
                           moves=ORGANISATION.available(org, current_user))


@bp.route("/organisations/<int:org_id>/<any(revoke):action>", methods=["POST"])
@permission_required("organisation.revoke_verification")
def revoke(org_id: int, action: str):
    """Revoke an organisation's verification, with a reason (admins only)."""
    db.get_or_404(Organisation, org_id)
    reason = request.form.get("reason", "")[:500]
    perform(lambda: revoke_verification(org_id, current_user, reason),
            lambda: _("The verification is revoked. The organisation is told why."))
    return redirect(url_for("trust.organisation", org_id=org_id))


@bp.route("/attestations")
@permission_required("evaluation.attest")
def attestations():
    """The evaluation results naming the user's organisation as evaluator: attest or decline them."""
    page = paginate(attestation_queue(current_user), LONG_PAGE_SIZE)
    moves = {e.id: ATTESTATION.available(e, current_user) for e in page.items}
    return render_template("trust/attestations.html", page=page, moves=moves)


@bp.route("/evaluations/<int:evaluation_id>/<any(attest, decline):action>", methods=["POST"])
@login_required
def attest(evaluation_id: int, action: str):
    """Attest or decline an evaluation result naming the user's organisation (a reason is required to decline)."""
    evaluation = db.get_or_404(ModelEvaluation, evaluation_id)
    if not can(current_user, "evaluation.attest", evaluation):
        abort(403)
    reason = request.form.get("reason", "")[:500]
    perform(lambda: answer_attestation(evaluation_id, action, current_user, reason),
            lambda: _("Attested: the result now shows as third-party on the model card.") if action == "attest"
            else _("Declined. The vendor is told why; the result stays self-reported."))
    return redirect(url_for("trust.attestations"))
