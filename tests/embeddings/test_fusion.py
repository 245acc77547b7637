"""Weighted reciprocal rank fusion."""
from __future__ import annotations

import pytest

from embeddings.fusion import fuse, max_score


def test_same_input_gives_same_output():
    """Is fusion deterministic?"""
    rankings = {"dense": ["a", "b", "c"], "lexical": ["c", "a", "d"]}
    assert fuse(rankings, {"dense": 0.6, "lexical": 0.4}) == fuse(rankings, {"dense": 0.6, "lexical": 0.4})


def test_order_of_the_rankings_mapping_does_not_matter():
    """Do the same rankings given in another order fuse identically?"""
    one = fuse({"dense": ["a", "b"], "lexical": ["b", "c"]}, {"dense": 0.7, "lexical": 0.3})
    two = fuse({"lexical": ["b", "c"], "dense": ["a", "b"]}, {"lexical": 0.3, "dense": 0.7})
    assert one == two


def test_ties_are_broken_by_doc_id():
    """With equal weights and mirrored ranks, do tied docs come out in id order?"""
    fused = fuse({"dense": ["z", "y"], "lexical": ["y", "z"]}, {"dense": 1, "lexical": 1})
    assert [d for d, _ in fused] == ["y", "z"]
    assert fused[0][1] == fused[1][1]


def test_scores_are_weighted_reciprocal_ranks():
    """Is the score Σ weight / (k + rank)?"""
    fused = dict(fuse({"dense": ["a", "b"], "lexical": ["b"]}, {"dense": 0.6, "lexical": 0.4}, k=60))
    assert fused["a"] == pytest.approx(0.6 / 61)
    assert fused["b"] == pytest.approx(0.6 / 62 + 0.4 / 61)


def test_weights_change_the_winner():
    """Does shifting weight from one ranking to the other change which doc wins?"""
    rankings = {"dense": ["a", "b"], "lexical": ["b", "a"]}
    assert fuse(rankings, {"dense": 0.9, "lexical": 0.1})[0][0] == "a"
    assert fuse(rankings, {"dense": 0.1, "lexical": 0.9})[0][0] == "b"


def test_duplicates_count_once_and_zero_weight_rankings_are_ignored():
    """Is a doc repeated in one ranking counted at its best rank only, and weight 0 ignored?"""
    fused = dict(fuse({"dense": ["a", "a"], "lexical": ["x"]}, {"dense": 1.0, "lexical": 0.0}))
    assert fused == {"a": pytest.approx(1 / 61)}


def test_max_score_is_first_place_everywhere():
    """Is the scale the score of a doc ranked first in every list?"""
    fused = fuse({"dense": ["a"], "lexical": ["a"]}, {"dense": 0.6, "lexical": 0.4})
    assert fused[0][1] == pytest.approx(max_score({"dense": 0.6, "lexical": 0.4}, ["dense", "lexical"]))
