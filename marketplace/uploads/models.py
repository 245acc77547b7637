"""The record of an uploaded file: who uploaded it, for what, what it is, and where its bytes are."""
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
