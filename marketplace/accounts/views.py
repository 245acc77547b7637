"""Account views: register, sign in, sign out, organisation settings, admin account list."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import bp
from marketplace.accounts.forms import CenterAccountForm, LoginForm, OrganisationForm, RegisterForm
from marketplace.accounts.models import User
from marketplace.accounts.services import (DuplicateAccount, authenticate, list_accounts, register_organisation,
                                           set_user_active, update_organisation)
from marketplace.extensions import db, limiter
from marketplace.web import role_required


def safe_next(default: str) -> str:
    """Return the ?next= target if it stays on this site, else the default."""
    target = request.args.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Register an SME or vendor organisation with its first user."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    form.fill_vocab()
    if form.validate_on_submit():
        try:
            user = register_organisation(
                kind=form.kind.data, org_name=form.org_name.data, credit_code=form.credit_code.data,
                city=form.city.data, industry=form.industry.data, size=form.size.data,
                digital_level=form.digital_level.data, name=form.name.data, email=form.email.data,
                password=form.password.data)
        except DuplicateAccount as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome, %(name)s. Your organisation is registered.", name=user.name), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("accounts/register.html", form=form), (422 if form.errors else 200)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(safe_next(url_for("main.dashboard")))
        form.password.errors.append(_("The e-mail or password is not right."))
    return render_template("accounts/login.html", form=form), (422 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/organisation", methods=["GET", "POST"])
@login_required
def organisation():
    """Edit the details of the organisation the user acts for."""
    org = current_user.organisation
    form = OrganisationForm(obj=org, org_name=org.name,
                            digital_level=str(org.digital_level) if org.digital_level else "")
    form.fill_vocab()
    if form.validate_on_submit():
        update_organisation(org, name=form.org_name.data, city=form.city.data, industry=form.industry.data,
                            size=form.size.data, digital_level=form.digital_level.data,
                            contact_name=form.contact_name.data, phone=form.phone.data)
        db.session.commit()
        flash(_("Organisation details saved."), "success")
        return redirect(url_for("accounts.organisation"))
    return render_template("accounts/organisation.html", form=form, org=org), (422 if form.errors else 200)


@bp.route("/admin/accounts", methods=["GET", "POST"])
@role_required("admin")
def admin_accounts():
    """List accounts and create promotion-center accounts (platform admins only)."""
    form = CenterAccountForm()
    form.fill_vocab()
    if form.validate_on_submit():
        try:
            register_organisation(kind="center", org_name=form.org_name.data, credit_code=form.credit_code.data,
                                  city=form.city.data, industry=None, size=None, digital_level=None,
                                  name=form.name.data, email=form.email.data, password=form.password.data)
        except DuplicateAccount as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Promotion center account created."), "success")
            return redirect(url_for("accounts.admin_accounts"))
    kind = request.args.get("kind") or None
    return render_template("accounts/admin_accounts.html", form=form, users=list_accounts(kind), kind=kind), \
        (422 if form.errors else 200)


@bp.route("/admin/accounts/<int:user_id>/active", methods=["POST"])
@role_required("admin")
def admin_set_active(user_id: int):
    """Activate or deactivate a user account (platform admins only)."""
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
    else:
        set_user_active(user, request.form.get("active") == "1")
        db.session.commit()
        flash(_("Account updated."), "success")
    return redirect(url_for("accounts.admin_accounts"))
