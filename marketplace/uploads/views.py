"""Serve public images (logos and covers) to anyone; private files are served by their features, never here."""
from __future__ import annotations

from marketplace.extensions import db
from marketplace.uploads import bp
from marketplace.uploads.images import send_image
from marketplace.uploads.models import PublicImage


@bp.route("/images/<int:image_id>/<any(full, thumb):size>.webp")
def image(image_id: int, size: str):
    """Send one rendition of a public image, cached for a year."""
    return send_image(db.get_or_404(PublicImage, image_id), size)
