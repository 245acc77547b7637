"""The upload form of the import page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField

from marketplace.imports.reading import KIND_LABELS


class ImportForm(FlaskForm):
    """Which kind of listing a file holds, and the file."""

    kind = RadioField(_l("The file holds"), choices=list(KIND_LABELS.items()), default="offering")
    file = FileField(_l("CSV or XLSX file"))
