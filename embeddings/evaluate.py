"""Retrieval quality: Recall@k, MRR and nDCG@k over a labelled set, for lexical, dense and hybrid.

Relevance grades are 1 (related) or 2 (what the query asks for). Recall and MRR count only grade-2
documents as relevant; nDCG uses the grades themselves as gains. `evaluate_corpus` is the same
code path as the command line:

    python -m embeddings.evaluate --corpus CORPUS.jsonl --queries QUERIES.jsonl [--backend e5]
        [--model-path DIR] [--weights dense=0.6,lexical=0.4] [--json]
        [--scenarios SCENARIOS.json [--query-scenarios] [--scenario-boost 0.15]]

Corpus lines are {"id", "text"[, "scenario"]}; query lines {"id", "text", "relevant": {doc: grade}
[, "scenario"]}. With --scenarios ({code: description}) the hybrid run re-ranks by scenario
agreement, predicting each query's scenario unless --query-scenarios uses the query's own code.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .defaults import DEFAULT_BACKEND, DEFAULT_SCENARIO_BOOST
from .encoder import Encoder, load_encoder
from .hybrid import HybridIndex

METRICS = ("recall@5", "recall@10", "mrr", "ndcg@10")
SYSTEMS = ("lexical", "dense", "hybrid")


def _strict(relevant: Mapping[str, int]) -> set[str]:
    """Documents of grade 2."""
    return {d for d, g in relevant.items() if int(g) >= 2}


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float | None:
    """Share of grade-2 documents found in the top k (None if the query has none)."""
    strict = _strict(relevant)
    if not strict:
        return None
    return len(strict & set(ranked[:k])) / len(strict)


def mrr(ranked: Sequence[str], relevant: Mapping[str, int]) -> float | None:
    """Reciprocal rank of the first grade-2 document (0 if absent, None if the query has none)."""
    strict = _strict(relevant)
    if not strict:
        return None
    for rank, doc_id in enumerate(ranked, start=1):
        if doc_id in strict:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float | None:
    """nDCG@k with the grades as gains and a log2(rank + 1) discount (None without judgements)."""
    gains = sorted((int(g) for g in relevant.values() if int(g) > 0), reverse=True)
    if not gains:
        return None
    dcg = sum(int(relevant.get(d, 0)) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    return dcg / ideal


def score_run(run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]) -> dict[str, float]:
    """Mean of each metric over the queries where it is defined."""
    values: dict[str, list[float]] = {m: [] for m in METRICS}
    for qid, relevant in qrels.items():
        ranked = list(run.get(qid, []))
        for name, value in (("recall@5", recall_at_k(ranked, relevant, 5)),
                            ("recall@10", recall_at_k(ranked, relevant, 10)),
                            ("mrr", mrr(ranked, relevant)),
                            ("ndcg@10", ndcg_at_k(ranked, relevant, 10))):
            if value is not None:
                values[name].append(value)
    return {m: (sum(v) / len(v) if v else 0.0) for m, v in values.items()}


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON-lines file, skipping blank lines."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_index(corpus: Iterable[Mapping[str, Any]], encoder: Encoder, weights: Mapping[str, float] | None = None,
                scenarios: Mapping[str, str] | None = None,
                scenario_boost: float = DEFAULT_SCENARIO_BOOST) -> HybridIndex:
    """An in-memory HybridIndex over corpus rows {"id", "text"[, "scenario"]}."""
    index = HybridIndex(encoder, None, weights=weights, scenarios=scenarios, scenario_boost=scenario_boost)
    index.upsert_many([{"id": r["id"], "text": r["text"], "scenario": r.get("scenario")} for r in corpus])
    return index


def run_queries(index: HybridIndex, queries: Sequence[Mapping[str, Any]], k: int = 10,
                use_query_scenario: bool = False) -> dict[str, dict[str, list[str]]]:
    """Rank every query with each system; returns {system: {query id: [doc ids]}}."""
    runs: dict[str, dict[str, list[str]]] = {s: {} for s in SYSTEMS}
    for q in queries:
        text = q["text"]
        qvec = index.encoder.query([text])[0]
        runs["lexical"][q["id"]] = [d for d, _ in index.lexical.search(text, k)]
        runs["dense"][q["id"]] = [d for d, _ in index.vector.search(qvec, k)]
        scenario = q.get("scenario") if use_query_scenario else None
        runs["hybrid"][q["id"]] = [h.doc_id for h in index.search(text, k, scenario=scenario)]
    return runs


def evaluate_corpus(corpus: Sequence[Mapping[str, Any]], queries: Sequence[Mapping[str, Any]], encoder: Encoder,
                    weights: Mapping[str, float] | None = None, scenarios: Mapping[str, str] | None = None,
                    scenario_boost: float = DEFAULT_SCENARIO_BOOST,
                    use_query_scenario: bool = False) -> dict[str, dict[str, float]]:
    """Build the indexes over `corpus` and return {system: {metric: value}} for the queries."""
    index = build_index(corpus, encoder, weights, scenarios, scenario_boost)
    runs = run_queries(index, queries, use_query_scenario=use_query_scenario)
    qrels = {q["id"]: {str(d): int(g) for d, g in q.get("relevant", {}).items()} for q in queries}
    return {system: score_run(runs[system], qrels) for system in SYSTEMS}


def format_table(results: Mapping[str, Mapping[str, float]]) -> str:
    """Render results as a fixed-width table."""
    lines = [f"{'system':<10}" + "".join(f"{m:>11}" for m in METRICS)]
    for system, row in results.items():
        lines.append(f"{system:<10}" + "".join(f"{row[m]:>11.3f}" for m in METRICS))
    return "\n".join(lines)


def parse_weights(text: str | None) -> dict[str, float] | None:
    """Parse "dense=0.6,lexical=0.4" into a dict."""
    if not text:
        return None
    out = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if name.strip() not in ("dense", "lexical") or not value:
            raise argparse.ArgumentTypeError(f"bad weight {part!r}; use dense=W,lexical=W")
        out[name.strip()] = float(value)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; prints a table, or JSON with --json."""
    parser = argparse.ArgumentParser(prog="python -m embeddings.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", required=True, help="JSONL with id, text[, scenario]")
    parser.add_argument("--queries", required=True, help="JSONL with id, text, relevant {doc: grade}")
    parser.add_argument("--backend", default=DEFAULT_BACKEND, help="e5, use or sentence-transformers")
    parser.add_argument("--model-path", default=None, help="sentence-transformers model directory")
    parser.add_argument("--weights", type=parse_weights, default=None, help="e.g. dense=0.6,lexical=0.4")
    parser.add_argument("--scenarios", default=None, help="JSON {code: description} for scenario re-ranking")
    parser.add_argument("--scenario-boost", type=float, default=DEFAULT_SCENARIO_BOOST)
    parser.add_argument("--query-scenarios", action="store_true",
                        help="use each query's own \"scenario\" code instead of predicting it")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    encoder = load_encoder(args.backend, args.model_path)
    scenarios = json.loads(Path(args.scenarios).read_text(encoding="utf-8")) if args.scenarios else None
    results = evaluate_corpus(read_jsonl(args.corpus), read_jsonl(args.queries), encoder,
                              weights=args.weights, scenarios=scenarios, scenario_boost=args.scenario_boost,
                              use_query_scenario=args.query_scenarios)
    if args.json:
        print(json.dumps(results, sort_keys=True))
    else:
        print(f"backend={encoder.backend} model={encoder.model_id}")
        print(format_table(results))
        print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
