"""Notification views: the inbox, alert settings, and saving or deleting searches."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.matching.documents import doc_id
from marketplace.matching.forms import SearchForm
from marketplace.notifications import bp
from marketplace.notifications.digests import delete_saved_search, save_search, saved_searches
from marketplace.notifications.models import SavedSearch
from marketplace.notifications.services import alert_setting, inbox, mark_read, render_text, set_need_digest
from marketplace.permissions import can, permission_required


@bp.app_context_processor
def notification_helpers():
    """Offer templates the text of a notification (the navigation's unread counts: `marketplace.main.navigation`)."""
    return {"notification_text": render_text}


@bp.route("/")
@login_required
def inbox_page():
    """Show the user's notifications, newest first, with alert settings and saved searches."""
    return render_template("notifications/inbox.html", notes=inbox(current_user),
                           setting=alert_setting(current_user.organisation_id)
                           if can(current_user, "need.digest") else None,
                           searches=saved_searches(current_user))


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id: int):
    """Mark one notification read and go to what it is about."""
    from marketplace.notifications.models import Notification

    note = db.get_or_404(Notification, notification_id)
    if note.user_id != current_user.id:
        abort(404)
    mark_read(current_user, note.id)
    db.session.commit()
    return redirect(note.link or url_for("notifications.inbox_page"))


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    """Mark all the user's notifications read."""
    mark_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.inbox_page"))


@bp.route("/settings", methods=["POST"])
@permission_required("need.digest")
def settings():
    """Turn the daily digest of matching needs on or off (vendors)."""
    set_need_digest(current_user, request.form.get("need_digest") == "on")
    db.session.commit()
    flash(_("Settings saved."), "success")
    return redirect(url_for("notifications.inbox_page"))


@bp.route("/searches", methods=["POST"])
@login_required
def save_search_view():
    """Save the search in the query string; its new results will be announced in the daily digest.

    A query over the length limit, or one more search than a user may keep, is refused with the search
    page and a message (422) before any search runs.
    """
    from marketplace.matching.services import search
    from marketplace.matching.views import render_search

    form = SearchForm(request.args)
    form.fill_vocab()
    form.validate()
    if form.q.errors:
        return render_search(form, record=False)
    query = form.q.data or ""
    if not query:
        flash(_("Type a search first."), "error")
        return redirect(url_for("matching.search_page"))
    limit = current_app.config["SAVED_SEARCH_LIMIT"]
    if len(saved_searches(current_user)) >= limit:
        form.q.errors = [_("You can keep at most %(n)s saved searches. Delete one in your inbox first.", n=limit)]
        return render_search(form, status=422, record=False)
    current = {doc_id(m.kind, m.record.id) for m in search(query, form.filters(), current_user).matches}
    save_search(current_user, query, form.filters(), current)
    db.session.commit()
    flash(_("Search saved. You will be told of new results."), "success")
    return redirect(url_for("matching.search_page", **form.query_args()))


@bp.route("/searches/<int:search_id>/delete", methods=["POST"])
@login_required
def delete_search(search_id: int):
    """Delete one of the user's saved searches."""
    saved = db.session.get(SavedSearch, search_id) or abort(404)
    delete_saved_search(saved, current_user)
    db.session.commit()
    flash(_("Saved search deleted."), "success")
    return redirect(url_for("notifications.inbox_page"))
