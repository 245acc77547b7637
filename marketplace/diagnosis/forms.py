"""Forms of the enterprise file: the self-assessment, a diagnosis visit, a follow-up, the files' filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from marketplace.diagnosis.indicators import indicator_system
from marketplace.forms_common import Chosen, VocabMixin, strip_filter


def assessment_form(formdata=None, answers: dict | None = None) -> FlaskForm:
    """Build the self-assessment form: one radio group per question, labelled in the current language."""

    class AssessmentForm(FlaskForm):
        """The self-assessment: every question answered once."""

    for question in indicator_system().questions:
        setattr(AssessmentForm, question.code, RadioField(
            str(question.text), coerce=int, choices=[(i, str(o)) for i, o in enumerate(question.options)],
            validators=[InputRequired(message=_l("Answer this question."))]))
    form = AssessmentForm(formdata=formdata)
    if formdata is None and answers:
        for code, value in answers.items():
            if hasattr(form, code):
                getattr(form, code).data = value
    return form


def answers_of(form: FlaskForm) -> dict[str, int]:
    """Return the answers a validated assessment form holds."""
    return {q.code: getattr(form, q.code).data for q in indicator_system().questions}


class VisitForm(VocabMixin, FlaskForm):
    """A diagnosis visit: when, what it found, the level found."""

    vocab_fields = {"level": "level"}
    visited_on = DateField(_l("Date of the visit"), validators=[DataRequired(message=_l("Enter the date."))])
    level = SelectField(_l("Level found on site"), validators=[Chosen()])
    findings = TextAreaField(_l("Findings"), filters=[strip_filter],
                             validators=[DataRequired(), Length(min=4, max=4000)])


class FollowUpForm(FlaskForm):
    """A follow-up item agreed with the enterprise."""

    title = StringField(_l("What is to be followed up"), filters=[strip_filter],
                        validators=[DataRequired(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[DataRequired(message=_l("Enter the date."))])


class FilesFilterForm(VocabMixin, FlaskForm):
    """Filters of the enterprise files; read from the query string, never CSRF-checked."""

    class Meta:
        csrf = False

    vocab_fields = {"industry": "industry", "city": "city"}

    industry = SelectField(_l("Industry"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()])
    undiagnosed = BooleanField(_l("Only enterprises without a diagnosis"))
