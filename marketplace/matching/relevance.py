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
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l

from embeddings.calibration import Calibrator, load_calibrator

MISMATCH_FACTOR = 0.6


@dataclass(frozen=True)
class Label:
    """A relevance band: a stable code (for CSS and the API) and its words."""

    code: str
    text: object


HIGH = Label("high", _l("Highly relevant"))
RELATED = Label("related", _l("Relevant"))
POSSIBLE = Label("possible", _l("Possibly relevant"))


@lru_cache(maxsize=8)
def calibrator(backend: str) -> Calibrator:
    """The fitted calibration of an encoder backend, with the floor and label thresholds measured with it."""
    return load_calibrator(backend)


def thresholds() -> tuple[float, float, float]:
    """(floor, relevant, highly relevant) for the configured encoder; MATCHING_RELEVANCE_FLOOR overrides the floor.

    The thresholds are chosen when the calibration is fitted (`python -m embeddings.calibrate`), from the
    precision and recall measured at each, and stored with it.
    """
    fitted = calibrator(current_app.config["MATCHING_BACKEND"])
    configured = current_app.config.get("MATCHING_RELEVANCE_FLOOR")
    floor_value = float(configured) if configured not in (None, "") else float(fitted.floor)
    related = max(floor_value, float(fitted.labels.get("related", floor_value)))
    high = max(related, float(fitted.labels.get("high", related)))
    return floor_value, related, high


def floor() -> float:
    """The relevance below which a result is not shown as a match."""
    return thresholds()[0]


def label(relevance: float) -> Label:
    """The words for a relevance at or above the floor."""
    _floor, related, high = thresholds()
    if relevance >= high:
        return HIGH
    if relevance >= related:
        return RELATED
    return POSSIBLE


def adjusted(relevance: float, mismatches: int) -> float:
    """Lower a relevance for each explicit mismatch (deployment, budget), and keep it below "relevant"."""
    if mismatches <= 0:
        return relevance
    floor_value, related, _high = thresholds()
    return min(relevance * MISMATCH_FACTOR ** mismatches, max(floor_value, related - 0.01))
