"""CSV downloads: one writer for every export, safe to open in a spreadsheet program.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, WPS and
LibreOffice as a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`), and search queries, titles and names
are typed by anyone. Such text cells get a leading apostrophe, which spreadsheets show as plain text;
numbers (ints, and decimal text such as "-12.34" for a reversal) are written as they are.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value):
    """Return a cell value a spreadsheet will not run: formula-like text gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(header: Iterable, rows: Iterable[Iterable], bom: bool = False) -> str:
    """Render a header and rows as CSV text with every cell made safe (a byte-order mark for spreadsheets if asked)."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
