"""Account views: register, sign in, sign out, passwords, organisation settings, admin account list."""
from __future__ import annotations

import math

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from marketplace.accounts import bp
from marketplace.accounts.forms import (
    CenterAccountForm,
    ChangePasswordForm,
    LoginForm,
    OrganisationForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from marketplace.accounts.mailing import queue_reset_link
from marketplace.accounts.models import User, org_kind_labels
from marketplace.accounts.services import (
    ACCOUNT_ROLES,
    authenticate,
    change_password,
    create_trusted_account,
    list_accounts,
    register_organisation,
    reset_password,
    reset_token_for,
    set_organisation_logo,
    set_user_active,
    update_organisation,
    user_for_reset_token,
)
from marketplace.accounts.sessions import end_sessions, fresh_session, sign_in
from marketplace.accounts.throttle import LOGIN_FAILURES, RESET_MAILS
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db, limiter
from marketplace.permissions import permission_required
from marketplace.uploads.forms import ImageForm
from marketplace.web import LONG_PAGE_SIZE, paginate, safe_url, show_refusal, submit


def config_limit(key: str):
    """Return a callable reading a rate-limit string from the app config (for limiter.limit)."""
    return lambda: current_app.config[key]


def client_address() -> str | None:
    """Return the client's address (the proxy-corrected one when proxies are configured)."""
    return request.remote_addr


def throttled_message(seconds: int) -> str:
    """Say how long an e-mail address must wait before signing in again."""
    return _("Too many failed sign-ins for this account. Try again in %(minutes)s minutes, or reset your password.",
             minutes=max(1, math.ceil(seconds / 60)))


def safe_next(default: str) -> str:
    """Return the ?next= target if it stays on this site, else the default."""
    return safe_url(request.args.get("next"), default)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(config_limit("REGISTER_RATE_LIMIT"), methods=["POST"])
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
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            record_audit("account.registered", actor=user, target=user.organisation,
                         detail={"kind": form.kind.data, "email": user.email}, address=client_address())
            db.session.commit()
            sign_in(user)
            flash(_("Welcome, %(name)s. Your organisation is registered.", name=user.name), "success")
            flash(_("Next: upload your business licence so that a promotion center can verify your organisation. "
                    "Until then you get no 模型券 (model voucher) quota and your offerings cannot be 模型券-eligible."),
                  "info")
            return redirect(url_for("main.dashboard"))
    return render_template("accounts/register.html", form=form), (422 if form.errors else 200)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(config_limit("LOGIN_RATE_LIMIT"), methods=["POST"],
               deduct_when=lambda response: response.status_code != 302)
def login():
    """Sign in with e-mail and password; repeated failures for one address pause it for a while."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        wait = LOGIN_FAILURES.blocked_for(email)
        if wait:
            record_audit("account.sign_in_throttled", detail={"email": email}, address=client_address())
            db.session.commit()
            form.email.errors.append(throttled_message(wait))
            return render_template("accounts/login.html", form=form), 429
        user = authenticate(email, form.password.data)
        if user is not None:
            LOGIN_FAILURES.clear(email)
            sign_in(user, remember=form.remember.data)
            record_audit("account.signed_in", actor=user, target=user, detail={"remember": bool(form.remember.data)},
                         address=client_address())
            db.session.commit()
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(safe_next(url_for("main.dashboard")))
        LOGIN_FAILURES.hit(email)
        record_audit("account.sign_in_failed", detail={"email": email}, address=client_address())
        db.session.commit()
        form.password.errors.append(_("The e-mail or password is not right."))
    if form.errors:
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out: this session, every other session and every remember-me token of the user end."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        end_sessions(user)
        record_audit("account.signed_out", actor=user, target=user, address=client_address())
        db.session.commit()
    logout_user()
    fresh_session()
    g.remember_cookie = ""
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password (asks for the current one); other sessions end, this one continues."""
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        wait = LOGIN_FAILURES.blocked_for(user.email)
        try:
            if wait:
                raise DomainError(throttled_message(wait), "current")
            change_password(user, form.current.data, form.password.data)
        except DomainError as exc:
            db.session.rollback()
            if exc.field == "current" and not wait:
                LOGIN_FAILURES.hit(user.email)
            getattr(form, exc.field).errors.append(str(exc))
        else:
            record_audit("account.password_changed", actor=user, target=user, address=client_address())
            db.session.commit()
            sign_in(user)
            flash(_("Your password is changed. You were signed out everywhere else."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("accounts/password.html", form=form), (422 if form.errors else 200)


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(config_limit("PASSWORD_RESET_RATE_LIMIT"), methods=["POST"])
def reset_request():
    """Ask for a password-reset link; the answer is the same whether or not the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        found = None if RESET_MAILS.blocked_for(email) else reset_token_for(email)
        if found is not None:
            user, token = found
            RESET_MAILS.hit(email)
            record_audit("account.password_reset_requested", target=user, address=client_address())
            queue_reset_link(user, token)
            db.session.commit()
        minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
        flash(_("If an account uses %(email)s, we sent it a link to choose a new password. "
                "The link works once, within %(minutes)s minutes.", email=email, minutes=minutes), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form), (422 if form.errors else 200)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password_page(token: str):
    """Choose a new password from an e-mailed link; every session of the account ends."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    user = user_for_reset_token(token, max_age)
    if user is None:
        flash(_("This reset link is invalid, expired or already used. Ask for a new one."), "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(token, form.password.data, max_age)
        except DomainError as exc:
            db.session.rollback()
            show_refusal(form, exc)
        else:
            record_audit("account.password_reset", actor=user, target=user, address=client_address())
            db.session.commit()
            logout_user()
            fresh_session()
            flash(_("Your password is changed. Sign in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, user=user), (422 if form.errors else 200)


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
    return render_template("accounts/organisation.html", form=form, org=org, logo_form=ImageForm()), \
        (422 if form.errors else 200)


@bp.route("/organisation/logo", methods=["POST"])
@login_required
def organisation_logo():
    """Upload (or remove) the logo of the organisation the user acts for; a refused image keeps the page's forms."""
    org = current_user.organisation
    logo_form = ImageForm()
    if logo_form.validate_on_submit():
        remove = "remove" in request.form
        ok, _saved = submit(logo_form, lambda: set_organisation_logo(org, current_user,
                                                                     None if remove else logo_form.image.data))
        if ok:
            flash(_("Logo removed.") if remove else _("Logo saved."), "success")
            return redirect(url_for("accounts.organisation"))
    form = OrganisationForm(obj=org, org_name=org.name,
                            digital_level=str(org.digital_level) if org.digital_level else "")
    form.fill_vocab()
    return render_template("accounts/organisation.html", form=form, org=org, logo_form=logo_form), 422


@bp.route("/admin/accounts", methods=["GET", "POST"])
@permission_required("accounts.manage")
def admin_accounts():
    """List accounts and create promotion-center accounts (platform admins only)."""
    form = CenterAccountForm()
    form.fill_vocab()
    if form.validate_on_submit():
        try:
            created = create_trusted_account(current_user, kind=form.kind.data, org_name=form.org_name.data,
                                             credit_code=form.credit_code.data, city=form.city.data,
                                             name=form.name.data, email=form.email.data, password=form.password.data)
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            record_audit("account.created", actor=current_user, target=created,
                         detail={"kind": form.kind.data, "email": created.email}, address=client_address())
            db.session.commit()
            flash(_("%(kind)s account created.", kind=org_kind_labels()[form.kind.data]), "success")
            return redirect(url_for("accounts.admin_accounts"))
    tabs = [(None, _("All")), ("enterprise", _("Manufacturers")), ("vendor", _("Providers")),
            ("center", _("Promotion centers")), ("evaluator", _("Evaluation bodies")), ("admin", _("Administrators"))]
    role = request.args.get("role") if request.args.get("role") in ACCOUNT_ROLES else None
    chosen = request.args.get("active") if request.args.get("active") in ("1", "0") else ""
    active = {"1": True, "0": False}.get(chosen)
    query = (request.args.get("q") or "").strip()[:100]
    users = paginate(list_accounts(role, query, active), LONG_PAGE_SIZE)
    statuses = [("", _("Active and deactivated")), ("1", _("Active")), ("0", _("Deactivated"))]
    return render_template("accounts/admin_accounts.html", form=form, users=users, role=role, query=query,
                           tabs=tabs, statuses=statuses, active=chosen), \
        (422 if form.errors else 200)


@bp.route("/admin/accounts/<int:user_id>/active", methods=["POST"])
@permission_required("accounts.manage")
def admin_set_active(user_id: int):
    """Activate or deactivate a user account (platform admins only)."""
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
    else:
        active = request.form.get("active") == "1"
        set_user_active(user, active)
        record_audit("account.activated" if active else "account.deactivated", actor=current_user, target=user,
                     detail={"email": user.email}, address=client_address())
        db.session.commit()
        flash(_("Account updated."), "success")
    return redirect(url_for("accounts.admin_accounts"))
