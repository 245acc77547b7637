"""Registration, sign-in and organisation forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from marketplace.accounts.credit_code import is_valid_credit_code
from marketplace.accounts.passwords import password_problem
from marketplace.forms_common import Chosen, VocabMixin, prompted, strip_filter


def valid_credit_code(form, field):
    """Refuse a 统一社会信用代码 whose form or check character is wrong."""
    if not is_valid_credit_code(field.data or ""):
        raise ValidationError(
            _l("Enter a valid 18-character unified social credit code (check character per GB 32100-2015)."))



VALID_EMAIL = Email(_l("Enter an e-mail address such as name@example.cn."), check_deliverability=False)
"""An e-mail address as people type it (deliverability is not checked: no network)."""

class StrongPassword:
    """Refuse short, common or guessable passwords (zxcvbn), saying why in the user's language.

    `context` names other form fields (e-mail, names) that the password must not be built from;
    `user_inputs` is a callable returning more such words (the signed-in user's e-mail and name)."""

    def __init__(self, context=(), user_inputs=None):
        """Remember which fields and words count as the user's own."""
        self.context, self.user_inputs = context, user_inputs

    def __call__(self, form, field):
        """Raise a ValidationError with the reason when the password is too weak."""
        words = [getattr(form, name).data for name in self.context if hasattr(form, name)]
        if self.user_inputs is not None:
            words += list(self.user_inputs())
        problem = password_problem(field.data or "", [w for w in words if isinstance(w, str)])
        if problem:
            raise ValidationError(problem)


def signed_in_user_words():
    """Return the signed-in user's e-mail, name and organisation name (for the password policy)."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return []
    return [current_user.email, current_user.name, current_user.organisation.name]


class OrganisationFields(VocabMixin):
    """Fields an organisation has, shared by registration and the organisation settings page."""

    vocab_fields = {"city": "city", "industry": "industry", "size": "size", "digital_level": "level"}


class RegisterForm(OrganisationFields, FlaskForm):
    """Create an organisation (SME or vendor) and its first user."""

    kind = SelectField(_l("Organisation type"), validators=[Chosen()],
                       choices=prompted([("enterprise", _l("Manufacturer (SME) — I post needs")),
                                         ("vendor", _l("Service provider — I list solutions"))]))
    org_name = StringField(_l("Organisation name"), filters=[strip_filter],
                           validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(_l("Unified social credit code"), filters=[strip_filter, lambda v: v.upper() if v else v],
                              validators=[DataRequired(), valid_credit_code])
    city = SelectField(_l("City"), validators=[Chosen()])
    industry = SelectField(_l("Industry"), validators=[Chosen()])
    size = SelectField(_l("Size"), validators=[Chosen()])
    digital_level = SelectField(_l("Digital maturity level"), validators=[Chosen()])
    name = StringField(_l("Your name"), filters=[strip_filter], validators=[DataRequired(), Length(max=60)])
    email = EmailField(_l("E-mail"), filters=[strip_filter],
                       validators=[DataRequired(), VALID_EMAIL, Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128),
                                                         StrongPassword(("email", "name", "org_name"))])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class LoginForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(_l("E-mail"), filters=[strip_filter],
                       validators=[DataRequired(), VALID_EMAIL])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


class OrganisationForm(OrganisationFields, FlaskForm):
    """Edit the acting organisation's details."""

    org_name = StringField(_l("Organisation name"), filters=[strip_filter],
                           validators=[DataRequired(), Length(max=120)])
    city = SelectField(_l("City"), validators=[Chosen()])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    size = SelectField(_l("Size"), validators=[Optional()])
    digital_level = SelectField(_l("Digital maturity level"), validators=[Optional()])
    contact_name = StringField(_l("Contact person"), filters=[strip_filter], validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone"), filters=[strip_filter], validators=[Optional(), Length(max=40)])


class CenterAccountForm(OrganisationFields, FlaskForm):
    """Platform admins create promotion-center and evaluation-body accounts (neither can self-register)."""

    vocab_fields = {"city": "city"}

    kind = SelectField(_l("Organisation type"), default="center",
                       choices=[("center", _l("Promotion center")),
                                ("evaluator", _l("Industrial model evaluation body"))])
    org_name = StringField(_l("Organisation name"), filters=[strip_filter],
                           validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(_l("Unified social credit code"), filters=[strip_filter, lambda v: v.upper() if v else v],
                              validators=[DataRequired(), valid_credit_code])
    city = SelectField(_l("City"), validators=[Chosen()])
    name = StringField(_l("Contact name"), filters=[strip_filter], validators=[DataRequired(), Length(max=60)])
    email = EmailField(_l("E-mail"), filters=[strip_filter],
                       validators=[DataRequired(), VALID_EMAIL, Length(max=254)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=128),
                                                                 StrongPassword(("email", "name", "org_name"))])


class ChangePasswordForm(FlaskForm):
    """Change one's own password: the current one, then the new one twice."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128),
                                                             StrongPassword(user_inputs=signed_in_user_words)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class ResetRequestForm(FlaskForm):
    """Ask for a password-reset link by e-mail."""

    email = EmailField(_l("E-mail"), filters=[strip_filter],
                       validators=[DataRequired(), VALID_EMAIL, Length(max=254)])


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link (the policy runs in the service, which knows the user)."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])
