"""Calibrated relevance: monotone in its evidence, low for questions about something else, a sane fallback."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from embeddings.calibration import DEFAULT_PATH, FEATURES, Calibrator, heuristic, load_calibrator
from embeddings.hybrid import HybridIndex

ROOT = Path(__file__).resolve().parents[2]
BASE = {"dense": 0.85, "lexical": 0.1, "agreement": 0.5, "confidence": 0.5, "nearest": 0.88, "domain": 0.86,
        "aux_nearest": 0.35, "aux": 0.3}
RISING = ("dense", "lexical", "agreement", "nearest", "domain", "aux_nearest", "aux")


@pytest.mark.parametrize("name", RISING)
def test_more_evidence_is_never_less_relevant(name):
    """Does raising any similarity feature (others fixed) never lower the e5 relevance?"""
    calibrator = load_calibrator("e5")
    assert calibrator.source == "e5"
    values = [calibrator.predict({**BASE, name: BASE[name] + step}) for step in (-0.2, -0.1, 0.0, 0.1, 0.2)]
    assert values == sorted(values)


def test_stored_model_has_thresholds_in_order():
    """Are the stored floor and labels ordered floor ≤ related ≤ high, all inside (0, 1)?"""
    calibrator = load_calibrator("e5")
    assert 0 < calibrator.floor <= calibrator.labels["related"] <= calibrator.labels["high"] < 1
    assert calibrator.label(calibrator.labels["high"]) == "high"
    assert calibrator.label(calibrator.floor / 2) is None


def test_backend_without_coefficients_falls_back_to_the_encoder_free_model():
    """Does a backend with no fitted entry use the lexical-only model, monotone in the lexical share?"""
    calibrator = load_calibrator("no-such-backend")
    assert calibrator.source == "*" and calibrator.features == ("lexical",)
    assert calibrator.predict({"lexical": 0.0}) < calibrator.predict({"lexical": 0.5}) < calibrator.predict(
        {"lexical": 1.0})


def test_missing_file_falls_back_to_the_lexical_share(tmp_path):
    """With no calibration file at all, is the relevance the lexical share itself, clipped to [0, 1]?"""
    calibrator = load_calibrator("e5", tmp_path / "missing.json")
    assert calibrator.source == heuristic().source == "heuristic"
    assert calibrator.predict({"lexical": 0.3}) == pytest.approx(0.3)
    assert calibrator.predict({"lexical": None}) == 0.0


def test_every_feature_has_a_name_the_index_fills():
    """Is every feature the stored models use one the index computes?"""
    models = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["models"]
    for entry in models.values():
        assert set(entry["features"]) | set(entry["gate"]["features"]) <= set(FEATURES)
        Calibrator.from_dict(entry, "x")


def test_held_out_out_of_domain_queries_stay_below_the_floor(e5, use_encoder, corpus, corpus_vectors, scenario_texts):
    """Do out-of-domain queries kept out of fitting get no hit at or above the floor with the real e5 encoder?"""
    stored = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    held_out = set(stored["held_out_out_of_domain"])
    with open(ROOT / "eval" / "out_of_domain.jsonl", encoding="utf-8") as fh:
        queries = [q for q in map(json.loads, filter(str.strip, fh)) if q["id"] in held_out]
    queries.append({"id": "pets", "text": "宠物狗粮 猫砂"})
    index = HybridIndex(e5, None, scenarios=scenario_texts, aux_encoder=use_encoder)
    index.upsert_many(corpus, vectors=corpus_vectors)
    assert len(queries) >= 10
    for q in queries:
        hits = index.search(q["text"], 20)
        assert max(h.relevance for h in hits) < index.calibrator.floor, q["text"]


def test_an_in_domain_query_has_a_hit_above_the_floor(e5, use_encoder, corpus, corpus_vectors, scenario_texts):
    """Does a clear manufacturing need find at least one result the calibration calls relevant?"""
    index = HybridIndex(e5, None, scenarios=scenario_texts, aux_encoder=use_encoder)
    index.upsert_many(corpus, vectors=corpus_vectors)
    hits = index.search("注塑件表面缩痕和飞边，人工目检经常漏检", 10)
    assert max(h.relevance for h in hits) >= index.calibrator.floor
