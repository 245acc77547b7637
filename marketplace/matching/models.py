"""What the matcher keeps in the database: every document vector it has encoded, by content.

`StoredVector` is keyed by the encoder space (the main encoder's identity, and the auxiliary encoder's when
the index keeps one) and the SHA-256 of the text that was encoded, so a rebuild, a restart on another
machine or a change that did not touch a document's text encodes nothing again; switching encoders fills
another space, batch by batch, while the current one keeps serving.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.accounts.models import utcnow
from marketplace.extensions import Model


class StoredVector(Model):
    """One encoded text: its main vector and (for an index with an auxiliary encoder) the auxiliary one."""

    __tablename__ = "search_vector"

    space: Mapped[str] = mapped_column(String(200), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    aux_vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
