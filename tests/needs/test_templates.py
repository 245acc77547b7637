"""Do the needs, proposals, reviews and notifications templates only render — no state, status, role or kind
comparisons, no database-querying globals?"""
from __future__ import annotations

import re

from tests.conftest import ROOT

FILES = [p for folder in ("needs", "proposals", "reviews", "notifications")
         for p in sorted((ROOT / "templates").glob(f"{folder}/*.html"))] + [ROOT / "templates/matching/_need_solutions.html"]
DECIDING = re.compile(
    r"\.(state|status|role|kind|visibility)\s*(==|!=|\bin\b|\bnot in\b)"
    r"|\bis_(enterprise|vendor|center|admin)\b|organisation_id\s*==|\bside\s*=="
    r"|\b(rating_of|reviews_of|review_exists|need_is_stale|shows_owner|shows_need_owner)\(")


def test_templates_decide_nothing():
    """No template of these features compares a state, status, role or kind, or calls a querying global."""
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in FILES
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if DECIDING.search(line)]
    assert found == []


def test_the_querying_globals_are_gone(app):
    """The globals that queried the database from templates are no longer offered."""
    for name in ("reviews_of", "review_exists", "need_is_stale", "shows_owner"):
        assert name not in app.jinja_env.globals, name
