"""How fast is the matching index at 1k / 10k / 100k listings, and against a naive SQL LIKE scan?

    python -m benchmarks.bench_index [--sizes 1000,10000,100000] [--quick] [--queries N]

Per size it builds the dense index and the lexical index (real jieba tokenisation of synthetic
mixed Chinese/English listings). Listing vectors are mixtures of real embeddings of a few hundred
synthetic listings plus noise, so the 100k build needs no hour of encoding yet has the clustered
shape of real embeddings (uniform random vectors would be a meaningless worst case for HNSW). The
index carries the 40 stand-in scenario descriptions, codes on two thirds of the listings and, for
e5, the USE vectors of the third ranked list (synthetic the same way). It then measures query
latency p50/p95 for dense, lexical and hybrid search with and without query encoding (hybrid also
with its ranking levers off, to show what they cost; "vector given" means the e5 vector: the USE
query encoding, on one thread, is inside), the latency until one edit is visible to
search (upsert with real passage encoding, then a search that finds it), the recall@20 of the dense
index against an exact scan (taking the top 20 of the 100 candidates a hybrid search asks for),
saving and loading the whole index, process memory, and an in-memory SQLite table with the same
rows searched with `LIKE '%term%'`. Encoder throughput is measured once on real text. Ratios
compare results measured in this same run.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from embeddings.defaults import DEFAULT_BACKEND, DEFAULT_OPTIONS
from embeddings.encoder import load_encoder
from embeddings.hybrid import AUX_FOR, HybridIndex, load_aux_encoder
from embeddings.lexical import LexicalIndex
from embeddings.scenarios import ScenarioModel
from embeddings.text import segment
from embeddings.vector import VectorIndex
from marketplace.vocab import scenario_descriptions

LEVERS_OFF = {"expansion": 0.0, "neighbour_scenarios": 0.0, "prf": 0.0, "aux_weight": 0.0, "content_terms": 0}
"""The ranking levers of `defaults.py` switched off, to show what they cost per query."""

CITIES = ["广州", "深圳", "东莞", "佛山", "珠海", "中山", "惠州", "江门", "肇庆", "汕头"]
INDUSTRIES = ["电子信息", "家用电器", "汽车零部件", "注塑模具", "五金制品", "纺织服装", "家具制造",
              "陶瓷建材", "锂电池", "食品饮料", "医疗器械", "印刷包装"]
SCENES = ["视觉质检", "预测性维护", "生产计划排程", "工艺参数优化", "能耗优化", "仓储物流",
          "知识库问答智能体", "安全生产监测", "故障诊断", "需求预测", "数字孪生虚拟调试", "智能分拣"]
OBJECTS = ["PCB 焊点", "注塑件外壳", "锂电池极片", "冲压件", "面料", "瓷砖釉面", "压铸件", "数控机床主轴",
           "空压机", "AGV 小车", "涂布机", "回流焊炉", "CNC 加工中心", "包装产线", "冷站", "窑炉"]
PROBLEMS = ["缺陷漏检率高", "误报率高", "非计划停机频繁", "换线时间长", "能耗偏高", "交期不准", "良率波动",
            "人工成本高", "库位混乱", "报警代码难以排查", "色差返工多", "插单频繁"]
TECH = ["深度学习", "机器视觉", "振动频谱分析", "大模型", "边缘计算", "强化学习", "时序预测", "知识图谱",
        "3D 相机", "数字孪生", "运筹优化", "多模态"]
MODELS = ["FANUC 0i-MF", "西门子 S7-1200", "RTX 4060", "Jetson Orin NX", "ISO 9001", "三菱 FX5U",
          "海康 MV-CA050", "Qwen2.5-7B", "YOLOv8", "ABB IRB 1200", "OPC UA", "Modbus TCP"]
ENGLISH = ["defect detection", "edge inference", "predictive maintenance", "scheduling", "energy saving",
           "private deployment", "knowledge base", "vision inspection", "digital twin", "anomaly detection"]
UNITS = ["准确率 {n}%", "节拍 {n} 秒", "节电 {n}%", "停机减少 {n}%", "效率提升 {n}%", "交付周期 {n} 天"]


def make_listing(rng: random.Random) -> str:
    """One synthetic mixed Chinese/English listing of realistic length."""
    parts = [f"{rng.choice(CITIES)}{rng.choice(INDUSTRIES)}企业{rng.choice(SCENES)}方案",
             f"针对{rng.choice(OBJECTS)}{rng.choice(PROBLEMS)}，采用{rng.choice(TECH)}和{rng.choice(TECH)}",
             f"支持 {rng.choice(MODELS)} 与 {rng.choice(MODELS)}，{rng.choice(ENGLISH)}",
             rng.choice(UNITS).format(n=rng.randint(5, 99)),
             f"适用{rng.choice(INDUSTRIES)}的{rng.choice(OBJECTS)}{rng.choice(SCENES)}"]
    rng.shuffle(parts[1:])
    return "，".join(parts) + "。"


def make_query(rng: random.Random) -> str:
    """One synthetic search query in the style of an SME need."""
    return rng.choice([
        f"{rng.choice(OBJECTS)}{rng.choice(PROBLEMS)}，想做{rng.choice(SCENES)}",
        f"{rng.choice(SCENES)} {rng.choice(MODELS)}",
        f"{rng.choice(CITIES)}{rng.choice(INDUSTRIES)}工厂{rng.choice(PROBLEMS)}怎么办",
        f"{rng.choice(ENGLISH)} for {rng.choice(OBJECTS)}",
    ])


def make_vectors(base: np.ndarray, n: int, seed: int) -> np.ndarray:
    """n embedding-like unit vectors: mixtures of two real listing embeddings plus a little noise."""
    gen = np.random.default_rng(seed)
    i, j = gen.integers(0, len(base), n), gen.integers(0, len(base), n)
    alpha = gen.uniform(0.5, 1.0, (n, 1)).astype(np.float32)
    noise = gen.standard_normal((n, base.shape[1])).astype(np.float32) * (0.3 / np.sqrt(base.shape[1]))
    vecs = alpha * base[i] + (1 - alpha) * base[j] + noise
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    """p50 and p95 of a list of milliseconds."""
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """Run fn and return (milliseconds, result)."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000.0, result


def rss_mb() -> float:
    """Current resident set size of this process in MiB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def like_search(conn: sqlite3.Connection, query: str, k: int = 20) -> list:
    """The naive baseline: count LIKE '%term%' matches of the query's words over every row."""
    terms = segment(query)[:4] or [query]
    expr = " + ".join(["(text LIKE ?)"] * len(terms))
    sql = f"SELECT id, {expr} AS hits FROM listings WHERE hits > 0 ORDER BY hits DESC, id LIMIT ?"
    return conn.execute(sql, [f"%{t}%" for t in terms] + [k]).fetchall()


def measure_encoder(encoder, rng: random.Random, n: int) -> dict:
    """Passage throughput and single-query latency of the encoder on real text."""
    texts = [make_listing(rng) for _ in range(n)]
    encoder.passage(texts[:8])
    ms, vectors = timed(encoder.passage, texts)
    queries = [make_query(rng) + f" {i}" for i in range(30)]
    lat = [timed(encoder._run, [q], True)[0] for q in queries]
    return {"passages_per_s": n / (ms / 1000.0), "query_ms": percentiles(lat), "vectors": vectors}


def bench_size(n: int, encoder, base: np.ndarray, rng: random.Random, n_queries: int, n_edits: int,
               workdir: Path, scenarios: ScenarioModel | None = None, aux_encoder=None,
               aux_base: np.ndarray | None = None) -> dict:
    """Build indexes over n synthetic listings and measure them."""
    out: dict = {"n": n}
    ids = [f"L{i:07d}" for i in range(n)]
    texts = [make_listing(rng) for _ in range(n)]
    vecs = make_vectors(base, n, seed=n)

    vector = VectorIndex(encoder.dim, encoder.backend, encoder.model_id)
    out["build_dense_s"] = timed(vector.add_many, ids, vecs)[0] / 1000.0
    out["dense_kind"] = vector.kind
    lexical = LexicalIndex()
    out["build_lexical_s"] = timed(lexical.add_many, zip(ids, texts, strict=True))[0] / 1000.0
    out["compact_lexical_s"] = timed(lexical.compact)[0] / 1000.0
    index = HybridIndex(encoder, workdir / f"index-{n}", scenarios=scenarios, aux_encoder=aux_encoder)
    aux_index = None
    if aux_encoder is not None and aux_base is not None:
        aux_index = VectorIndex(aux_encoder.dim, aux_encoder.backend, aux_encoder.model_id)
        aux_index.add_many(ids, make_vectors(aux_base, n, seed=n + 1))
    codes = list(scenarios.codes) if scenarios is not None else []
    doc_codes = {doc_id: codes[i % len(codes)] for i, doc_id in enumerate(ids) if codes and i % 3}
    index.embedded.install(vector, lexical, doc_codes, aux_index)

    queries = [make_query(rng) + f" q{i}" for i in range(n_queries)]
    qvecs = encoder.query(queries)
    exact = np.argsort(-(vecs @ qvecs[:50].T), axis=0)[:20].T
    found = [[d for d, _ in vector.search(q, 100)][:20] for q in qvecs[:50]]
    out["dense_recall"] = float(np.mean([len({ids[i] for i in e} & set(f)) / 20
                                         for e, f in zip(exact, found, strict=True)]))
    del vecs
    for enc in (encoder, aux_encoder):
        if enc is not None:
            enc.cache_size = 0
            enc.clear_cache()
    samples: dict[str, list[float]] = {k: [] for k in (
        "encode", "dense", "dense+enc", "lexical", "plain", "hybrid", "hybrid+enc", "like")}
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE listings (id TEXT PRIMARY KEY, text TEXT)")
    conn.executemany("INSERT INTO listings VALUES (?, ?)", zip(ids, texts, strict=True))
    like_queries = queries[:max(10, n_queries // 4)] if n >= 100_000 else queries
    for q, qv in zip(queries, qvecs, strict=True):
        samples["encode"].append(timed(encoder.query, [q + " again"])[0])
        samples["dense"].append(timed(vector.search, qv, 20)[0])
        samples["dense+enc"].append(timed(lambda: vector.search(encoder.query([q])[0], 20))[0])
        samples["lexical"].append(timed(lexical.search, q, 20)[0])
        samples["plain"].append(timed(index.search, q, 20, query_vector=qv, options=LEVERS_OFF)[0])
        samples["hybrid"].append(timed(index.search, q, 20, query_vector=qv)[0])
        samples["hybrid+enc"].append(timed(index.search, q, 20)[0])
    for q in like_queries:
        samples["like"].append(timed(like_search, conn, q)[0])
    out["latency"] = {k: percentiles(v) for k, v in samples.items()}

    edit_ms, index_only_ms, remove_ms = [], [], []
    for i in range(n_edits):
        doc_id = ids[rng.randrange(n)] if i % 2 else f"NEW{i:05d}"
        marker = f"edit{n}x{i}"
        text = make_listing(rng) + f" {marker}"

        def edit_then_find():
            index.upsert(doc_id, text)
            return index.search(marker, 50)

        ms, hits = timed(edit_then_find)
        assert any(h.doc_id == doc_id and h.lexical_rank == 1 for h in hits), "edit not visible to search"
        edit_ms.append(ms)
        vec = encoder.passage([text])
        index_only_ms.append(timed(lambda: (vector.add(doc_id, vec[0]), lexical.add(doc_id, text),
                                            lexical.search(marker, 5)))[0])
        ms, _ = timed(index.remove, doc_id)
        remove_ms.append(ms)
        assert not any(h.doc_id == doc_id for h in index.search(marker, 50)), "removal not visible"
    out["edit"] = percentiles(edit_ms)
    out["edit_index_only"] = percentiles(index_only_ms)
    out["remove"] = percentiles(remove_ms)
    out["save_s"] = timed(index.save)[0] / 1000.0
    out["load_s"] = timed(HybridIndex(encoder, index.directory).load)[0] / 1000.0
    out["rss_mb"] = rss_mb()
    for enc in (encoder, aux_encoder):
        if enc is not None:
            enc.cache_size = 2048
    conn.close()
    return out


def ratio(baseline_ms: float, ours_ms: float) -> str:
    """Describe how much faster (or slower) ours is than the baseline."""
    if ours_ms <= baseline_ms:
        return f"{baseline_ms / ours_ms:.1f}x faster"
    return f"{ours_ms / baseline_ms:.1f}x slower"


def print_report(results: list[dict], enc: dict, encoder) -> None:
    """Print the results table and same-run ratios."""
    print(f"\nencoder: {encoder.backend} ({encoder.model_id}), {os.cpu_count()} CPUs")
    print(f"encode throughput: {enc['passages_per_s']:.0f} passages/s; "
          f"query encode p50 {enc['query_ms'][0]:.1f} ms, p95 {enc['query_ms'][1]:.1f} ms\n")
    cols = [f"{r['n']:,}" for r in results]
    rows = [("dense index build (s)", [f"{r['build_dense_s']:.2f} ({r['dense_kind']})" for r in results]),
            ("dense recall@20 vs exact scan", [f"{r['dense_recall']:.3f}" for r in results]),
            ("lexical build incl. jieba (s)", [f"{r['build_lexical_s']:.2f}" for r in results]),
            ("lexical compaction (s)", [f"{r['compact_lexical_s']:.2f}" for r in results])]
    for key, label in (("encode", "query encode"), ("dense", "dense query"), ("dense+enc", "dense query + encode"),
                       ("lexical", "lexical query"), ("plain", "hybrid query, levers off"),
                       ("hybrid", "hybrid query"),
                       ("hybrid+enc", "hybrid query + encode"), ("like", "SQLite LIKE scan")):
        rows.append((f"{label} p50/p95 (ms)",
                     [f"{r['latency'][key][0]:.2f} / {r['latency'][key][1]:.2f}" for r in results]))
    rows += [("edit visible incl. encode p50/p95 (ms)", [f"{r['edit'][0]:.1f} / {r['edit'][1]:.1f}" for r in results]),
             ("edit visible, index only p50/p95 (ms)",
              [f"{r['edit_index_only'][0]:.2f} / {r['edit_index_only'][1]:.2f}" for r in results]),
             ("remove p50/p95 (ms)", [f"{r['remove'][0]:.2f} / {r['remove'][1]:.2f}" for r in results]),
             ("save / load whole index (s)", [f"{r['save_s']:.2f} / {r['load_s']:.2f}" for r in results]),
             ("process RSS (MiB)", [f"{r['rss_mb']:.0f}" for r in results])]
    width = max(len(label) for label, _ in rows) + 2
    print(f"{'listings':<{width}}" + "".join(f"{c:>24}" for c in cols))
    for label, values in rows:
        print(f"{label:<{width}}" + "".join(f"{v:>24}" for v in values))
    print()
    for r in results:
        like = r["latency"]["like"][0]
        print(f"{r['n']:>7,} listings (p50): hybrid+encode vs LIKE: {ratio(like, r['latency']['hybrid+enc'][0])}; "
              f"hybrid (vector given) vs LIKE: {ratio(like, r['latency']['hybrid'][0])}; "
              f"lexical vs LIKE: {ratio(like, r['latency']['lexical'][0])}")
    last = results[-1]
    p95, edit = last["latency"]["hybrid+enc"][1], last["edit"][1]
    print(f"\ntargets at {last['n']:,}: hybrid+encode p95 {p95:.1f} ms (< 50: {'met' if p95 < 50 else 'MISSED'}); "
          f"edit visible p95 {edit:.1f} ms (< 200: {'met' if edit < 200 else 'MISSED'})")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for the requested sizes and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--quick", action="store_true", help="1k and 10k only")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--backend", default=DEFAULT_BACKEND)
    parser.add_argument("--encode-texts", type=int, default=200)
    args = parser.parse_args(argv)
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    rng = random.Random(7)
    encoder = load_encoder(args.backend)
    started = time.perf_counter()
    enc = measure_encoder(encoder, rng, args.encode_texts)
    scenarios = ScenarioModel(scenario_descriptions(), encoder)
    aux_encoder = load_aux_encoder() if DEFAULT_OPTIONS.aux_weight > 0 and encoder.backend in AUX_FOR else None
    aux_base = aux_encoder.passage([make_listing(rng) for _ in range(args.encode_texts)]) if aux_encoder else None
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="bench-index-"))
    for n in sizes:
        t0 = time.perf_counter()
        n_queries = args.queries if n < 100_000 else args.queries // 2
        results.append(bench_size(n, encoder, enc["vectors"], rng, n_queries, args.edits, workdir,
                                  scenarios, aux_encoder, aux_base))
        print(f"  {n:,} listings measured in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        gc.collect()
    shutil.rmtree(workdir, ignore_errors=True)
    print_report(results, enc, encoder)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
