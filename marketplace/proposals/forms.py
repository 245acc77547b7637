"""Proposal, invitation and message forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.forms_common import MultiCheckboxField, WholeNumberField, YuanField, strip_filter
from marketplace.proposals.services import COVER_MAX, INVITATION_MAX, PLAN_MAX, PLAN_MIN


class ProposalForm(FlaskForm):
    """A vendor's proposal: offerings attached, price quoted in yuan, the plan and a covering message."""

    offerings = MultiCheckboxField(_l("Offerings to attach"), coerce=int, validators=[Optional()])
    price = YuanField(_l("Quoted price (CNY)"), validators=[DataRequired()])
    plan = TextAreaField(_l("Plan"), filters=[strip_filter],
                         validators=[DataRequired(), Length(min=PLAN_MIN, max=PLAN_MAX)])
    message = TextAreaField(_l("Message to the enterprise"), filters=[strip_filter],
                            validators=[Optional(), Length(max=COVER_MAX)])


class InviteForm(FlaskForm):
    """The SME invites one provider to propose for a need, with an optional message."""

    vendor_id = WholeNumberField(min=1, validators=[DataRequired()])
    message = TextAreaField(_l("Message to the provider (optional)"), filters=[strip_filter],
                            validators=[Optional(), Length(max=INVITATION_MAX)])


class MessageForm(FlaskForm):
    """One plain-text message in a proposal's thread."""

    body = TextAreaField(_l("Message"), filters=[strip_filter], validators=[DataRequired(), Length(max=4000)])
