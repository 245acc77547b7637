"""Per-page latency and SQL statement counts, in-process (Flask test client), each page as the role that uses it.

`measure_pages(...)` runs the pages in a child process (`python -m benchmarks.scale.pages …`) that prints one
JSON line when it starts a page and one when it finishes it; a page that does not finish within its time
limit is recorded as timed out, the child is killed and a new one goes on with the next page. So one page
that never finishes at 100k (the study's `/analytics/`) cannot stall or skew the rest.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ("注塑件表面划痕检测", "空压机群控节能", "AGV 调度 路径规划", "设备振动监测 预测性维护", "排产 插单",
           "PCB AOI 误报复判", "碳排放核算 产品碳足迹", "仓库 拣货路径优化", "焊缝缺陷 视觉检测", "售后客服 知识库",
           "vision inspection for injection moulding", "predictive maintenance CNC spindle")
"""Realistic searches: SME phrasings of the seed's problems, Chinese and English."""
ROLES = {"visitor": None, "sme": "enterprise", "vendor": "vendor", "center": "center"}


@dataclass(frozen=True)
class Page:
    """One row of the table: a name, the role that requests it and how to make its n-th URL."""

    name: str
    role: str
    url: Callable[[int], str]


def page_plan(ids: dict[str, list[int]]) -> list[Page]:
    """The pages the study measured, with URLs that vary per request (queries, records)."""
    def q(i: int) -> str:
        return QUERIES[i % len(QUERIES)] + (f" {i // len(QUERIES)}" if i >= len(QUERIES) else "")

    def pick(key: str) -> Callable[[int], int]:
        return lambda i: ids[key][i % len(ids[key])]

    offering, need, mine = pick("offering"), pick("need"), pick("mine")
    return [
        Page("/ (home)", "sme", lambda i: "/"),
        Page("/offerings", "visitor", lambda i: "/offerings" + ("" if i % 2 == 0 else f"?page={1 + i % 5}")),
        Page("/offerings?q=", "sme", lambda i: f"/offerings?q={q(i)}"),
        Page("/needs/", "vendor", lambda i: "/needs/" + ("" if i % 2 == 0 else f"?page={1 + i % 5}")),
        Page("/needs/?q=", "vendor", lambda i: f"/needs/?q={q(i)}"),
        Page("/search?q=", "sme", lambda i: f"/search?q={q(i)}"),
        Page("offering detail", "visitor", lambda i: f"/offerings/{offering(i)}"),
        Page("need detail", "vendor", lambda i: f"/needs/{need(i)}"),
        Page("leads fragment (own listing)", "vendor", lambda i: f"/listings/offering/{mine(i)}/matches"),
        Page("/analytics/", "center", lambda i: "/analytics/"),
        Page("/analytics/map", "visitor", lambda i: "/analytics/map"),
        Page("vendor dashboard", "vendor", lambda i: "/dashboard"),
        Page("API list", "visitor", lambda i: ("/api/v1/offerings", "/api/v1/needs")[i % 2] + f"?page={1 + i % 3}"),
        Page("API search", "sme", lambda i: f"/api/v1/search?q={q(i)}"),
    ]


def sample_ids(seed: int = 3, n: int = 50) -> dict[str, list[int]]:
    """Ids the pages ask for: published offerings, public live needs, and the demo vendor's own offerings."""
    from sqlalchemy import func, select

    from marketplace.accounts.models import User
    from marketplace.catalog.models import Offering
    from marketplace.extensions import db
    from marketplace.needs.models import Need
    from seed.loader import DEMO_ACCOUNTS

    rng = random.Random(seed)

    def some(stmt) -> list[int]:
        found = list(db.session.scalars(stmt.order_by(func.random()).limit(n)))
        rng.shuffle(found)
        return found

    vendor_org = db.session.scalar(select(User.organisation_id).where(User.email == DEMO_ACCOUNTS["vendor"]))
    return {"offering": some(select(Offering.id).where(Offering.state == "published")),
            "need": some(select(Need.id).where(Need.status == "open", Need.visibility == "public")),
            "mine": some(select(Offering.id).where(Offering.organisation_id == vendor_org,
                                                   Offering.state == "published"))}


def run_child(args: argparse.Namespace) -> int:
    """The child: measure the named pages and print a JSON line per start and per result."""
    from sqlalchemy import event

    from benchmarks.scale.app import make_app
    from marketplace.extensions import db
    from seed.loader import DEMO_ACCOUNTS, DEMO_PASSWORD

    app = make_app(args.database_url, args.instance, args.backend)
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
        ids = sample_ids()
    matching = app.extensions["matching"]
    matching.warm()
    clients = {}
    for role, account in ROLES.items():
        clients[role] = client = app.test_client()
        if account is not None:
            response = client.post("/accounts/login", data={"email": DEMO_ACCOUNTS[account], "password": DEMO_PASSWORD})
            if response.status_code != 302:  # a refused sign-in shows the form again (200)
                raise SystemExit(f"could not sign in as {account}: {response.status_code}")
    wanted = set(args.pages.split("|"))
    for page in page_plan(ids):
        if page.name not in wanted:
            continue
        print(json.dumps({"event": "start", "page": page.name}), flush=True)
        if matching.ready:
            index = matching.index()
            for encoder in (index.encoder, getattr(index, "aux_encoder", None)):
                if encoder is not None:
                    encoder.clear_cache()  # every search encodes its query, as a new query does
        ms, sql, status = [], [], []
        began = time.perf_counter()
        for i in range(args.reps):
            url = page.url(i)
            before = statements[0]
            t0 = time.perf_counter()
            response = clients[page.role].get(url)
            _ = response.data
            response.close()
            ms.append((time.perf_counter() - t0) * 1000)
            sql.append(statements[0] - before)
            status.append(response.status_code)
            if time.perf_counter() - began > args.budget:
                break
        print(json.dumps({"event": "done", "page": page.name, "role": page.role, "ms": ms, "sql": sql,
                          "status": status}), flush=True)
    return 0


def measure_pages(database_url: str, instance: str | Path, backend: str, reps: int, budget: float,
                  limit: float, say: Callable[[str], None] = print) -> dict[str, dict]:
    """Measure every page in child processes; a page past `limit` seconds is recorded as timed out."""
    names = [p.name for p in page_plan({"offering": [1], "need": [1], "mine": [1]})]
    results: dict[str, dict] = {}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    while remaining := [n for n in names if n not in results]:
        cmd = [sys.executable, "-m", "benchmarks.scale.pages", "--database-url", database_url, "--instance",
               str(instance), "--backend", backend, "--reps", str(reps), "--budget", str(budget),
               "--pages", "|".join(remaining)]
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        state: dict[str, Any] = {"page": None, "since": time.monotonic()}

        def read(child=child, state=state) -> None:
            assert child.stdout is not None
            for line in child.stdout:
                if not line.startswith("{"):
                    continue
                event = json.loads(line)
                if event["event"] == "start":
                    state["page"], state["since"] = event["page"], time.monotonic()
                else:
                    results[event["page"]] = event
                    say(f"  {event['page']}: {len(event['ms'])} requests")
                    state["page"] = None

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        while child.poll() is None:
            page = state["page"]
            if page is not None and time.monotonic() - state["since"] > limit:
                child.kill()
                child.wait()
                results[page] = {"page": page, "timeout": limit}
                say(f"  {page}: no answer within {limit:.0f} s, stopped")
                break
            time.sleep(0.2)
        reader.join(5)
        stuck = [n for n in remaining if n not in results]
        if stuck and child.returncode != -9:  # the child failed on this page (or before it): record, go on
            results[stuck[0]] = {"page": stuck[0], "error": f"exit {child.returncode}"}
            say(f"  {stuck[0]}: the measuring process failed (exit {child.returncode})")
    return {n: results[n] for n in names}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the measuring child."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--backend", default="embedded")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--pages", required=True)
    return run_child(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
