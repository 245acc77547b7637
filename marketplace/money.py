"""Money as integer fen: parsing what people type in yuan, and formatting fen for display."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, SQLColumnExpression

MAX_AMOUNT_FEN = 10**12
"""The largest amount one order may come to (¥100亿). With every order below it, sums over millions of
orders stay far inside the 64-bit range; `exact_sum` keeps sums exact beyond that too."""


def yuan_to_fen(text: str | int | Decimal | None) -> int | None:
    """Parse an amount in yuan (at most two decimals) into integer fen; None for empty input."""
    if text is None or str(text).strip() == "":
        return None
    cleaned = str(text).strip().replace(",", "").replace("，", "").replace("¥", "").replace("元", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
    if not value.is_finite():
        raise ValueError("not a number")
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError("more than two decimals")
    return int(fen)


def fen_to_yuan_text(fen: int | None) -> str:
    """Render fen as a plain yuan amount for form fields, e.g. 1234500 -> '12345.00'."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def format_fen(fen: int | None, locale: str = "zh_CN") -> str:
    """Format fen for people, one way everywhere: exact yuan with thousands separators, e.g. ¥12,345.67.

    (万 was used above ¥10万, which put "¥38万" beside "¥88,000.00" in one list; an exact figure in one shape
    is easier to compare.) The locale is kept for callers; both languages write CNY the same way.
    """
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100:,}.{fen % 100:02d}"


SUM_SPLIT = 1_000_000_000


def exact_sum(column: SQLColumnExpression[int]) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Two SQL sums that together give SUM(column) exactly, with no 64-bit overflow on any database.

    SQLite's SUM raises "integer overflow" past 2⁶³; summing the high and low parts of each amount apart
    keeps both partial sums small. Put both in a SELECT and pass the results to `combine_sum`.
    """
    from sqlalchemy import func

    return (func.coalesce(func.sum(column // SUM_SPLIT), 0), func.coalesce(func.sum(column % SUM_SPLIT), 0))


def combine_sum(high: int | Decimal, low: int | Decimal) -> int:
    """Join the two partial sums of `exact_sum` into the exact integer total."""
    return int(high) * SUM_SPLIT + int(low)


def format_bp(bp: int | None) -> str:
    """Show basis points as an exact percentage: 3333 -> '33.33%', 6000 -> '60%'."""
    if bp is None:
        return "—"
    sign = "-" if bp < 0 else ""
    whole, part = divmod(abs(bp), 100)
    if part == 0:
        return f"{sign}{whole}%"
    return f"{sign}{whole}.{part:02d}".rstrip("0") + "%"
