"""Fit the calibrated relevance (`calibration.py`) on labelled queries and report how honest it is.

    python -m embeddings.calibrate --corpus CORPUS.jsonl --scenarios SCENARIOS.json
        --queries QUERIES.jsonl [--queries MORE.jsonl] --out-of-domain OOD.jsonl
        [--backend e5] [--depth 20] [--folds 5] [--output embeddings/calibration.json]

Every query is searched with the index as the app builds it; each of its top `depth` hits is one
example, relevant when its scenario-level grade is ≥ 1 (the document is in one of the query's scenarios
or labelled for it). Out-of-domain queries are all-negative examples; every fourth of them is kept out
of fitting (their ids are stored) so a test can check held-out ones. A logistic regression over the
features in `calibration.FEATURES` is fitted (a feature whose coefficient comes out negative where more
must mean not less relevant is dropped and the model refitted). The reliability table, Brier score and
ECE come from out-of-fold predictions with folds grouped by query, so no query grades itself. The
floor and the label thresholds are chosen on those predictions by precision (see THRESHOLD_PRECISION).
Needs scikit-learn (fitting only; the app applies the stored coefficients with plain arithmetic).
"""
from __future__ import annotations

import argparse
import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .calibration import (
    DEFAULT_PATH,
    ENCODER_FREE,
    FALLBACK_KEY,
    FEATURES,
    GATE_FEATURES,
    HIT_FEATURES,
    Calibrator,
    feature_row,
    features,
)
from .defaults import DEFAULT_BACKEND
from .encoder import Encoder, load_encoder
from .evaluate import build_index, codes_of, read_jsonl, scenario_qrels
from .hybrid import AUX_FOR, HybridIndex, load_aux_encoder
from .vectorcache import DEFAULT_CACHE_DIR, CachedEncoder

MONOTONE = ("dense", "lexical", "agreement", "nearest", "domain", "aux_nearest", "aux")
THRESHOLD_PRECISION = {"floor": 0.5, "related": 0.75, "high": 0.85}
"""The precision each label must reach on held-out predictions: the floor (可能相关), 相关 and 高度相关; each
label's threshold also lies above the one before it, so the three labels stay three."""
BINS = 10
OUT_OF_DOMAIN_SHARE = 0.05
"""Every threshold is at least high enough that at most this share of out-of-domain queries (out of fold)
has a hit above it: the floor means "nothing here" for a question about something else."""


def collect(index: HybridIndex, queries: Sequence[Mapping[str, Any]], corpus_scenarios: Mapping[str, list[str]],
            depth: int, negative: bool = False) -> tuple[list[list[float]], list[int], list[str]]:
    """Feature rows, labels and query ids of the top `depth` hits of each query."""
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[str] = []
    vectors = index.encoder.query([q["text"] for q in queries])
    for q, qvec in zip(queries, vectors, strict=True):
        grades = {} if negative else scenario_qrels(q, corpus_scenarios)
        a = index.analyse(q["text"], query_vector=qvec)
        hits = index.search(q["text"], depth, analysis=a)
        aux = index.aux_cosines([h.doc_id for h in hits], a.aux_vector)
        for i, hit in enumerate(hits):
            aux_cos = float(aux[i]) if aux is not None else None
            rows.append(feature_row(features(hit.dense_score, hit.lexical_share, hit.scenario_agreement, a, aux_cos)))
            labels.append(int(grades.get(hit.doc_id, 0) >= 1))
            groups.append(str(q["id"]))
    return rows, labels, groups


def fit(x: npt.NDArray[np.float64], y: npt.NDArray[np.int64], names: Sequence[str],
        balanced: bool = False) -> tuple[list[str], Any]:
    """Logistic regression on the named columns, dropping features that come out non-monotone."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    keep = list(names)
    while True:
        cols = [FEATURES.index(n) for n in keep]
        model = LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced" if balanced else None)
        model.fit(x[:, cols], y)
        bad = [n for n, c in zip(keep, model.coef_[0], strict=True) if n in MONOTONE and c < 0]
        if not bad:
            return keep, model
        keep.remove(bad[0])


def fit_calibrator(x: npt.NDArray[np.float64], y: npt.NDArray[np.int64], in_domain: npt.NDArray[np.int64],
                   groups: Sequence[str], names: Sequence[str], gate: Sequence[str], key: str) -> Calibrator:
    """The hit model on in-domain queries' hits, and (with `gate` names) the query-level in-domain gate."""
    mask = in_domain == 1
    keep, model = fit(x[mask], y[mask], names)
    gate_keep: list[str] = []
    gate_coef: tuple[float, ...] = ()
    gate_intercept = 0.0
    if gate and not mask.all():
        first = np.array([i == 0 or groups[i] != groups[i - 1] for i in range(len(groups))])
        gate_keep, gate_model = fit(x[first], in_domain[first], gate, balanced=True)
        gate_coef, gate_intercept = tuple(float(c) for c in gate_model.coef_[0]), float(gate_model.intercept_[0])
    return Calibrator(tuple(keep), tuple(float(c) for c in model.coef_[0]), float(model.intercept_[0]),
                      source=key, gate_features=tuple(gate_keep), gate_coef=gate_coef, gate_intercept=gate_intercept)


def predict_rows(calibrator: Calibrator, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The calibrator applied to feature rows (ordered as FEATURES)."""
    return np.array([calibrator.predict(dict(zip(FEATURES, row, strict=True))) for row in x.tolist()])


def out_of_fold(x: npt.NDArray[np.float64], y: npt.NDArray[np.int64], in_domain: npt.NDArray[np.int64],
                groups: Sequence[str], names: Sequence[str], gate: Sequence[str],
                folds: int) -> npt.NDArray[np.float64]:
    """Predictions for every example from models fitted without its query."""
    from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]

    pred = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
        calibrator = fit_calibrator(x[train], y[train], in_domain[train], [groups[i] for i in train], names, gate, "")
        pred[test] = predict_rows(calibrator, x[test])
    return pred


def reliability(pred: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> tuple[list[dict[str, float]], float, float]:
    """Rows (bin, count, mean predicted, observed share), the Brier score and the ECE."""
    rows = []
    ece = 0.0
    for b in range(BINS):
        lo, hi = b / BINS, (b + 1) / BINS
        mask = (pred >= lo) & ((pred < hi) if b < BINS - 1 else (pred <= hi))
        n = int(mask.sum())
        if n:
            mean_p, share = float(pred[mask].mean()), float(y[mask].mean())
            ece += n / len(y) * abs(mean_p - share)
            rows.append({"lo": lo, "hi": hi, "count": n, "predicted": mean_p, "observed": share})
    return rows, float(np.mean((pred - y) ** 2)), ece


def threshold_for(pred: npt.NDArray[np.float64], y: npt.NDArray[np.int64], precision: float,
                  at_least: float = 0.0) -> dict[str, float]:
    """The lowest threshold ≥ `at_least` whose results above it reach `precision`, with precision and recall."""
    total = max(1, int(y.sum()))
    for t in np.round(np.arange(max(0.05, np.ceil(at_least * 100) / 100), 0.96, 0.01), 2):
        above = pred >= t
        if above.sum() == 0:
            break
        p = float(y[above].mean())
        if p >= precision:
            return {"threshold": float(t), "precision": p, "recall": float(y[above].sum() / total)}
    return {"threshold": 0.95, "precision": float(y[pred >= 0.95].mean()) if (pred >= 0.95).any() else 0.0,
            "recall": float(y[pred >= 0.95].sum() / total)}


def calibrate(index: HybridIndex, corpus: Sequence[Mapping[str, Any]],
              query_sets: Sequence[Sequence[Mapping[str, Any]]], ood: Sequence[Mapping[str, Any]],
              depth: int, folds: int) -> dict[str, Any]:
    """Fit the backend's model and the encoder-free fallback; returns the report and the stored entries."""
    corpus_scenarios = {str(r["id"]): codes_of(r.get("scenario")) for r in corpus}
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[str] = []
    for queries in query_sets:
        graded = [q for q in queries if codes_of(q.get("scenario")) or q.get("relevant")]
        r, lab, g = collect(index, graded, corpus_scenarios, depth)
        rows, labels, groups = rows + r, labels + lab, groups + g
    in_domain = [1] * len(rows)
    held_out = [str(q["id"]) for i, q in enumerate(ood) if i % 4 == 3]
    train_ood = [q for q in ood if str(q["id"]) not in held_out]
    r, lab, g = collect(index, train_ood, corpus_scenarios, depth, negative=True)
    rows, labels, groups, in_domain = rows + r, labels + lab, groups + g, in_domain + [0] * len(r)
    x, y = np.asarray(rows, dtype=np.float64), np.asarray(labels, dtype=np.int64)
    dom = np.asarray(in_domain, dtype=np.int64)
    report: dict[str, Any] = {"examples": len(y), "relevant": int(y.sum()), "queries": len(set(groups)),
                              "held_out_out_of_domain": held_out, "models": {}, "quality": {}}
    gate = [n for n in GATE_FEATURES if n != "aux_nearest" or index.backend.has_aux]
    hit_names = [n for n in HIT_FEATURES if n != "aux" or index.backend.has_aux]
    for key, names, gate_names in ((index.encoder.backend, hit_names, gate), (FALLBACK_KEY, ENCODER_FREE, [])):
        pred = out_of_fold(x, y, dom, groups, names, gate_names, folds)
        table, brier, ece = reliability(pred, y)
        ood_top = np.array([float(pred[[i for i, gr in enumerate(groups) if gr == q]].max()) for q in
                            dict.fromkeys(gr for gr, d in zip(groups, in_domain, strict=True) if not d)])
        quiet = float(np.quantile(ood_top, 1.0 - OUT_OF_DOMAIN_SHARE)) + 0.01 if len(ood_top) else 0.0
        thresholds: dict[str, dict[str, float]] = {}
        at_least = quiet
        for name, precision in THRESHOLD_PRECISION.items():  # floor, then related, then high
            thresholds[name] = threshold_for(pred, y, precision, at_least)
            at_least = thresholds[name]["threshold"] + 0.01
        calibrator = fit_calibrator(x, y, dom, groups, names, gate_names, key)
        calibrator.floor = thresholds["floor"]["threshold"]
        calibrator.labels = {"high": thresholds["high"]["threshold"], "related": thresholds["related"]["threshold"]}
        report["models"][key] = calibrator.as_dict()
        report["quality"][key] = {"brier": brier, "ece": ece, "reliability": table, "thresholds": thresholds,
                                  "out_of_domain_above_floor": float((ood_top >= calibrator.floor).mean())
                                  if len(ood_top) else 0.0}
    return report


def format_report(report: Mapping[str, Any]) -> str:
    """The reliability tables and thresholds as text."""
    lines = [f"{report['examples']} examples ({report['relevant']} relevant) from {report['queries']} queries; "
             f"out-of-fold predictions, folds grouped by query"]
    for key, quality in report["quality"].items():
        model = report["models"][key]
        lines.append(f"\n== {key}: features {', '.join(model['features'])}  "
                     f"Brier {quality['brier']:.3f}  ECE {quality['ece']:.3f}")
        lines.append(f"{'bin':<12}{'count':>7}{'predicted':>11}{'observed':>10}")
        for row in quality["reliability"]:
            lines.append(f"{row['lo']:.1f}–{row['hi']:.1f}    {row['count']:>7}{row['predicted']:>11.3f}"
                         f"{row['observed']:>10.3f}")
        share = quality["out_of_domain_above_floor"]
        lines.append(f"out-of-domain queries (out of fold) with a hit ≥ floor: {share:.3f}")
        for name, t in quality["thresholds"].items():
            lines.append(f"{name:<8} ≥ {t['threshold']:.2f}  precision {t['precision']:.3f}  recall {t['recall']:.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: fit, print the report, write the coefficients."""
    parser = argparse.ArgumentParser(prog="python -m embeddings.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--scenarios", required=True)
    parser.add_argument("--queries", required=True, action="append")
    parser.add_argument("--out-of-domain", required=True)
    parser.add_argument("--backend", default=DEFAULT_BACKEND)
    parser.add_argument("--depth", type=int, default=20)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", default=str(DEFAULT_CACHE_DIR))
    parser.add_argument("--output", default=str(DEFAULT_PATH))
    args = parser.parse_args(argv)

    started = time.perf_counter()
    encoder: Encoder = CachedEncoder(load_encoder(args.backend), args.cache)
    aux = CachedEncoder(load_aux_encoder(), args.cache) if encoder.backend in AUX_FOR else None
    corpus = read_jsonl(args.corpus)
    scenarios = json.loads(Path(args.scenarios).read_text(encoding="utf-8"))
    index = build_index(corpus, encoder, scenarios=scenarios, aux_encoder=aux)
    report = calibrate(index, corpus, [read_jsonl(p) for p in args.queries], read_jsonl(args.out_of_domain),
                       args.depth, args.folds)
    for enc in (encoder, aux):
        if isinstance(enc, CachedEncoder):
            enc.save()
    path = Path(args.output)
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    stored.setdefault("models", {}).update(report["models"])
    stored.setdefault("quality", {}).update(report["quality"])
    stored["held_out_out_of_domain"] = report["held_out_out_of_domain"]
    stored["fitted_on"] = {"queries": [Path(p).name for p in args.queries],
                           "out_of_domain": Path(args.out_of_domain).name, "examples": report["examples"],
                           "relevant": report["relevant"], "depth": args.depth}
    path.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(format_report(report))
    print(f"\nwrote {path} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
