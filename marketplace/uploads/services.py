"""Check, store and send uploaded files.

Types are told by content: a PDF starts with `%PDF-`; a PNG or JPEG must open and verify with Pillow.
Bytes live under `UPLOAD_FOLDER` (default: the instance folder's `uploads/`) at `<sha[:2]>/<sha>`, so the
same file uploaded twice is stored once and a name can never escape the folder.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import Response, current_app, send_file
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

from marketplace.accounts.models import User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.uploads.models import StoredFile

KINDS = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
"""The file types the site accepts, by the name the callers use."""

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    """What a file's bytes say it is."""

    kind: str
    content_type: str


def upload_folder() -> Path:
    """Return the folder uploaded files are kept in, created when missing."""
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def max_bytes() -> int:
    """Return the largest file the site accepts, in bytes."""
    return int(current_app.config.get("UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES)


def sniff(data: bytes) -> Sniffed | None:
    """Tell a file's type from its bytes: PDF, PNG or JPEG (an image must decode), or None."""
    if data.startswith(b"%PDF-"):
        return Sniffed("pdf", KINDS["pdf"])
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                kind = "png" if image.format == "PNG" else "jpeg" if image.format == "JPEG" else None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            return None
        return Sniffed(kind, KINDS[kind]) if kind else None
    return None


def clean_filename(name: str | None, kind: str) -> str:
    """Return a display name for an uploaded file: no folders, no control characters, the right extension."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip()
    stem = base.rsplit(".", 1)[0][:150] or "file"
    return f"{stem}.{'jpg' if kind == 'jpeg' else kind}"


def save_upload(upload: FileStorage | None, *, user: User, purpose: str,
                accept: tuple[str, ...] = ("pdf", "png", "jpeg"), field: str = "file") -> StoredFile:
    """Check an uploaded file and keep it for the user's organisation; the caller commits.

    Raises DomainError (naming `field`) for a missing, empty, oversized or wrongly typed file; nothing is
    written then."""
    if upload is None or not upload.filename:
        raise DomainError(_("Choose a file to upload."), field)
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if not data:
        raise DomainError(_("The file is empty."), field)
    if len(data) > limit:
        raise DomainError(_("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)), field)
    sniffed = sniff(data)
    if sniffed is None or sniffed.kind not in accept:
        names = "、".join(k.upper() for k in accept)
        raise DomainError(_("Upload a %(kinds)s file.", kinds=names), field)
    digest = hashlib.sha256(data).hexdigest()
    path = upload_folder() / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    stored = StoredFile(organisation_id=user.organisation_id, uploaded_by_id=user.id, purpose=purpose,
                        filename=clean_filename(upload.filename, sniffed.kind), content_type=sniffed.content_type,
                        size=len(data), sha256=digest)
    db.session.add(stored)
    return stored


def path_of(stored: StoredFile) -> Path:
    """Return where a stored file's bytes are."""
    return upload_folder() / stored.sha256[:2] / stored.sha256


def send(stored: StoredFile, inline: bool = False) -> Response:
    """Stream a stored file to a reader the caller has already authorised (an attachment unless `inline`)."""
    response = send_file(path_of(stored), mimetype=stored.content_type, as_attachment=not inline,
                         download_name=stored.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
