"""The account page where a user creates, names, scopes and revokes API tokens (the token is shown once)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from marketplace.accounts import bp
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.forms_common import MultiCheckboxField, strip_filter
from marketplace.web import show_refusal


class TokenForm(FlaskForm):
    """A new token: a name and its scopes."""

    name = StringField(_l("Token name"), filters=[strip_filter], validators=[DataRequired(), Length(max=80)])
    scopes = MultiCheckboxField(_l("Scopes"), validators=[DataRequired(_l("Choose at least one scope."))])

    def __init__(self, *args, **kwargs):
        """Offer every scope with what it allows; read is ticked for a new token."""
        from marketplace.api.tokens import SCOPES

        super().__init__(*args, **kwargs)
        self.scopes.choices = [(code, f"{code} — {label}") for code, label in SCOPES.items()]
        if (kwargs.get("formdata", True) is None or not self.is_submitted()) and not self.scopes.data:
            self.scopes.data = ["read"]


class RevokeForm(FlaskForm):
    """Revoking a token (the CSRF token only)."""


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """List the user's API tokens and create one; a new token's secret is shown on this answer only."""
    from marketplace.api.tokens import SCOPES, create_token, user_tokens  # the API package loads after accounts

    form = TokenForm()
    user = current_user._get_current_object()
    secret = None
    if form.validate_on_submit():
        try:
            token, secret = create_token(user, form.name.data, form.scopes.data)
        except DomainError as exc:
            db.session.rollback()
            show_refusal(form, exc)
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
            flash(_("Token “%(name)s” created. Copy it now: it is not shown again.", name=token.name), "success")
    status = 422 if form.errors else (201 if secret else 200)
    return render_template("accounts/api_tokens.html", form=form, secret=secret, tokens=user_tokens(user),
                           revoke_form=RevokeForm(), scopes=SCOPES), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    """Revoke one of the user's tokens; calls with it fail from now on."""
    from marketplace.api.tokens import revoke_token

    if RevokeForm().validate_on_submit():
        try:
            token = revoke_token(current_user._get_current_object(), token_id)
        except DomainError:
            db.session.rollback()
            abort(404)
        else:
            db.session.commit()
            flash(_("Token “%(name)s” revoked: calls with it are refused from now on.", name=token.name), "success")
    return redirect(url_for("accounts.api_tokens"))
