"""Account services: registering organisations, signing in, changing and resetting passwords."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from marketplace.accounts.models import Organisation, OrgKind, User, utcnow
from marketplace.accounts.passwords import (
    check_password,
    hash_password,
    make_reset_token,
    password_fingerprint,
    password_problem,
    read_reset_token,
)
from marketplace.accounts.sessions import end_sessions, load_user  # noqa: F401 - load_user is flask-login's loader
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db


def find_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail, case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user whose e-mail and password match, else None (same cost for unknown e-mails)."""
    user = find_user_by_email(email)
    matches = check_password(user.password_hash if user is not None else None, password)
    if user is None or not matches or not user.is_active:
        return None
    return user


def change_password(user: User, current: str, new: str) -> User:
    """Change a signed-in user's password after checking the current one; end all their sessions."""
    if not check_password(user.password_hash, current):
        raise DomainError(_("The current password is not right."), "current")
    return set_password(user, new)


def set_password(user: User, new: str) -> User:
    """Set a new password that passes the policy and end every session of the user (the caller commits)."""
    problem = password_problem(new, (user.email, user.name, user.organisation.name))
    if problem:
        raise DomainError(problem, "password")
    user.password_hash = hash_password(new)
    end_sessions(user)
    return user


def reset_token_for(email: str) -> tuple[User, str] | None:
    """Return the active user with this e-mail and a password-reset token for them, or None."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    return user, make_reset_token(user)


def user_for_reset_token(token: str, max_age: int) -> User | None:
    """Return the active user a reset token is for, if it is signed, unexpired and unused."""
    found = read_reset_token(token, max_age)
    if found is None:
        return None
    user = db.session.get(User, found[0])
    if user is None or not user.is_active or password_fingerprint(user.password_hash) != found[1]:
        return None
    return user


def reset_password(token: str, new: str, max_age: int) -> User:
    """Set a new password with a reset token (which dies with the old password); the caller commits."""
    user = user_for_reset_token(token, max_age)
    if user is None:
        raise DomainError(_("This reset link is invalid, expired or already used. Ask for a new one."), "password")
    return set_password(user, new)


def register_organisation(*, kind: str, org_name: str, credit_code: str, city: str, industry: str | None,
                          size: str | None, digital_level: int | None, name: str, email: str,
                          password: str, contact_phone: str | None = None, is_admin: bool = False,
                          summary: str | None = None) -> User:
    """Create an organisation with its first user; the caller commits."""
    if kind not in {k.value for k in OrgKind}:
        raise ValueError(f"unknown organisation kind {kind!r}")
    if find_user_by_email(email):
        raise DomainError(_("An account with this e-mail already exists."), "email")
    if db.session.scalar(select(Organisation).where(Organisation.credit_code == credit_code.upper())):
        raise DomainError(_("An organisation with this credit code is already registered."), "credit_code")
    org = Organisation(kind=kind, name=org_name, credit_code=credit_code.upper(), city=city,
                       industry=industry or None, size=size or None,
                       digital_level=int(digital_level) if digital_level else None,
                       contact_name=name, phone=contact_phone, summary=summary)
    user = User(email=email.strip().lower(), name=name, password_hash=hash_password(password),
                organisation=org, is_admin=is_admin)
    db.session.add_all([org, user])
    db.session.flush()
    return user


def create_trusted_account(admin: User, *, kind: str, org_name: str, credit_code: str, city: str, name: str,
                           email: str, password: str) -> User:
    """An admin creates a promotion center or an evaluation body with its first user; it is verified by the
    admin's organisation at once (neither kind can register itself). The caller commits."""
    if kind not in (OrgKind.CENTER.value, OrgKind.EVALUATOR.value):
        raise ValueError(f"admins create centers and evaluation bodies, not {kind!r}")
    user = register_organisation(kind=kind, org_name=org_name, credit_code=credit_code, city=city, industry=None,
                                 size=None, digital_level=None, name=name, email=email, password=password)
    user.organisation.verified_at = utcnow()
    user.organisation.verified_by_org_id = admin.organisation_id
    return user


def update_organisation(org: Organisation, **fields) -> Organisation:
    """Change an organisation's editable details; the caller commits."""
    for key in ("name", "city", "industry", "size", "contact_name", "phone"):
        if key in fields:
            setattr(org, key, fields[key] or None if key not in ("name", "city") else fields[key])
    if "digital_level" in fields:
        org.digital_level = int(fields["digital_level"]) if fields["digital_level"] else None
    return org


def set_organisation_logo(org: Organisation, user: User, upload) -> Organisation:
    """Give the user's organisation a new logo (fitted to a square, metadata removed), or remove it when `upload` is
    None; audited. The caller commits."""
    from marketplace.audit.services import record_audit
    from marketplace.uploads.images import save_public_image

    if user.organisation_id != org.id:
        raise PermissionDenied()
    org.logo = None if upload is None else save_public_image(upload, user=user, purpose="logo")
    record_audit("organisation.logo_changed" if upload is not None else "organisation.logo_removed", actor=user,
                 target=org)
    return org


def set_user_active(user: User, active: bool) -> User:
    """Activate or deactivate an account (admin moderation); deactivation ends its sessions. The caller commits."""
    user.is_active_flag = active
    if not active:
        end_sessions(user)
    return user


ACCOUNT_ROLES = ("admin", "enterprise", "vendor", "center", "evaluator", "platform")
"""The roles an account acts in (`templating.role_name`): an administrator, or its organisation's kind."""


def list_accounts(role: str | None = None, query: str | None = None, active: bool | None = None) -> Select:
    """Select users with their organisations for the admin list, newest first: acting in one role (an
    administrator, or a non-admin of one organisation kind), active or deactivated, and whose e-mail, name,
    organisation name or unified social credit code contains `query` (case-insensitive), when given."""
    stmt = select(User).join(User.organisation).options(contains_eager(User.organisation)).order_by(User.id.desc())
    if role == "admin":
        stmt = stmt.where(User.is_admin.is_(True))
    elif role:
        stmt = stmt.where(Organisation.kind == role, User.is_admin.is_(False))
    if active is not None:
        stmt = stmt.where(User.is_active_flag.is_(active))
    words = (query or "").strip()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(User.email.ilike(pattern, escape="\\"), User.name.ilike(pattern, escape="\\"),
                              Organisation.name.ilike(pattern, escape="\\"),
                              Organisation.credit_code.ilike(pattern, escape="\\")))
    return stmt
