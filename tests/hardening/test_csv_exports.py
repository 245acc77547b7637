"""Do CSV downloads keep typed text from running as spreadsheet formulas, and keep money exact?"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from marketplace.csv_export import csv_text, safe_cell
from marketplace.resonance.statements import Statement, statement_csv
from tests.factories import make_offering, make_user

FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)",
            "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_written_as_text(text):
    """A cell starting with = + - @ tab or CR gets a leading apostrophe."""
    assert safe_cell(text) == "'" + text
    [row] = list(csv.reader(io.StringIO(csv_text(["h"], [[text]]).splitlines()[1] + "\n")))
    assert row[0].startswith("'")


def test_numbers_and_ordinary_text_are_unchanged():
    """Ints, negative decimal text and plain words are written as they are."""
    assert [safe_cell(v) for v in (-1234, "-12.34", "0.850", "激光切割", None)] == [-1234, "-12.34", "0.850", "激光切割", ""]


def test_an_anonymous_formula_search_lands_escaped_in_the_centers_csv(app, client, auth):
    """A visitor's search for =HYPERLINK(...) appears in the weak-search CSV as text, not as a formula."""
    with app.app_context():
        make_offering(make_user("vendor").organisation)
    query = FORMULAS[0]
    assert client.get("/search", query_string={"q": query}).status_code == 200
    auth.as_role("center")
    text = client.get("/analytics/searches.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["'" + query] == [r[0] for r in rows[1:] if "HYPERLINK" in r[0]]


def ledger_row(entry_id: int, amount_fen: int, title: str, party: str):
    """A ledger entry as the statement CSV reads it."""
    return SimpleNamespace(id=entry_id, created_at=datetime(2026, 5, 1, tzinfo=timezone.utc), agreement_id=1,
                           agreement=SimpleNamespace(title=title), version=SimpleNamespace(number=1), order_id=7,
                           party_id=3, party=SimpleNamespace(name=party), kind="revenue", share_bp=6000,
                           amount_fen=amount_fen)


def test_statement_csv_escapes_titles_and_formats_yuan_exactly_from_fen():
    """An agreement titled like a formula stays text; yuan come from integer fen exactly, negatives too."""
    big = 90_071_992_547_409_931  # a float cannot hold this amount / 100 exactly
    rows = [ledger_row(1, big, "=cmd|' /C calc'!A0", "@某公司"), ledger_row(2, -1, "协议", "-供应商")]
    result = Statement(party_id=3, start=None, end=None, rows=rows, total_fen=big - 1)
    body = list(csv.reader(io.StringIO(statement_csv(result))))
    assert body[1][3] == "'=cmd|' /C calc'!A0" and body[1][7] == "'@某公司" and body[2][7] == "'-供应商"
    assert body[1][10:] == [str(big), "900719925474099.31"]
    assert body[2][10:] == ["-1", "-0.01"]
    assert body[3][0] == "total" and body[3][10:] == [str(big - 1), "900719925474099.30"]
