"""Does the demo data give the comparison and the leaderboards content: several models on the same public datasets
with the same metrics, some attested by the seeded evaluation bodies, some self-reported?"""
from __future__ import annotations

from collections import Counter

from marketplace.compare.selectors import scenario_evaluations
from marketplace.compare.services import build_leaderboard, scenarios_with_boards
from marketplace.metrics import direction_of, measured
from seed.loader import read_data
from seed.trust import EVALUATORS


def test_shared_evaluation_rows_are_rankable_and_resolve():
    """Does every shared-dataset row name a seeded model, a known evaluation body when third-party, a metric with a
    direction, and a value read as one number in the dataset's common unit?"""
    data = read_data()
    model_keys = {m["key"] for m in data["models"]}
    assert len(data["shared_evaluations"]) >= 8
    for benchmark in data["shared_evaluations"]:
        results = benchmark["results"]
        assert direction_of(benchmark["metric"]) is not None, benchmark["metric"]
        assert len({r["model"] for r in results}) == len(results) >= 3, benchmark["dataset"]
        assert len({measured(r["value"])[1] for r in results}) == 1, benchmark["metric"]
        for r in results:
            assert r["model"] in model_keys, r["model"]
            assert not r.get("third_party") or (r["evaluator"] in EVALUATORS and r["attested_on"]), r


def test_seeded_leaderboards_rank_attested_results_across_scenarios(app, runner):
    """After `flask seed`, do at least five scenarios have boards, and does the inspection leaderboard rank
    several attested models per board while keeping self-reported results out?"""
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        evaluations = scenario_evaluations()
        scenarios = dict(scenarios_with_boards(evaluations))
        assert len(scenarios) >= 5 and scenarios["online_inspection"] >= 4
        board = build_leaderboard("online_inspection", scenario_evaluations("online_inspection"), False)
        sizes = Counter(len(b.attested) for b in board.boards)
        assert sum(n for size, n in sizes.items() if size >= 3) >= 2
        assert board.self_reported_hidden > 0
        assert all(e.is_attested and e.attested_at for b in board.boards for _rank, e in b.attested)
