"""Form pieces shared by features: vocabulary select fields and a yuan amount field stored as fen."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.money import fen_to_yuan_text, yuan_to_fen
from marketplace.templating import vocab_choices


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VocabMixin:
    """Fill the choices of vocabulary fields in the current language when a form is built."""

    vocab_fields: dict[str, str] = {}

    def fill_vocab(self) -> None:
        """Set choices for every field named in vocab_fields ({field: vocabulary kind})."""
        for name, kind in self.vocab_fields.items():
            field = getattr(self, name)
            choices = vocab_choices(kind)
            if isinstance(field, SelectField) and not isinstance(field, SelectMultipleField):
                if not any(v.required for v in field.validators if hasattr(v, "required")) \
                        and not field.flags.required:
                    choices = [("", "—")] + choices
            field.choices = choices


class YuanField(StringField):
    """An amount typed in yuan (up to two decimals); `.fen` holds the exact integer fen."""

    def __init__(self, label=None, validators=None, allow_negative=False, **kwargs):
        """Create the field; negative amounts are refused unless allowed."""
        super().__init__(label, validators, **kwargs)
        self.allow_negative = allow_negative
        self.fen: int | None = None

    def process_data(self, value):
        """Show stored fen as yuan text."""
        self.data = fen_to_yuan_text(value) if isinstance(value, int) else value

    def pre_validate(self, form):
        """Parse the text into fen, refusing non-numbers, sub-fen precision and negatives."""
        try:
            self.fen = yuan_to_fen(self.data)
        except ValueError:
            self.fen = None
            raise ValidationError(_l("Enter an amount in yuan, e.g. 12800 or 12800.50."))
        if self.fen is not None and self.fen < 0 and not self.allow_negative:
            raise ValidationError(_l("The amount cannot be negative."))
        if self.fen is not None and self.fen > 10**13:
            raise ValidationError(_l("The amount is too large."))


def strip_filter(value):
    """Trim surrounding whitespace from text input."""
    return value.strip() if isinstance(value, str) else value
