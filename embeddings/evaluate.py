"""Retrieval quality: Recall@k, MRR and nDCG@k over labelled sets, for lexical, dense and hybrid.

Two gradings. Item level: the query's own labels, 1 (related) or 2 (what the query asks for); Recall
and MRR count grade-2 documents, nDCG uses the grades as gains. Scenario level (grading like an SME
who wants anything in the right scenario): every corpus document whose scenario is one of the query's
`"scenario"` codes gets grade 1 unless labelled higher; Recall and MRR then count grade ≥ 1.
`evaluate_corpus` is the same code path as the command line:

    python -m embeddings.evaluate --corpus CORPUS.jsonl --queries QUERIES.jsonl [--queries MORE.jsonl]
        [--grading item|scenario|both] [--out-of-domain OOD.jsonl] [--backend e5] [--model-path DIR]
        [--weights dense=0.6,lexical=0.4] [--scenarios SCENARIOS.json [--query-scenarios]
        [--scenario-boost 0.15]] [--variant NAME:lever=value,...] [--cache DIR | --no-cache] [--json]

Corpus lines are {"id", "text"[, "scenario"]}; query lines {"id", "text"[, "relevant": {doc: grade}]
[, "scenario": code or [codes]]}. The hybrid system is the index exactly as the app builds it (the
defaults in `defaults.py`); with --scenarios ({code: description}) it re-ranks by scenario agreement,
predicting each query's scenario unless --query-scenarios uses the query's own code. `--variant`
adds a hybrid run with some ranking levers changed (names of `RankingOptions`, plus `aux` to add the
USE encoder's list). The out-of-domain check reports the share of queries (which nothing should
match) with any result at or above the calibrated floor. Encoded vectors are cached on disk
(default `artifacts/vector-cache`) so repeated runs do not re-encode.
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

from .defaults import DEFAULT_BACKEND, DEFAULT_OPTIONS, DEFAULT_SCENARIO_BOOST
from .encoder import Encoder, load_encoder
from .hybrid import AUTO, AUX_FOR, HybridIndex, load_aux_encoder
from .text import tokenize
from .vectorcache import DEFAULT_CACHE_DIR, CachedEncoder

METRICS = ("recall@5", "recall@10", "mrr", "ndcg@10")
SYSTEMS = ("lexical", "dense", "hybrid")
GRADINGS = ("item", "scenario")


def _strict(relevant: Mapping[str, int], min_grade: int = 2) -> set[str]:
    """Documents of at least `min_grade`."""
    return {d for d, g in relevant.items() if int(g) >= min_grade}


def recall_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int, min_grade: int = 2) -> float | None:
    """Share of documents of grade ≥ min_grade found in the top k (None if the query has none)."""
    strict = _strict(relevant, min_grade)
    if not strict:
        return None
    return len(strict & set(ranked[:k])) / len(strict)


def mrr(ranked: Sequence[str], relevant: Mapping[str, int], min_grade: int = 2) -> float | None:
    """Reciprocal rank of the first document of grade ≥ min_grade (0 if absent, None if there is none)."""
    strict = _strict(relevant, min_grade)
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


def score_run(run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]],
              min_grade: int = 2) -> dict[str, float]:
    """Mean of each metric over the queries where it is defined."""
    values: dict[str, list[float]] = {m: [] for m in METRICS}
    for qid, relevant in qrels.items():
        ranked = list(run.get(qid, []))
        for name, value in (("recall@5", recall_at_k(ranked, relevant, 5, min_grade)),
                            ("recall@10", recall_at_k(ranked, relevant, 10, min_grade)),
                            ("mrr", mrr(ranked, relevant, min_grade)),
                            ("ndcg@10", ndcg_at_k(ranked, relevant, 10))):
            if value is not None:
                values[name].append(value)
    return {m: (sum(v) / len(v) if v else 0.0) for m, v in values.items()}


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON-lines file, skipping blank lines."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def codes_of(value: object) -> list[str]:
    """Scenario codes of a query or document field: a code, a list of codes, or nothing."""
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v]
    return []


def first_code(value: object) -> str | None:
    """The first scenario code of a field (the one an index keeps per document), or None."""
    codes = codes_of(value)
    return codes[0] if codes else None


def item_qrels(query: Mapping[str, Any]) -> dict[str, int]:
    """The query's own labels {doc: grade}."""
    return {str(d): int(g) for d, g in dict(query.get("relevant") or {}).items()}


def scenario_qrels(query: Mapping[str, Any], doc_scenarios: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Grade 1 for every document in one of the query's scenarios, unless its own label is higher."""
    wanted = set(codes_of(query.get("scenario")))
    grades = {d: 1 for d, codes in doc_scenarios.items() if wanted & set(codes)} if wanted else {}
    for doc_id, grade in item_qrels(query).items():
        grades[doc_id] = max(grade, grades.get(doc_id, 0))
    return grades


def qrels_for(queries: Sequence[Mapping[str, Any]], corpus: Sequence[Mapping[str, Any]],
              grading: str) -> dict[str, dict[str, int]]:
    """{query id: grades} for the queries that can be graded that way (others are left out)."""
    if grading == "item":
        return {q["id"]: g for q in queries if (g := item_qrels(q))}
    doc_scenarios = {str(r["id"]): codes_of(r.get("scenario")) for r in corpus}
    return {q["id"]: g for q in queries if codes_of(q.get("scenario")) and (g := scenario_qrels(q, doc_scenarios))}


def parse_variant(text: str) -> tuple[str, dict[str, Any]]:
    """Parse "NAME:lever=value,lever=value" into (name, {lever: value}) with numbers and booleans read."""
    name, _, body = text.partition(":")
    if not name or not body:
        raise argparse.ArgumentTypeError(f"bad variant {text!r}; use NAME:lever=value,...")
    out: dict[str, Any] = {}
    for part in body.split(","):
        key, _, raw = part.partition("=")
        value: Any = raw.strip()
        if value.lower() in ("true", "false"):
            value = value.lower() == "true"
        else:
            try:
                value = int(value)
            except ValueError:
                try:
                    value = float(value)
                except ValueError:
                    pass
        out[key.strip()] = value
    return name.strip(), out


def build_index(corpus: Iterable[Mapping[str, Any]], encoder: Encoder, weights: Mapping[str, float] | None = None,
                scenarios: Mapping[str, str] | None = None,
                scenario_boost: float = DEFAULT_SCENARIO_BOOST,
                aux_encoder: Encoder | str | None = AUTO) -> HybridIndex:
    """An in-memory HybridIndex over corpus rows {"id", "text"[, "scenario"]}, built as the app builds it."""
    index = HybridIndex(encoder, None, weights=weights, scenarios=scenarios, scenario_boost=scenario_boost,
                        aux_encoder=aux_encoder)
    index.upsert_many([{"id": r["id"], "text": r["text"], "scenario": first_code(r.get("scenario"))}
                       for r in corpus])
    return index


def run_queries(index: HybridIndex, queries: Sequence[Mapping[str, Any]], k: int = 10,
                use_query_scenario: bool = False,
                variants: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, dict[str, list[str]]]:
    """Rank every query with each system (and variant); returns {system: {query id: [doc ids]}}."""
    variants = variants or {}
    runs: dict[str, dict[str, list[str]]] = {s: {} for s in (*SYSTEMS, *variants)}
    vectors = index.encoder.query([q["text"] for q in queries])
    for q, qvec in zip(queries, vectors, strict=True):
        text = q["text"]
        runs["lexical"][q["id"]] = [d for d, _ in index.backend.lexical(dict.fromkeys(tokenize(text), 1.0), k)]
        runs["dense"][q["id"]] = [d for d, _ in index.backend.dense(qvec, k)]
        scenario = first_code(q.get("scenario")) if use_query_scenario else None
        runs["hybrid"][q["id"]] = [h.doc_id for h in index.search(text, k, scenario=scenario, query_vector=qvec)]
        for name, overrides in variants.items():
            hits = index.search(text, k, scenario=scenario, query_vector=qvec, options=overrides)
            runs[name][q["id"]] = [h.doc_id for h in hits]
    return runs


def evaluate_corpus(corpus: Sequence[Mapping[str, Any]], queries: Sequence[Mapping[str, Any]], encoder: Encoder,
                    weights: Mapping[str, float] | None = None, scenarios: Mapping[str, str] | None = None,
                    scenario_boost: float = DEFAULT_SCENARIO_BOOST,
                    use_query_scenario: bool = False, grading: str = "item",
                    variants: Mapping[str, Mapping[str, Any]] | None = None,
                    index: HybridIndex | None = None) -> dict[str, dict[str, float]]:
    """Build the indexes over `corpus` (unless given) and return {system: {metric: value}} for the queries."""
    index = index or build_index(corpus, encoder, weights, scenarios, scenario_boost)
    qrels = qrels_for(queries, corpus, grading)
    graded = [q for q in queries if q["id"] in qrels]
    runs = run_queries(index, graded, use_query_scenario=use_query_scenario, variants=variants)
    min_grade = 2 if grading == "item" else 1
    return {system: score_run(runs[system], qrels, min_grade) for system in runs}


def out_of_domain(index: HybridIndex, queries: Sequence[Mapping[str, Any]], k: int = 10,
                  variants: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, dict[str, float]]:
    """For hybrid (and variants): share of queries with a result at or above the floor, and mean top relevance."""
    floor = index.calibrator.floor
    out: dict[str, dict[str, float]] = {}
    vectors = index.encoder.query([q["text"] for q in queries])
    for name, overrides in {"hybrid": {}, **(variants or {})}.items():
        above, tops = 0, []
        for q, qvec in zip(queries, vectors, strict=True):
            hits = index.search(q["text"], k, query_vector=qvec, options=overrides)
            best = max((h.relevance for h in hits), default=0.0)
            tops.append(best)
            above += best >= floor
        n = max(1, len(queries))
        out[name] = {"share_above_floor": above / n, "mean_top_relevance": sum(tops) / n, "floor": floor}
    return out


def format_table(results: Mapping[str, Mapping[str, float]]) -> str:
    """Render results as a fixed-width table."""
    width = max(10, *(len(s) + 1 for s in results))
    lines = [f"{'system':<{width}}" + "".join(f"{m:>11}" for m in METRICS)]
    for system, row in results.items():
        lines.append(f"{system:<{width}}" + "".join(f"{row[m]:>11.3f}" for m in METRICS))
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
    """Command-line entry point; prints tables, or JSON with --json."""
    parser = argparse.ArgumentParser(prog="python -m embeddings.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", required=True, help="JSONL with id, text[, scenario]")
    parser.add_argument("--queries", required=True, action="append",
                        help="JSONL with id, text[, relevant {doc: grade}][, scenario]; repeat for more sets")
    parser.add_argument("--grading", choices=(*GRADINGS, "both"), default="item",
                        help="item labels, scenario-level grades, or both (each where the queries allow)")
    parser.add_argument("--out-of-domain", default=None, help="JSONL of queries nothing should match")
    parser.add_argument("--backend", default=DEFAULT_BACKEND, help="e5, use or sentence-transformers")
    parser.add_argument("--model-path", default=None, help="sentence-transformers model directory")
    parser.add_argument("--weights", type=parse_weights, default=None, help="e.g. dense=0.6,lexical=0.4")
    parser.add_argument("--scenarios", default=None, help="JSON {code: description} for scenario re-ranking")
    parser.add_argument("--scenario-boost", type=float, default=DEFAULT_SCENARIO_BOOST)
    parser.add_argument("--query-scenarios", action="store_true",
                        help="use each query's own \"scenario\" code instead of predicting it")
    parser.add_argument("--variant", type=parse_variant, action="append", default=[],
                        help="extra hybrid run NAME:lever=value,... (levers of RankingOptions)")
    parser.add_argument("--cache", default=str(DEFAULT_CACHE_DIR), help="folder for cached vectors")
    parser.add_argument("--no-cache", action="store_true", help="encode everything afresh, cache nothing")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    encoder: Encoder = load_encoder(args.backend, args.model_path)
    variants = dict(args.variant)
    wants_aux = DEFAULT_OPTIONS.aux_weight > 0 or any(float(v.get("aux_weight", 0) or 0) > 0
                                                      for v in variants.values())
    aux: Encoder | None = load_aux_encoder() if wants_aux and encoder.backend in AUX_FOR else None
    if not args.no_cache:
        encoder = CachedEncoder(encoder, args.cache)
        aux = CachedEncoder(aux, args.cache) if aux is not None else None
    scenarios = json.loads(Path(args.scenarios).read_text(encoding="utf-8")) if args.scenarios else None
    corpus = read_jsonl(args.corpus)
    index = build_index(corpus, encoder, args.weights, scenarios, args.scenario_boost, aux)
    gradings = GRADINGS if args.grading == "both" else (args.grading,)
    sections: dict[str, dict[str, dict[str, float]]] = {}
    for path in args.queries:
        queries = read_jsonl(path)
        for grading in gradings:
            if not qrels_for(queries, corpus, grading):
                continue
            sections[f"{Path(path).stem} [{grading}]"] = evaluate_corpus(
                corpus, queries, encoder, grading=grading, use_query_scenario=args.query_scenarios,
                variants=variants, index=index)
    ood = out_of_domain(index, read_jsonl(args.out_of_domain), variants=variants) if args.out_of_domain else None
    for enc in (encoder, aux):
        if isinstance(enc, CachedEncoder):
            enc.save()
    if args.json:
        if len(sections) == 1 and ood is None:
            print(json.dumps(next(iter(sections.values())), sort_keys=True))
        else:
            print(json.dumps({**sections, **({"out_of_domain": ood} if ood else {})}, sort_keys=True))
        return 0
    print(f"backend={encoder.backend} model={encoder.model_id}")
    for label, results in sections.items():
        print(f"\n== {label}")
        print(format_table(results))
    if ood is not None:
        print(f"\n== out of domain ({args.out_of_domain}): share of queries with a result ≥ floor")
        for name, row in ood.items():
            print(f"{name:<12} floor {row['floor']:.2f}  above floor {row['share_above_floor']:.3f}  "
                  f"mean top relevance {row['mean_top_relevance']:.3f}")
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
