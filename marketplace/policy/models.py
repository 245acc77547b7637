"""Policy instruments as versioned rows: every change a promotion center (or an admin) makes to a region's
rules is a new row, so the history of who changed what, when, from what to what, is the table itself.

The rules in force are, per region and instrument code, the newest version when it is in force. The JSON
file beside this module is the seed and default source (`rules.install_default_instruments`).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User, utcnow
from marketplace.extensions import Model


class PolicyInstrument(Model):
    """One version of one instrument in one region: rate, caps, years, minimum 数字化水平, and who set it."""

    __tablename__ = "policy_instrument"
    __table_args__ = (UniqueConstraint("region", "code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(20), index=True)
    code: Mapped[str] = mapped_column(String(30))
    version: Mapped[int]
    in_force: Mapped[bool] = mapped_column(default=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    applies_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    year_from: Mapped[int]
    year_to: Mapped[int]
    rate_bp: Mapped[int | None]
    annual_cap_fen: Mapped[int | None] = mapped_column(BigInteger)
    item_cap_fen: Mapped[int | None] = mapped_column(BigInteger)
    min_digital_level: Mapped[int | None]
    yearly_count_cap: Mapped[int | None]
    basis_zh: Mapped[str] = mapped_column(Text, default="")
    basis_en: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str | None] = mapped_column(String(300))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by: Mapped[User | None] = relationship()

    EDITABLE = ("in_force", "year_from", "year_to", "rate_bp", "annual_cap_fen", "item_cap_fen",
                "min_digital_level", "yearly_count_cap", "basis_zh", "basis_en")
    """The values a version carries that a center may change (the history compares these)."""
