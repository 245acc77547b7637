"""Moderation views: report an item, the moderation queue (with each region's mode), an item's page with its
reports, decisions and history, and the decisions themselves."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.moderation import bp
from marketplace.moderation.forms import DecisionForm, RegionForm, ReportForm
from marketplace.moderation.models import MODE_LABELS, REASON_LABELS
from marketplace.moderation.services import (
    ACTIONS,
    all_reports,
    already_reported,
    available_actions,
    decide,
    history,
    load_item,
    queue_page,
    region_choices,
    region_modes,
    report_item,
    set_region_mode,
)
from marketplace.permissions import can, permission_required, require
from marketplace.web import LONG_PAGE_SIZE, page_number, perform, redirect_back, submit

SUBJECT = "<kind>/<int:record_id>"  # the kind is checked against the subjects (404 for an unknown one)


@bp.route("/")
@permission_required("moderation.queue")
def queue():
    """List the items with open reports that the moderator decides about, newest report first, and region modes."""
    page = queue_page(current_user, page_number(), LONG_PAGE_SIZE)
    cities = region_choices(current_user)
    form = RegionForm()
    form.fill_cities(cities)
    return render_template("moderation/queue.html", page=page, region_form=form, modes=region_modes(cities),
                           mode_labels=MODE_LABELS, reason_labels=REASON_LABELS)


@bp.route("/regions", methods=["POST"])
@permission_required("moderation.queue")
def regions():
    """Set a region's moderation mode for unverified organisations' new items."""
    form = RegionForm()
    form.fill_cities(region_choices(current_user))
    if not form.validate_on_submit():
        flash(_("Choose a city and a mode."), "error")
        return redirect(url_for("moderation.queue"))
    perform(lambda: set_region_mode(current_user, form.city.data, form.mode.data), lambda: _("Moderation mode saved."))
    return redirect(url_for("moderation.queue"))


@bp.route(f"/report/{SUBJECT}", methods=["GET", "POST"])
@login_required
def report(kind: str, record_id: int):
    """Report an item with a reason: the form, and sending it."""
    subject, record = load_item(kind, record_id)
    require(current_user, "moderation.report", record)
    back = subject.link(record) or url_for("main.home")
    if already_reported(current_user, kind, record_id):
        flash(_("You have already reported this; the moderators will look at it."), "info")
        return redirect_back(back)
    form = ReportForm()
    if form.validate_on_submit():
        done, _report = submit(form, lambda: report_item(current_user, kind, record_id, form.reason.data,
                                                          form.text.data))
        if done:
            flash(_("Thank you. The report was sent to the moderators."), "success")
            return redirect_back(back)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("moderation/report.html", form=form, subject=subject, record=record,
                           title=subject.title(record), back=back), status


@bp.route(f"/{SUBJECT}")
@login_required
def item(kind: str, record_id: int):
    """Show one item to its moderators: its text, the reports about it, the decisions open now and the history."""
    subject, record = load_item(kind, record_id)
    if not can(current_user, "moderation.decide", record):
        abort(403)
    return render_template("moderation/item.html", subject=subject, record=record, title=subject.title(record),
                           text=subject.text(record), link=subject.link(record),
                           reports=all_reports(kind, record_id), decisions=history(kind, record_id),
                           actions=available_actions(current_user, record), form=DecisionForm())


@bp.route(f"/{SUBJECT}/<any({', '.join(sorted(ACTIONS))}):action>", methods=["POST"])
@login_required
def decision(kind: str, record_id: int, action: str):
    """Take one decision about an item (hide, close, restore, approve, reject, dismiss) with a reason."""
    _subject, record = load_item(kind, record_id)
    require(current_user, "moderation.decide", record)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long."), "error")
        return redirect(url_for("moderation.item", kind=kind, record_id=record_id))
    perform(lambda: decide(current_user, kind, record_id, action, form.reason.data or ""),
            lambda: _("Decision saved; the owner is told."))
    return redirect(url_for("moderation.item", kind=kind, record_id=record_id))


def install_template_helpers(app) -> None:
    """Let item pages ask `moderation_notice(record)` (for the owner and moderators) and link to reporting."""
    from marketplace.moderation.services import notice_for
    from marketplace.moderation.subjects import subject_of

    def notice(record):
        """Return the moderation notice of an item for the current user, or None."""
        return notice_for(record, current_user)

    def report_url(record):
        """Return the report page of an item, or None when the current user may not report it."""
        if not can(current_user, "moderation.report", record):
            return None
        return url_for("moderation.report", kind=subject_of(record).name, record_id=record.id)

    def queue_url(record):
        """Return the moderation page of an item, or None when the current user does not moderate it."""
        if not can(current_user, "moderation.decide", record):
            return None
        return url_for("moderation.item", kind=subject_of(record).name, record_id=record.id)

    app.jinja_env.globals.update(moderation_notice=notice, report_url=report_url, moderation_url=queue_url)
