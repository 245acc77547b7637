"""Ranking levers: stuffing does not pay, queries are understood once, explanations name real terms."""
from __future__ import annotations

import pytest

from embeddings.hybrid import HybridIndex
from embeddings.ranking import RankingOptions, content_factor, expansion_terms, neighbour_distribution, rocchio
from embeddings.text import collapse_repeats

GENUINE = ("数控机床主轴预测性维护：在主轴和轴承上加装振动、温度传感器，用频谱分析和深度学习预测轴承磨损与"
           "剩余寿命，提前安排维护窗口，非计划停机减少 40%，支持 FANUC、西门子数控系统数据采集。")
STUFFED = "预测性维护 " * 200


def test_repeated_phrases_and_sentences_count_once():
    """Does a phrase said 200 times, or a sentence pasted twice, come back once (ordinary text unchanged)?"""
    assert collapse_repeats(STUFFED).strip() == "预测性维护"
    twice = "注塑件表面缩痕自动检测方案。注塑件表面缩痕自动检测方案。支持边缘部署"
    assert collapse_repeats(twice) == "注塑件表面缩痕自动检测方案。支持边缘部署"
    assert collapse_repeats(GENUINE) == GENUINE


@pytest.fixture
def stuffed_index(e5, corpus, corpus_vectors) -> HybridIndex:
    """The sample corpus plus a genuine predictive-maintenance listing and one that repeats the phrase."""
    index = HybridIndex(e5, None, aux_encoder=None)
    index.upsert_many(corpus, vectors=corpus_vectors)
    index.upsert_many([("genuine", GENUINE), ("stuffed", STUFFED)])
    return index


@pytest.mark.parametrize("query", ["预测性维护", "预测性维户"])
def test_stuffing_a_phrase_does_not_outrank_a_genuine_listing(stuffed_index, query):
    """Does the listing that repeats 预测性维护 200 times rank below a genuine one, for the phrase and its typo?"""
    ranked = [h.doc_id for h in stuffed_index.search(query, 10)]
    assert "genuine" in ranked
    assert "stuffed" not in ranked or ranked.index("genuine") < ranked.index("stuffed")


def test_content_poor_documents_are_discounted():
    """Is a document with few distinct terms discounted in proportion, and the lever off at 0?"""
    assert content_factor(5, 10) == pytest.approx(0.5)
    assert content_factor(40, 10) == 1.0
    assert content_factor(1, 0) == 1.0


def test_search_with_an_analysis_encodes_the_query_once(fake_encoder):
    """Does analyse() + search(analysis=) encode the query a single time and give the same hits?"""
    index = HybridIndex(fake_encoder, None, scenarios={"a": "视觉质检 缺陷检测", "b": "能耗 空压机"})
    index.upsert_many([("d1", "视觉质检 缺陷检测 外观", "a"), ("d2", "空压机 能耗 节能", "b")])
    calls = fake_encoder.calls
    analysis = index.analyse("外观缺陷检测")
    hits = index.search("外观缺陷检测", 2, analysis=analysis)
    assert fake_encoder.calls == calls + 1
    assert [h.doc_id for h in hits] == [h.doc_id for h in index.search("外观缺陷检测", 2)]
    assert analysis.top_scenarios(1)[0][0] in ("a", "b")
    assert 0.0 < analysis.confidence <= 1.0 and sum(analysis.scenarios.values()) == pytest.approx(1.0)


def test_every_hit_has_a_relevance_between_zero_and_one(sample_index):
    """Do search and similar both give each hit a relevance in [0, 1]?"""
    for hit in sample_index.search("注塑件缩痕飞边漏检", 5) + sample_index.similar("d06", 5):
        assert 0.0 <= hit.relevance <= 1.0


def test_explanations_drop_function_words_and_lead_with_the_rarest_term(sample_index):
    """Are 我们/想要/有没有 never shown, and is the rarest shared term listed first?"""
    hits = sample_index.search("我们想要解决注塑件缩痕漏检，有没有办法", 3)
    terms = [t for h in hits for t in h.matched_terms]
    assert terms and not {"我们", "想要", "有没有", "办法"} & set(terms)
    assert all(len(t) > 1 for t in terms)
    for hit in hits:
        idfs = [sample_index.lexical.idf(t) for t in hit.matched_terms]
        assert idfs == sorted(idfs, reverse=True)


def test_english_queries_show_their_shared_terms(sample_index):
    """Does an English query list the English terms it shares with the listing, without "for"/"with"?"""
    best = sample_index.search("edge box with RTX 4060 for surface defect detection", 3)
    terms = {t for h in best for t in h.matched_terms}
    assert "rtx4060" in terms or "4060" in terms
    assert not {"for", "with"} & terms


def test_expansion_adds_scenario_terms_weighted_by_probability():
    """Does the expanded query keep its own terms at 1 and add a likelier scenario's terms with more weight?"""
    out = expansion_terms(["空压机"], {"e": ["能耗", "节能"], "q": ["质检"]}, [("e", 0.8), ("q", 0.2)], 0.5)
    assert out["空压机"] == 1.0
    assert out["能耗"] > out["质检"] > 0
    assert expansion_terms(["空压机"], {"e": ["能耗"]}, [("e", 1.0)], 0.0) == {"空压机": 1.0}


def test_neighbour_votes_and_rocchio_are_well_formed():
    """Are neighbour votes a distribution favouring the closest, and a Rocchio vector unit length?"""
    import numpy as np

    dist = neighbour_distribution([("a", 0.9), ("b", 0.85), ("a", 0.8)], 0.05)
    assert sum(dist.values()) == pytest.approx(1.0) and dist["a"] > dist["b"]
    vec = np.array([1.0, 0.0], dtype=np.float32)
    moved = rocchio(vec, np.array([[0.0, 1.0]], dtype=np.float32), 0.3)
    assert np.linalg.norm(moved) == pytest.approx(1.0) and moved[1] > 0


def test_unknown_ranking_options_are_refused():
    """Is a misspelt lever an error rather than silently ignored?"""
    with pytest.raises(ValueError):
        RankingOptions().updated({"expanson": 1.0})
    with pytest.raises(ValueError):
        RankingOptions(order="random")
