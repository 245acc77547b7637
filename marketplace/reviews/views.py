"""Review views: write a review after a deal, reply as the vendor, hide or show as a promotion center."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.permissions import permission_required
from marketplace.reviews import bp
from marketplace.reviews.forms import ModerationForm, ReplyForm, ReviewForm
from marketplace.reviews.models import Review
from marketplace.reviews.services import (
    moderate_review,
    profile_link,
    reply_to_review,
    review_subject,
    write_review,
)
from marketplace.web import perform, submit


@bp.route("/new/<any(proposal, order):source>/<int:source_id>", methods=["GET", "POST"])
@login_required
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
        written, review = submit(form, lambda: write_review(source, source_id, current_user, form.rating.data,
                                                             form.text.data))
        if written and review is not None:
            flash(_("Thank you. Your review is published."), "success")
            return redirect(profile_link(review.vendor_id))
    return render_template("reviews/form.html", form=form, subject=subject), (422 if request.method == "POST" else 200)


@bp.route("/<int:review_id>/reply", methods=["POST"])
@login_required
def reply(review_id: int):
    """Publish the vendor's one reply to a review."""
    review = db.get_or_404(Review, review_id)
    form = ReplyForm()
    if form.validate_on_submit():
        perform(lambda: reply_to_review(review, current_user, form.text.data), lambda: _("Your reply is published."))
    else:
        flash(_("Write your reply."), "error")
    return redirect(profile_link(review.vendor_id))


@bp.route("/<int:review_id>/moderate", methods=["POST"])
@permission_required("review.moderate")
def moderate(review_id: int):
    """Hide a review (or show it again) with a reason, as a promotion center or an admin."""
    review = db.get_or_404(Review, review_id)
    form = ModerationForm()
    if form.validate_on_submit():
        perform(lambda: moderate_review(review, current_user, form.action.data, form.reason.data),
                lambda: _("Review hidden.") if review.hidden else _("Review shown again."))
    else:
        flash(_("Give a reason for the decision."), "error")
    return redirect(profile_link(review.vendor_id))
