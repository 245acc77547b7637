"""Review views: write a review after a deal, reply as the vendor, hide or show as a promotion center."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.reviews import bp
from marketplace.reviews.forms import ModerationForm, ReplyForm, ReviewForm
from marketplace.reviews.models import Review
from marketplace.reviews.services import (
    is_reviewed,
    moderate_review,
    offering_averages,
    profile_link,
    reply_to_review,
    review_subject,
    vendor_averages,
    visible_reviews,
    write_review,
)
from marketplace.web import role_required


@bp.app_template_global("rating_of")
def rating_of(vendor_id: int | None = None, offering_id: int | None = None):
    """Return (average, count) of a vendor's or an offering's shown reviews, or None."""
    if offering_id is not None:
        return offering_averages([offering_id]).get(offering_id)
    return vendor_averages([vendor_id]).get(vendor_id)


@bp.app_template_global("reviews_of")
def reviews_of(vendor_id: int | None = None, offering_id: int | None = None) -> list[Review]:
    """Return the reviews to list on a page; promotion centers also see hidden ones."""
    centre = current_user.is_authenticated and current_user.organisation.is_center
    return visible_reviews(vendor_id=vendor_id, offering_id=offering_id, include_hidden=centre)


@bp.app_template_global("review_exists")
def review_exists(source: str, source_id: int) -> bool:
    """Tell templates whether a contracted proposal or an order has been reviewed already."""
    return is_reviewed(source, source_id)


@bp.route("/new/<any(proposal, order):source>/<int:source_id>", methods=["GET", "POST"])
@role_required("enterprise")
def new(source: str, source_id: int):
    """Rate the vendor and offering of a contracted proposal or a delivered order."""
    try:
        subject = review_subject(source, source_id, current_user)
    except DomainError as exc:
        flash(str(exc), "error")
        return redirect(url_for("proposals.detail", proposal_id=source_id) if source == "proposal"
                        else url_for("orders.detail", order_id=source_id))
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            review = write_review(source, source_id, current_user, form.rating.data, form.text.data)
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "text").errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Thank you. Your review is published."), "success")
            return redirect(profile_link(review.vendor_id))
    return render_template("reviews/form.html", form=form, subject=subject), (422 if request.method == "POST" else 200)


@bp.route("/<int:review_id>/reply", methods=["POST"])
@login_required
def reply(review_id: int):
    """Publish the vendor's one reply to a review."""
    review = db.session.get(Review, review_id) or abort(404)
    form = ReplyForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Write your reply."), "text")
        reply_to_review(review, current_user, form.text.data)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Your reply is published."), "success")
    return redirect(profile_link(review.vendor_id))


@bp.route("/<int:review_id>/moderate", methods=["POST"])
@role_required("center")
def moderate(review_id: int):
    """Hide a review (or show it again) with a reason, as a promotion center."""
    review = db.session.get(Review, review_id) or abort(404)
    form = ModerationForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Give a reason for the decision."), "reason")
        moderate_review(review, current_user, form.action.data, form.reason.data)
        record_audit("review.hidden" if review.hidden else "review.shown", actor=current_user, target=review,
                     detail={"reason": form.reason.data}, address=request.remote_addr)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Review hidden.") if review.hidden else _("Review shown again."), "success")
    return redirect(profile_link(review.vendor_id))
