"""Retrieval metrics on hand-computed examples, the evaluation function and the CLI's JSON."""
from __future__ import annotations

import json
import math

import pytest

from embeddings.evaluate import (METRICS, SYSTEMS, evaluate_corpus, main, mrr, ndcg_at_k, parse_weights,
                                 recall_at_k, score_run)
from tests.embeddings.conftest import DATA

REL = {"a": 2, "b": 1, "c": 2}


def test_recall_counts_only_grade_two():
    """Is recall@k the share of grade-2 docs in the top k (grade 1 not counted)?"""
    assert recall_at_k(["b", "a", "x"], REL, 2) == pytest.approx(0.5)
    assert recall_at_k(["b", "x"], REL, 2) == 0.0
    assert recall_at_k(["c", "a"], REL, 5) == 1.0
    assert recall_at_k(["a"], {"b": 1}, 5) is None


def test_mrr_uses_the_first_grade_two_document():
    """Is MRR 1/rank of the first grade-2 doc, ignoring grade-1 docs above it?"""
    assert mrr(["b", "x", "c"], REL) == pytest.approx(1 / 3)
    assert mrr(["a"], REL) == 1.0
    assert mrr(["x", "y"], REL) == 0.0


def test_ndcg_uses_grades_as_gains():
    """Is nDCG@k Σ grade/log2(rank+1) over the ideal ordering?"""
    ranked = ["b", "a", "x", "c"]
    dcg = 1 / math.log2(2) + 2 / math.log2(3) + 0 + 2 / math.log2(5)
    ideal = 2 / math.log2(2) + 2 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(ranked, REL, 10) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(["a", "c", "b"], REL, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["b", "a"], REL, 1) == pytest.approx(1 / 2)


def test_score_run_averages_over_queries():
    """Are metrics averaged over the queries where they are defined?"""
    run = {"q1": ["a"], "q2": ["x", "z"]}
    qrels = {"q1": {"a": 2}, "q2": {"z": 2}}
    scores = score_run(run, qrels)
    assert scores["mrr"] == pytest.approx((1 + 0.5) / 2)
    assert scores["recall@5"] == 1.0
    assert set(scores) == set(METRICS)


def test_parse_weights():
    """Does the --weights syntax parse into a dict?"""
    assert parse_weights("dense=0.6,lexical=0.4") == {"dense": 0.6, "lexical": 0.4}
    assert parse_weights(None) is None


def test_sample_set_quality_floor(e5, corpus, queries):
    """Does hybrid search on the sample set stay at least as good as each retriever alone, above a floor?"""
    results = evaluate_corpus(corpus, queries, e5)
    assert set(results) == set(SYSTEMS)
    assert results["hybrid"]["recall@5"] >= 0.85
    assert results["hybrid"]["mrr"] >= 0.9
    assert results["hybrid"]["ndcg@10"] >= max(results["lexical"]["ndcg@10"], results["dense"]["ndcg@10"]) - 0.02


def test_cli_json_has_the_documented_shape(capsys, e5):
    """Does `--json` print exactly {lexical, dense, hybrid} × {recall@5, recall@10, mrr, ndcg@10}?"""
    code = main(["--corpus", str(DATA / "corpus.jsonl"), "--queries", str(DATA / "queries.jsonl"),
                 "--backend", "e5", "--weights", "dense=0.6,lexical=0.4", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"lexical", "dense", "hybrid"}
    for row in out.values():
        assert set(row) == {"recall@5", "recall@10", "mrr", "ndcg@10"}
        assert all(0.0 <= v <= 1.0 for v in row.values())


def test_scenario_grading_gives_grade_one_to_every_document_of_the_query_scenarios():
    """Is every corpus doc in one of the query's scenarios grade 1, a higher own label kept, others absent?"""
    from embeddings.evaluate import scenario_qrels

    docs = {"a": ["online_inspection"], "b": ["predictive_maintenance"], "c": ["energy_management"], "d": []}
    query = {"id": "q", "scenario": ["online_inspection", "predictive_maintenance"], "relevant": {"b": 2}}
    assert scenario_qrels(query, docs) == {"a": 1, "b": 2}
    assert scenario_qrels({"id": "q", "scenario": "energy_management"}, docs) == {"c": 1}
    assert scenario_qrels({"id": "q"}, docs) == {}


def test_scenario_level_recall_counts_grade_one():
    """At scenario level, do recall and MRR count any in-scenario document (grade ≥ 1)?"""
    assert recall_at_k(["x", "b"], {"b": 1, "c": 1}, 2, min_grade=1) == pytest.approx(0.5)
    assert mrr(["x", "b"], {"b": 1}, min_grade=1) == pytest.approx(0.5)


def test_cli_reports_both_gradings_and_the_out_of_domain_check(capsys, e5, tmp_path):
    """With --grading both and --out-of-domain, does --json hold one section per grading plus the check?"""
    ood = tmp_path / "ood.jsonl"
    ood.write_text(json.dumps({"id": "o1", "text": "红烧肉怎么做才不腻"}, ensure_ascii=False) + "\n", encoding="utf-8")
    code = main(["--corpus", str(DATA / "corpus.jsonl"), "--queries", str(DATA / "queries.jsonl"),
                 "--scenarios", str(DATA / "scenarios.json"), "--grading", "both", "--out-of-domain", str(ood),
                 "--cache", str(tmp_path / "cache"), "--variant", "plain:prf=0,expansion=0", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"queries [item]", "queries [scenario]", "out_of_domain"}
    assert set(out["queries [scenario]"]) == {"lexical", "dense", "hybrid", "plain"}
    assert 0.0 <= out["out_of_domain"]["hybrid"]["share_above_floor"] <= 1.0
    assert (tmp_path / "cache" / ".gitignore").exists()
