"""Form pieces shared by features: vocabulary select fields, and the one set of numeric fields every form uses.

Choices are never made for the user: a required select starts at an empty "Please choose…" option and a
form sent back unchanged says, in the user's language, to choose (`Chosen`). Scenarios are offered under
their MIIT stage (`<optgroup>` in a select, a fieldset per stage for checkboxes).

Numbers people type are parsed here and nowhere else: amounts in yuan (`YuanField`, kept as exact integer
fen), whole numbers (`WholeNumberField`), measured values (`MeasureField`) and percentages (`PercentField`,
kept as basis points). Each accepts plain decimal notation only, with bounded digits, so `Infinity`, `NaN`,
`sNaN`, `1e999999` or a 5,000-digit number is refused with a message in the user's language and the form
comes back with the text as typed — never a value the database or a PDF cannot hold.
"""
from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, html_params

from marketplace import vocab
from marketplace.money import fen_to_yuan_text, yuan_to_fen
from marketplace.templating import current_locale, vocab_choices

INT_MAX = 2**31 - 1
MAX_FEN = 10**13
DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_decimal(text, integer_digits: int, places: int) -> Decimal | None:
    """Parse plain decimal notation with at most `integer_digits` before the point and `places` after.

    Returns None for empty input; raises ValueError("format") for anything else than a plain finite number
    (exponents, Infinity, NaN) and ValueError("range") when it has too many digits.
    """
    if text is None:
        return None
    cleaned = str(text).strip()
    if cleaned == "":
        return None
    if len(cleaned) > integer_digits + places + 8 and DECIMAL.fullmatch(cleaned):
        raise ValueError("range")
    if not DECIMAL.fullmatch(cleaned):
        raise ValueError("format")
    whole, _, fraction = cleaned.lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > integer_digits:
        raise ValueError("range")
    if len(fraction.rstrip("0")) > places:
        raise ValueError("format")
    return Decimal(cleaned)


PROMPT = _l("Please choose…")
"""The label of the empty first option of a required select."""


class Chosen(DataRequired):
    """A required choice: the empty "Please choose…" option is refused with a message asking to choose."""

    def __init__(self, message=None):
        """Ask to choose unless the form gives its own message."""
        super().__init__(message or _l("Please choose one of the options."))


def prompted(choices) -> list:
    """Put the empty "Please choose…" option before a required select's choices."""
    return [SelectChoice("", PROMPT), *choices]


def optional_int(value) -> int | None:
    """Coerce a select's value to int, the empty "Please choose…" option to None."""
    return None if value in (None, "", "None") else int(value)


class GroupedChecks:
    """Checkboxes as a list, or, when the choices have groups (scenarios under their stage), a fieldset per group."""

    plain = ListWidget(prefix_label=False)

    def __call__(self, field, **kwargs):
        """Render the field's checkboxes."""
        if not field.has_groups():
            return self.plain(field, **kwargs)
        kwargs.setdefault("id", field.id)
        options = iter(field)
        html = [f'<div {html_params(class_="check-groups", **kwargs)}>']
        for label, group in field.iter_groups():
            html.append(f'<fieldset class="check-group"><legend>{escape(label)}</legend><ul>')
            for _choice in group:
                option = next(options)
                html.append(f"<li>{option()} {option.label}</li>")
            html.append("</ul></fieldset>")
        html.append("</div>")
        return Markup("".join(html))


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (grouped in fieldsets when its choices have groups)."""

    widget = GroupedChecks()
    option_widget = CheckboxInput()


def select_choices(kind: str) -> list[SelectChoice]:
    """Return a vocabulary's choices in the current language; scenarios are grouped under their stage."""
    if kind == "scenario":
        locale = current_locale()
        return [SelectChoice(s.code, s.label(locale), optgroup=stage.label(locale))
                for stage in vocab.STAGES for s in vocab.scenarios_in(stage.code)]
    return [SelectChoice(code, label) for code, label in vocab_choices(kind)]


class VocabMixin:
    """Fill the choices of vocabulary fields in the current language when a form is built."""

    vocab_fields: dict[str, str] = {}

    def fill_vocab(self) -> None:
        """Set choices for every field named in vocab_fields ({field: vocabulary kind}); a single select starts
        with "Please choose…" when it is required and with "—" (any) when it is not."""
        for name, kind in self.vocab_fields.items():
            field = getattr(self, name)
            choices = select_choices(kind)
            if isinstance(field, SelectField) and not isinstance(field, SelectMultipleField):
                choices = prompted(choices) if field.flags.required else [SelectChoice("", "—"), *choices]
            field.choices = choices


class YuanField(StringField):
    """An amount typed in yuan (up to two decimals); `.fen` holds the exact integer fen."""

    def __init__(self, label=None, validators=None, allow_negative=False, max_fen: int = MAX_FEN, **kwargs):
        """Create the field; negative amounts are refused unless allowed, and amounts above `max_fen`."""
        super().__init__(label, validators, **kwargs)
        self.allow_negative = allow_negative
        self.max_fen = max_fen
        self.fen: int | None = None

    def process_data(self, value):
        """Show stored fen as yuan text."""
        self.data = fen_to_yuan_text(value) if isinstance(value, int) else value

    def pre_validate(self, form):
        """Parse the text into fen, refusing non-numbers, sub-fen precision, negatives and huge amounts."""
        self.fen = None
        text = self.data
        wan = False
        if isinstance(text, str):
            for mark in (",", "，", "¥", "￥", "元", " "):
                text = text.replace(mark, "")
            wan = text.endswith("万")
            text = text.removesuffix("万")
        try:
            amount = parse_decimal(text, integer_digits=len(str(self.max_fen)), places=6 if wan else 2)
            if wan and amount is None:
                raise ValueError("format")
            if amount is not None and wan:
                amount *= 10_000
                if amount != amount.quantize(Decimal("0.01")):
                    raise ValueError("format")
        except ValueError as exc:
            if str(exc) == "range":
                raise StopValidation(_l("The amount is too large.")) from None
            raise StopValidation(_l("Enter an amount in yuan, e.g. 12800, 12800.50 or 1.28万.")) from None
        if amount is None:
            return
        fen = yuan_to_fen(amount)
        if fen < 0 and not self.allow_negative:
            raise StopValidation(_l("The amount cannot be negative."))
        if abs(fen) > self.max_fen:
            raise StopValidation(_l("The amount is too large."))
        self.fen = fen


class WholeNumberField(IntegerField):
    """A whole number between `min` and `max` (by default 0 … 2³¹−1, what an integer column holds)."""

    def __init__(self, label=None, validators=None, min: int = 0, max: int = INT_MAX, **kwargs):
        """Create the field with its allowed range."""
        super().__init__(label, validators, **kwargs)
        self.min, self.max = min, max

    def process_formdata(self, valuelist):
        """Parse the text; `data` is the number, or None when empty or not acceptable (see pre_validate)."""
        self.data, self.problem = None, None
        if valuelist and str(valuelist[0]).strip():
            try:
                value = parse_decimal(valuelist[0], integer_digits=len(str(self.max)), places=0)
            except ValueError as exc:
                self.problem = str(exc)
                return
            if not self.min <= int(value) <= self.max:
                self.problem = "range"
                return
            self.data = int(value)

    def pre_validate(self, form):
        """Refuse text that is not a whole number and numbers outside the range."""
        problem = getattr(self, "problem", None)
        if problem == "format":
            raise StopValidation(_l("Enter a whole number."))
        if problem == "range":
            raise StopValidation(_l("Enter a whole number from %(min)s to %(max)s.", min=self.min, max=self.max))


class MeasureField(StringField):
    """A measured value (e.g. a case result) as an exact Decimal: finite, at most `digits` before the point
    and `places` after (what a Numeric(digits + places, places) column holds)."""

    def __init__(self, label=None, validators=None, digits: int = 10, places: int = 4, **kwargs):
        """Create the field with the precision of the column it is stored in."""
        super().__init__(label, validators, **kwargs)
        self.digits, self.places = digits, places

    def process_data(self, value):
        """Show a stored Decimal without trailing zeros."""
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        self.data = value

    def process_formdata(self, valuelist):
        """Parse the text; `data` is a Decimal, or None when empty or not acceptable (see pre_validate)."""
        self.data, self.invalid = None, False
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = parse_decimal(valuelist[0], self.digits, self.places)
            except ValueError:
                self.invalid = True

    def pre_validate(self, form):
        """Refuse anything but a plain finite number of the allowed size."""
        if getattr(self, "invalid", False):
            raise StopValidation(_l("Enter a number such as 3.2 or -0.45 (up to %(digits)s digits before the "
                                    "point and %(places)s after).", digits=self.digits, places=self.places))

    def _value(self):
        """Show what was typed when the form comes back."""
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class PercentField(StringField):
    """A share in percent with at most two decimals; `.bp` holds it in basis points (37.5 → 3750)."""

    bp: int | None = None

    def pre_validate(self, form):
        """Parse the text into basis points, refusing anything but a plain number from 0 to 100."""
        self.bp = None
        text = self.data.strip().rstrip("%") if isinstance(self.data, str) else self.data
        try:
            value = parse_decimal(text, integer_digits=3, places=2)
        except ValueError:
            raise StopValidation(_l("Enter a percentage such as 40 or 12.5.")) from None
        if value is None:
            return
        if not 0 <= value <= 100:
            raise StopValidation(_l("Enter a percentage from 0 to 100."))
        self.bp = int(value * 100)


def strip_filter(value):
    """Trim surrounding whitespace from text input."""
    return value.strip() if isinstance(value, str) else value
