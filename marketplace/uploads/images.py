"""Public images: organisations' logos and listings' covers, checked, resized and re-encoded before anything is kept.

An upload is refused unless its bytes are a PNG, JPEG or WebP image (never judged by its name), within the upload
size limit and at most `MAX_PIXELS` pixels before decoding (a decompression bomb is refused on its header; Pillow's
own limit is set to match and its error caught). The image is turned upright by its EXIF orientation and re-encoded
as WebP at bounded sizes (`RENDITIONS`), which drops EXIF, GPS and every other metadata; the upload itself is never
stored. Renditions live under their own folder by SHA-256, apart from private files (`uploads.services`), so the
public route can only ever serve a public image.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import Response, current_app, send_file
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from marketplace.accounts.models import User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.uploads.models import PublicImage
from marketplace.uploads.services import max_bytes

MAX_PIXELS = 40_000_000
"""The most pixels an uploaded image may have (about 7,700 × 5,200); larger ones are refused before decoding."""
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow warns above this and raises above twice it; both are refusals here

CONTENT_TYPE = "image/webp"
YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Rendition:
    """One stored size of an image: fitted within `width`×`height`; `square` pads it onto a square canvas (a logo,
    kept lossless: flat colours and lettering blur in lossy WebP)."""

    width: int
    height: int
    square: bool = False


RENDITIONS: dict[str, tuple[Rendition, Rendition]] = {
    "logo": (Rendition(256, 256, square=True), Rendition(96, 96, square=True)),
    "cover": (Rendition(1200, 900), Rendition(480, 360)),
}
"""Per purpose: the full rendition and the thumbnail (list cards)."""


def image_folder() -> Path:
    """Return the folder public image renditions are kept in, created when missing."""
    folder = Path(current_app.config.get("PUBLIC_IMAGE_FOLDER") or Path(current_app.instance_path) / "public_images")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def is_image_bytes(data: bytes) -> bool:
    """Tell whether bytes start like a PNG, JPEG or WebP file (decoding decides the rest)."""
    return (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"))


def read_image(upload: FileStorage | None, field: str) -> Image.Image:
    """Return an uploaded image decoded and upright, or refuse it (missing, empty, too large in bytes or pixels,
    not an image) with a reason naming `field`."""
    if upload is None or not upload.filename:
        raise DomainError(_("Choose an image to upload."), field)
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if not data:
        raise DomainError(_("The file is empty."), field)
    if len(data) > limit:
        raise DomainError(_("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)), field)
    not_an_image = DomainError(_("Upload a PNG, JPEG or WebP image."), field)
    if not is_image_bytes(data):
        raise not_an_image
    too_big = DomainError(_("The image is too large: at most %(mp)s million pixels.", mp=MAX_PIXELS // 1_000_000),
                          field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise too_big
            if image.format not in ("PNG", "JPEG", "WEBP"):
                raise not_an_image
            image.load()
            return ImageOps.exif_transpose(image)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None


def render(image: Image.Image, size: Rendition) -> Image.Image:
    """Return the image fitted within a rendition's bounds (never enlarged), on a square canvas for a logo."""
    fitted = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")
    fitted.thumbnail((size.width, size.height), Image.Resampling.LANCZOS)
    if not size.square:
        return fitted
    side = max(fitted.width, fitted.height)
    canvas = Image.new("RGBA", (side, side), (255, 255, 255, 0))
    canvas.paste(fitted, ((side - fitted.width) // 2, (side - fitted.height) // 2))
    return canvas


def store(image: Image.Image, lossless: bool = False) -> str:
    """Encode an image as WebP without metadata, keep it once by its SHA-256 and return the hash."""
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=82, method=4, lossless=lossless)
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    path = image_folder() / digest[:2] / f"{digest}.webp"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    return digest


def save_public_image(upload: FileStorage | None, *, user: User, purpose: str, field: str = "image") -> PublicImage:
    """Check an uploaded logo or cover, keep its resized renditions for the user's organisation and return its
    record; the caller commits. Nothing is written when it is refused."""
    full_size, thumb_size = RENDITIONS[purpose]
    image = read_image(upload, field)
    full, thumb = render(image, full_size), render(image, thumb_size)
    record = PublicImage(organisation_id=user.organisation_id, uploaded_by_id=user.id, purpose=purpose,
                         content_type=CONTENT_TYPE, width=full.width, height=full.height,
                         sha256=store(full, full_size.square), thumb_width=thumb.width, thumb_height=thumb.height,
                         thumb_sha256=store(thumb, thumb_size.square))
    db.session.add(record)
    return record


def rendition_path(image: PublicImage, size: str) -> Path:
    """Return where one rendition ("full" or "thumb") of a public image is kept."""
    digest = image.thumb_sha256 if size == "thumb" else image.sha256
    return image_folder() / digest[:2] / f"{digest}.webp"


def send_image(image: PublicImage, size: str) -> Response:
    """Stream a public image rendition with a year-long cache (a new upload is a new image with a new URL)."""
    response = send_file(rendition_path(image, size), mimetype=image.content_type, max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
