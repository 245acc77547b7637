"""Registration, sign-in and organisation forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from marketplace.accounts.credit_code import is_valid_credit_code
from marketplace.forms_common import VocabMixin, strip_filter


def valid_credit_code(form, field):
    """Refuse a 统一社会信用代码 whose form or check character is wrong."""
    if not is_valid_credit_code(field.data or ""):
        raise ValidationError(_l("Enter a valid 18-character unified social credit code (check character per GB 32100-2015)."))


class OrganisationFields(VocabMixin):
    """Fields an organisation has, shared by registration and the organisation settings page."""

    vocab_fields = {"city": "city", "industry": "industry", "size": "size", "digital_level": "level"}


class RegisterForm(OrganisationFields, FlaskForm):
    """Create an organisation (SME or vendor) and its first user."""

    kind = SelectField(_l("Organisation type"), validators=[DataRequired()],
                       choices=[("enterprise", _l("Manufacturer (SME) — I post needs")),
                                ("vendor", _l("Service provider — I list solutions"))])
    org_name = StringField(_l("Organisation name"), filters=[strip_filter],
                           validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(_l("Unified social credit code"), filters=[strip_filter, lambda v: v.upper() if v else v],
                              validators=[DataRequired(), valid_credit_code])
    city = SelectField(_l("City"), validators=[DataRequired()])
    industry = SelectField(_l("Industry"), validators=[DataRequired()])
    size = SelectField(_l("Size"), validators=[DataRequired()])
    digital_level = SelectField(_l("Digital maturity level"), validators=[DataRequired()])
    name = StringField(_l("Your name"), filters=[strip_filter], validators=[DataRequired(), Length(max=60)])
    email = EmailField(_l("E-mail"), filters=[strip_filter],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=10, max=128)])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class LoginForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(_l("E-mail"), filters=[strip_filter], validators=[DataRequired(), Email(check_deliverability=False)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


class OrganisationForm(OrganisationFields, FlaskForm):
    """Edit the acting organisation's details."""

    org_name = StringField(_l("Organisation name"), filters=[strip_filter],
                           validators=[DataRequired(), Length(max=120)])
    city = SelectField(_l("City"), validators=[DataRequired()])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    size = SelectField(_l("Size"), validators=[Optional()])
    digital_level = SelectField(_l("Digital maturity level"), validators=[Optional()])
    contact_name = StringField(_l("Contact person"), filters=[strip_filter], validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Phone"), filters=[strip_filter], validators=[Optional(), Length(max=40)])


class CenterAccountForm(OrganisationFields, FlaskForm):
    """Platform admins create promotion-center accounts (centers cannot self-register)."""

    vocab_fields = {"city": "city"}

    org_name = StringField(_l("Organisation name"), filters=[strip_filter],
                           validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(_l("Unified social credit code"), filters=[strip_filter, lambda v: v.upper() if v else v],
                              validators=[DataRequired(), valid_credit_code])
    city = SelectField(_l("City"), validators=[DataRequired()])
    name = StringField(_l("Contact name"), filters=[strip_filter], validators=[DataRequired(), Length(max=60)])
    email = EmailField(_l("E-mail"), filters=[strip_filter],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=10, max=128)])
