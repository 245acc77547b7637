"""What a relevance figure means to a person: the floor below which nothing is a match, and the labels above it.

The search index gives every hit a calibrated `relevance`: the probability, fitted on labelled queries, that a
person looking for this would call the result relevant (see `embeddings.calibration`). It means the same for
every query, so one floor and one set of labels serve every list that shows matches: search, the browse
pages' keyword boxes, a need's 推荐方案, a vendor's leads, similar listings, event pairing and digests.

An explicit mismatch with what the searcher said (another deployment than the one required, a price over the
budget) lowers the figure and caps it below the top label, so such a result never reads as a top match.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

HIGH = 0.70
RELATED = 0.50
MISMATCH_FACTOR = 0.6
MISMATCH_CAP = RELATED - 0.01


@dataclass(frozen=True)
class Label:
    """A relevance band: a stable code (for CSS and the API) and its words."""

    code: str
    text: str


LABELS = (
    (HIGH, Label("high", _l("Highly relevant"))),
    (RELATED, Label("related", _l("Relevant"))),
)
POSSIBLE = Label("possible", _l("Possibly relevant"))


def floor() -> float:
    """The relevance below which a result is not shown as a match (MATCHING_RELEVANCE_FLOOR)."""
    return float(current_app.config["MATCHING_RELEVANCE_FLOOR"])


def label(relevance: float) -> Label:
    """The words for a relevance at or above the floor."""
    for threshold, band in LABELS:
        if relevance >= threshold:
            return band
    return POSSIBLE


def adjusted(relevance: float, mismatches: int) -> float:
    """Lower a relevance for each explicit mismatch (deployment, budget), and keep it below the top labels."""
    if mismatches <= 0:
        return relevance
    return min(relevance * MISMATCH_FACTOR ** mismatches, MISMATCH_CAP)
