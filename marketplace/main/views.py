"""Main views: the home page, the dashboard and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.main import bp
from marketplace.main.services import dashboard_for, latest_public, marketplace_counts


@bp.route("/")
def home():
    """Show what the marketplace holds and where each role starts."""
    return render_template("main/home.html", counts=marketplace_counts(), latest=latest_public())


@bp.route("/dashboard")
@login_required
def dashboard():
    """Show the signed-in user's work: needs, listings or curated cases."""
    return render_template("main/dashboard.html", **dashboard_for(current_user))


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str):
    """Switch the UI language and return to the page the user was on."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    target = request.args.get("next") or request.referrer or url_for("main.home")
    parts = urlsplit(target)
    if parts.netloc and parts.netloc != request.host:
        target = url_for("main.home")
    return redirect(target)
