"""Main views: the home page, the dashboard and the language switch."""
from __future__ import annotations

from flask import abort, current_app, render_template, request, session
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.main import bp
from marketplace.main.services import (
    DASHBOARD_PAGE_SIZE,
    dashboard_for,
    dashboard_lists,
    latest_public,
    marketplace_counts,
)
from marketplace.matching.browse import CardRatings
from marketplace.web import paginate, redirect_back, safe_url


@bp.route("/")
def home():
    """Show what the marketplace holds and where each role starts."""
    latest = latest_public()
    return render_template("main/home.html", counts=marketplace_counts(current_user), latest=latest,
                           ratings=CardRatings([r for records in latest.values() for r in records]))


@bp.route("/dashboard")
@login_required
def dashboard():
    """Show the signed-in user's work: needs, listings or curated cases, each list a page at a time."""
    pages = {name: paginate(stmt, DASHBOARD_PAGE_SIZE, arg=f"{name}_page")
             for name, stmt in dashboard_lists(current_user).items()}
    return render_template("main/dashboard.html", **dashboard_for(current_user, pages))


@bp.route("/review")
@login_required
def review_desk():
    """The review desk (审核台): each queue the user works, with how many items wait in it."""
    from marketplace.main.navigation import BADGE_CAP
    from marketplace.main.worklists import waiting_for

    queues = waiting_for(current_user, BADGE_CAP)
    if not queues:
        abort(403)
    return render_template("main/review.html", queues=queues)


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str):
    """Switch the UI language and return to the page the user was on (only to a page on this site).

    A GET (the language link) only remembers the choice in the session; a POST also saves it as the
    signed-in user's preferred language, so no link or prefetch writes to the database.
    """
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if request.method == "POST" and current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect_back(request.values.get("next"), safe_url(request.referrer))
