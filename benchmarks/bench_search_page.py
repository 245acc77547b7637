"""How fast is the search a person waits for, through the whole app: `/search`, filtered, and a browse keyword box?

    python -m benchmarks.bench_search_page [--rounds 2]

Loads the seed into a throwaway migrated SQLite database, builds its index once, starts a fresh app on it
(so the worker loads the saved index and warms the encoder, as a served worker does), then requests
`/search` in-process with queries the app has never seen (the SME-typed development queries of
`eval/queries.jsonl` and the longer real-problem statements of `eval/real_queries.jsonl`; the encoders'
query caches are cleared before each configuration, so every request encodes): without filters,
with a kind, with an industry and a city, and the supermarket's keyword box. It prints p50/p95/max per
configuration and the ratio of each filtered path to the unfiltered one, measured in this same run, plus
the first search after start and the tenth.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = (
    ("/search", {}),
    ("/search kind=offering", {"kind": "offering"}),
    ("/search industry+city", {"industry": "electronics", "city": "shenzhen"}),
    ("/search needs tab", {"kind": "needs"}),
    ("/offerings?q=", None),
)


def percentile(values: list[float], share: float) -> float:
    """The value at a share (0..1) of the sorted values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def build(folder: Path) -> None:
    """Migrate, seed and index a database in the folder."""
    from marketplace import create_app
    from marketplace.extensions import db
    from seed.loader import load

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "INSTANCE_PATH": str(folder)})
    with app.app_context():
        upgrade(revision="heads")
        load()
        db.session.commit()
        app.extensions["matching"].ensure_index()
        db.session.remove()
        db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Build the seeded app, measure each configuration, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="how many times each query runs per configuration")
    args = parser.parse_args(argv)
    sets = {name: [json.loads(line)["text"] for line in (ROOT / f"eval/{name}.jsonl").read_text("utf-8").splitlines()
                   if line.strip()] for name in ("queries", "real_queries")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        build(folder)
        print(f"seeded and indexed in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        from marketplace import create_app

        started = time.perf_counter()
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "INSTANCE_PATH": str(folder),
                          "RATELIMIT_ENABLED": False})
        app.extensions["matching"].warm()
        warm_s = time.perf_counter() - started
        client = app.test_client()
        firsts = []
        for query in ("注塑件表面划痕检测", "空压机群控节能", "AGV 调度", "设备振动监测", "排产 插单",
                      "PCB AOI 误报", "碳排放核算", "仓库 拣货路径", "焊缝 缺陷", "客服 知识库"):
            t0 = time.perf_counter()
            client.get("/search", query_string={"q": query})
            firsts.append((time.perf_counter() - t0) * 1000)
        index = app.extensions["matching"].index()
        encoders = [e for e in (index.encoder, getattr(index, "aux_encoder", None)) if e is not None]
        rows = []
        baseline = None
        for (name, filters), (set_name, queries) in [(c, q) for q in sets.items() for c in CONFIGS]:
            times = []
            for encoder in encoders:  # every configuration encodes its queries afresh
                encoder.clear_cache()
            for round_no in range(args.rounds):
                for i, query in enumerate(queries):
                    text = query if round_no == 0 else f"{query} {round_no}"
                    t0 = time.perf_counter()
                    if filters is None:
                        response = client.get("/offerings", query_string={"q": text})
                    else:
                        response = client.get("/search", query_string={"q": text, **filters})
                    times.append((time.perf_counter() - t0) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(f"{name}: {response.status_code} for {text!r} ({i})")
            p50, p95 = statistics.median(times), percentile(times, 0.95)
            if filters == {}:
                baseline = p95
            rows.append((f"{name} ({set_name})", len(times), p50, p95, max(times), p95 / (baseline or p95)))
    print(f"\nworker start (load index + warm encoder): {warm_s * 1000:.0f} ms; "
          f"first search after start {firsts[0]:.1f} ms, tenth {firsts[-1]:.1f} ms\n")
    print("| path | requests | p50 ms | p95 ms | max ms | p95 ÷ /search p95 |")
    print("|---|---|---|---|---|---|")
    for name, n, p50, p95, worst, ratio in rows:
        print(f"| {name} | {n} | {p50:.1f} | {p95:.1f} | {worst:.1f} | {ratio:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
