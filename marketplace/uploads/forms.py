"""The form that uploads a public image (an organisation's logo, a listing's cover)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField


class ImageForm(FlaskForm):
    """Upload a logo or a cover image (checked, resized and stripped of metadata by `uploads.images`)."""

    image = FileField(_l("Image (PNG, JPEG or WebP)"))
