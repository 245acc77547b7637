"""The records of uploads: a private file (who uploaded it, for what, what it is, where its bytes are) and a public
image (a logo or a cover, kept only as resized renditions)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.extensions import Model


class StoredFile(Model):
    """One uploaded file: its owner organisation, purpose, checked type, size and content hash."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    purpose: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    uploaded_by: Mapped[User] = relationship()

    @property
    def is_image(self) -> bool:
        """Tell whether the file is a PNG or JPEG image (shown inline to those who may see it)."""
        return self.content_type.startswith("image/")


class PublicImage(Model):
    """A logo or cover image anyone may see: only its resized, metadata-free renditions are kept, never the upload.

    The full rendition is `width`×`height`, the thumbnail `thumb_width`×`thumb_height`; both are stored by their
    SHA-256 under the public image folder (`uploads.images`), apart from private files, so the route that serves
    public images can never reach a licence or a contract. A new upload is a new row: its URL never changes content,
    so it may be cached for a year."""

    __tablename__ = "public_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    content_type: Mapped[str] = mapped_column(String(30))
    width: Mapped[int]
    height: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    thumb_width: Mapped[int]
    thumb_height: Mapped[int]
    thumb_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def size_of(self, rendition: str) -> tuple[int, int]:
        """Return the width and height of a rendition ("full" or "thumb"), for an <img>'s attributes."""
        return (self.thumb_width, self.thumb_height) if rendition == "thumb" else (self.width, self.height)
