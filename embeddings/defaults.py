"""Defaults chosen by measurement on this machine class (2 CPU cores), with the figures behind them.

Measured with `python -m embeddings.evaluate` on two labelled sets: the project's relevance set
(94 hand-written SME queries, 395 graded pairs, against the 165 seed listings: providers, models,
offerings, cases) and the small sample set in tests/embeddings/data (32 listings, 35 queries).

Backend — seed set, dense retrieval alone (Recall@5 / MRR / nDCG@10, query encode time):
    e5 (multilingual-e5-small, 4-bit)  0.873 / 0.954 / 0.865   ~15-40 ms
    use (USE multilingual v3)          0.816 / 0.920 / 0.812   ~2-5 ms
    MiniLM (English-only)              0.255 / 0.301 / 0.240   never a default for Chinese text
e5 wins clearly on the larger set (on the 35-query sample set the two are within one query of each
other) and its query cost fits the 50 ms search budget, so it is the default. Its price is bulk
encoding: roughly 2-25 passages/s depending on length, against ~90-600/s for USE; choose "use"
where re-embedding a large catalogue quickly matters more than the last few points of recall.

Fusion weights — seed set, hybrid with e5 (BM25 alone: 0.905 / 0.940 / 0.887):
    dense 0.4 / lexical 0.6   0.935 / 0.973 / 0.926
    dense 0.5 / lexical 0.5   0.935 / 0.984 / 0.926
    dense 0.6 / lexical 0.4   0.933 / 0.982 / 0.929   <- default
    dense 0.7 / lexical 0.3   0.933 / 0.972 / 0.922
The optimum is flat between 0.4 and 0.6 on both sets; 0.6 has the best nDCG@10 and leans on the
dense side, which carries paraphrased queries that share no words with the listing.

Scenario boost (share of the final score given to scenario agreement):
    taxonomy scenario given for the query (a need or listing with its code), sample set:
        boost 0 → 0.952 / 0.964 / 0.906;  boost 0.15 → 0.976 / 0.986 / 0.935   <- default 0.15
    scenario predicted from free text (top-1 accuracy ~0.77), seed set:
        boost 0 → 0.933 / 0.982 / 0.929;  0.05 → 0.933 / 0.982 / 0.930;  0.1 → 0.941 / 0.976 / 0.926;
        0.2 → 0.932 / 0.945 / 0.908   → a predicted scenario gets the small boost 0.05
"""
from __future__ import annotations

from .ranking import RankingOptions

DEFAULT_BACKEND = "e5"
DEFAULT_WEIGHTS = {"dense": 0.6, "lexical": 0.4}
DEFAULT_SCENARIO_BOOST = 0.15
PREDICTED_SCENARIO_BOOST = 0.3
DEFAULT_CANDIDATES = 100
DEFAULT_OPTIONS = RankingOptions(expansion=0.3, expansion_scenarios=2, adaptive_boost=False,
                                 neighbour_scenarios=0.8, neighbours=10, prf=0.3, prf_docs=3,
                                 aux_weight=0.4, content_terms=10, order="fusion")
