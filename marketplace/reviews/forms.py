"""Review, reply and moderation forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.forms_common import Chosen, optional_int, prompted, strip_filter


class ReviewForm(FlaskForm):
    """The SME's rating (1–5) and words about the vendor and offering."""

    rating = SelectField(_l("Rating"), coerce=optional_int, validators=[Chosen()],
                         choices=prompted([(5, "★★★★★ 5"), (4, "★★★★ 4"), (3, "★★★ 3"), (2, "★★ 2"), (1, "★ 1")]))
    text = TextAreaField(_l("Your review"), filters=[strip_filter], validators=[DataRequired(), Length(max=3000)])


class ReplyForm(FlaskForm):
    """The vendor's one reply to a review."""

    text = TextAreaField(_l("Your reply"), filters=[strip_filter], validators=[DataRequired(), Length(max=2000)])


class ModerationForm(FlaskForm):
    """A promotion center hides a review (or shows it again) with a reason."""

    action = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), filters=[strip_filter], validators=[DataRequired(), Length(max=500)])
