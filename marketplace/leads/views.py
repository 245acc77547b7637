"""Leads views: the vendor's inbox (filters, order, paging), marking leads seen, and the navigation's unseen count."""
from __future__ import annotations

import time

from flask import flash, render_template, request, session, url_for
from flask_babel import ngettext
from flask_login import current_user

from marketplace.extensions import db
from marketplace.leads import bp
from marketplace.leads.forms import LeadFilterForm, SeenForm
from marketplace.leads.services import (
    leads_inbox,
    listing_choices,
    mark_seen,
    own_listings,
    prefill_offerings,
    unseen_count,
)
from marketplace.permissions import permission_required
from marketplace.web import paginate_list, redirect_back, render_page


@bp.route("/leads")
@permission_required("lead.list")
def inbox():
    """The vendor's leads: every live need its published listings answer, filtered, ordered and paged."""
    form = LeadFilterForm(request.args)
    listings = own_listings(current_user.organisation_id)
    form.fill(listing_choices(listings))
    form.validate()
    leads = leads_inbox(current_user, form.filters())
    page = paginate_list(leads)
    prefill_offerings(page.items, current_user.organisation_id)
    return render_page("leads/inbox.html", form=form, page=page, has_listings=bool(listings),
                       unseen_on_page=[lead.need.id for lead in page.items if not lead.seen], seen_form=SeenForm())


@bp.route("/leads/seen", methods=["POST"])
@permission_required("lead.list")
def seen():
    """Mark one lead, or every unseen lead of a page, seen for the vendor's organisation; back to the inbox."""
    form = SeenForm()
    if form.validate_on_submit():
        marked = mark_seen(current_user, form.need.data)
        db.session.commit()
        session.pop(UNSEEN_KEY, None)
        flash(ngettext("%(num)d lead marked as seen.", "%(num)d leads marked as seen.", marked), "success")
    return redirect_back(request.form.get("next"), url_for("leads.inbox"))


UNSEEN_KEY = "leads_unseen"
UNSEEN_SECONDS = 60
"""How long the navigation's count of unseen leads is kept in the user's session before it is counted again (marking
leads seen counts again at once): every page of a vendor shows it, and counting asks the index once per listing."""


@bp.route("/leads/unseen")
@permission_required("lead.list")
def unseen():
    """The unseen leads, loaded after the page so no page waits on them: the navigation's badge, or with
    `?part=dashboard` the dashboard's sentence (counting asks the index once per listing: seconds for a vendor
    with many listings at province scale)."""
    count = kept_unseen_count()
    if request.args.get("part") == "dashboard":
        return render_template("leads/_dashboard_count.html", unseen_leads=count)
    return render_template("leads/_unseen.html", unseen=count)


def kept_unseen_count() -> int | None:
    """The user's organisation's count of unseen leads, kept in the session for UNSEEN_SECONDS."""
    kept = session.get(UNSEEN_KEY)
    now = time.time()
    if isinstance(kept, list) and len(kept) == 3 and kept[0] == current_user.organisation_id \
            and now - UNSEEN_SECONDS < kept[1] <= now:
        return int(kept[2])
    count = unseen_count(current_user)
    if count is not None:
        session[UNSEEN_KEY] = [current_user.organisation_id, now, count]
    return count
