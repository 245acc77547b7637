"""The admin audit page: events newest first, filtered and paginated."""
from __future__ import annotations

from flask import request
from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l

from marketplace.audit import bp
from marketplace.audit.forms import AuditFilterForm
from marketplace.audit.services import action_label, actors_by_id, audit_events, known_actions
from marketplace.permissions import permission_required
from marketplace.web import paginate, render_page


@bp.route("/admin/audit")
@permission_required("audit.view")
def index():
    """List audit events for platform admins, with filters by action, actor, target and dates."""
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _l("All actions"))] + [(code, action_label(code)) for code in known_actions()]
    valid = form.validate()
    filters = {}
    if valid:
        filters = dict(action=form.action.data or None, actor_email=form.actor.data or None,
                       target_kind=form.target_kind.data or None, target_id=form.target_id.data or None,
                       since=form.since.data, until=form.until.data)
    page = paginate(audit_events(**filters, tz=get_timezone()))
    return render_page("audit/index.html", form=form, page=page, actors=actors_by_id(page.items),
                       action_label=action_label), (200 if valid else 422)
