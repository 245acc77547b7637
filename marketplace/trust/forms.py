"""Forms of the trust pages: the business-licence upload."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField


class LicenceForm(FlaskForm):
    """Upload the organisation's business licence (营业执照): a PDF, PNG or JPEG (checked by the upload service)."""

    licence = FileField(_l("Business licence (PDF, PNG or JPEG)"))
