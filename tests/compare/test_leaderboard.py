"""The evaluation leaderboard: per scenario, attested results on shared datasets ranked in each metric's
direction with the attesting body and date; self-reported results left out (and counted) or shown apart."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from marketplace.compare.selectors import scenario_evaluations
from marketplace.compare.services import build_leaderboard, scenarios_with_boards
from marketplace.extensions import db
from tests.compare.helpers import MVTEC, NEU, attested, make_lab, model_with, self_reported
from tests.factories import make_user


def seed_boards():
    """Four inspection models on MVTec (three attested, one self-reported), two on NEU (self-reported only), one
    draft and one maintenance model on MVTec too."""
    lab, vendor = make_lab(), make_user("vendor")
    org = vendor.organisation
    model_with(org, "甲", attested("漏检率", "1.1%", MVTEC, lab, datetime(2026, 9, 16, 9, tzinfo=UTC)),
               self_reported("mAP@0.5", "70%", NEU))
    model_with(org, "乙", attested("漏检率", "0.8%", MVTEC, lab))
    model_with(org, "丙", attested("漏检率", "0.8%", MVTEC, lab), self_reported("mAP@0.5", "75%", NEU))
    model_with(org, "丁", self_reported("漏检率", "0.1%", MVTEC))
    model_with(org, "草稿", attested("漏检率", "0.05%", MVTEC, lab), state="draft")
    model_with(org, "运维", attested("漏检率", "0.01%", MVTEC, lab), scenarios=["predictive_maintenance"])
    return lab


def test_attested_results_are_ranked_in_the_metrics_direction(in_app):
    """Are the attested miss rates ranked lowest first, ties sharing a rank, without drafts or other scenarios?"""
    seed_boards()
    board = build_leaderboard("online_inspection", scenario_evaluations("online_inspection"), False)
    (miss,) = board.boards
    assert [(rank, e.model.name, e.value) for rank, e in miss.attested] == [
        (1, "乙", "0.8%"), (1, "丙", "0.8%"), (3, "甲", "1.1%")]
    assert miss.self_reported == [] and board.self_reported_hidden == 3  # 丁 on MVTec, 甲 and 丙 on NEU


def test_self_reported_results_are_shown_apart_when_asked(in_app):
    """With the toggle, are self-reported results ranked among themselves, never mixed into the attested ranks?"""
    seed_boards()
    board = build_leaderboard("online_inspection", scenario_evaluations("online_inspection"), True)
    boards = {b.metric: b for b in board.boards}
    assert [e.model.name for _rank, e in boards["漏检率"].attested] == ["乙", "丙", "甲"]
    assert [(rank, e.model.name) for rank, e in boards["漏检率"].self_reported] == [(1, "丁")]
    assert [(rank, e.value) for rank, e in boards["mAP@0.5"].self_reported] == [(1, "75%"), (2, "70%")]
    assert boards["mAP@0.5"].attested == [] and board.self_reported_hidden == 0


def test_a_dataset_only_one_model_used_is_not_a_board(in_app):
    """Is a (dataset, metric) that a single model reports left off the leaderboard?"""
    lab, vendor = make_lab(), make_user("vendor")
    model_with(vendor.organisation, "独家", attested("漏检率", "0.5%", "自家产线 10 万张", lab))
    model_with(vendor.organisation, "另一", attested("漏检率", "0.7%", "别家产线 3 万张", lab))
    assert build_leaderboard("online_inspection", scenario_evaluations("online_inspection"), True).boards == []
    assert scenarios_with_boards(scenario_evaluations()) == []


def test_page_shows_ranks_body_and_date_and_says_what_is_left_out(app, client):
    """Does the page list rank, model, value, the attesting body and the date, and say self-reported results are
    not shown, with a link showing them apart?"""
    with app.app_context():
        lab = seed_boards()
        lab_name = lab.organisation.name
    page = client.get("/models/leaderboard?scenario=online_inspection").get_data(as_text=True)
    ranking = page.split('class="table ranking"', 1)[1].split("</table>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", ranking))
    assert text.index("乙") < text.index("丙") < text.index("甲")
    assert lab_name in text and "2026-09-16" in text and "丁" not in text
    assert "self_reported=1" in page and "3" in page.split('class="callout"', 1)[1].split("</p>", 1)[0]
    shown = client.get("/models/leaderboard?scenario=online_inspection&self_reported=1").get_data(as_text=True)
    assert "ranking self-reported" in shown and "丁" in shown


def test_scenario_choice_lists_scenarios_with_shared_datasets(app, client):
    """Is the chosen scenario the first one with boards when none is asked for, and are hidden models absent?"""
    with app.app_context():
        seed_boards()
        hidden = model_with(make_user("vendor").organisation, "被隐藏", attested("漏检率", "0.01%", MVTEC, make_lab()))
        hidden.moderation = "hidden"
        db.session.commit()
    page = client.get("/models/leaderboard").get_data(as_text=True)
    assert '<option value="online_inspection" selected>' in page and "被隐藏" not in page and "草稿" not in page


def test_htmx_gets_only_the_results(app, client):
    """Does the filter form's htmx request get the results block alone?"""
    with app.app_context():
        seed_boards()
    html = client.get("/models/leaderboard?scenario=online_inspection",
                      headers={"HX-Request": "true", "HX-Target": "results"}).get_data(as_text=True)
    assert "<html" not in html and "ranking" in html


def test_a_scenario_without_boards_is_still_the_one_shown(app, client):
    """Asked for a scenario with no shared dataset (a model card links to its own), is that scenario selected and
    the empty state shown, rather than another scenario's boards under its name?"""
    with app.app_context():
        seed_boards()
    page = client.get("/models/leaderboard?scenario=energy_management").get_data(as_text=True)
    assert '<option value="energy_management" selected>' in page
    assert 'class="table ranking"' not in page and 'class="empty"' in page
