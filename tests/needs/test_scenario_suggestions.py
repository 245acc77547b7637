"""The need form's scenario suggestions: shown from the model's guesses, never when it cannot answer."""
from __future__ import annotations

import re

import marketplace.needs.views as need_views
from marketplace.matching.engine import IndexNotReady


def test_suggestions_are_the_models_guesses_with_the_chosen_one_pressed(client, auth, monkeypatch):
    """The fragment shows one button per suggested scenario, in order, the one already chosen marked pressed."""
    seen = []

    def guesses(text, n=3):
        seen.append((text, n))
        return [("online_inspection", 0.62), ("quality_analysis", 0.21)]

    monkeypatch.setattr(need_views, "predict_scenarios", guesses)
    auth.as_role("enterprise")
    fragment = client.post("/needs/scenario-suggestions",
                           data={"title": "注塑件表面划痕检测", "description": "人工目检漏检多",
                                 "scenario": "quality_analysis", "city": "foshan"}).get_data(as_text=True)
    assert seen == [("注塑件表面划痕检测\n人工目检漏检多", 3)]
    assert fragment.index('data-value="online_inspection"') < fragment.index('data-value="quality_analysis"')
    assert 'data-value="quality_analysis" aria-pressed="true"' in fragment
    assert 'data-value="online_inspection" aria-pressed="false"' in fragment and "62%" in fragment


def test_no_suggestions_while_the_index_is_not_ready_or_the_model_is_unsure(client, auth, monkeypatch):
    """The block stays empty (200) when the search index is being built and when the model returns nothing."""
    def not_ready(text, n=3):
        raise IndexNotReady("being built")

    auth.as_role("enterprise")
    monkeypatch.setattr(need_views, "predict_scenarios", not_ready)
    response = client.post("/needs/scenario-suggestions", data={"title": "注塑件表面划痕检测"})
    assert response.status_code == 200 and "<button" not in response.get_data(as_text=True)
    monkeypatch.setattr(need_views, "predict_scenarios", lambda text, n=3: [])
    assert "<button" not in client.post("/needs/scenario-suggestions", data={"title": "注塑件表面划痕检测"}).get_data(
        as_text=True)


def test_case_form_asks_for_suggestions_from_its_title_problem_and_solution(client, auth, monkeypatch):
    """The case form sends its title, problem and solution for suggestions, and centers get them."""
    monkeypatch.setattr(need_views, "predict_scenarios", lambda text, n=3: [("energy_management", 0.7)])
    auth.as_role("center")
    form = client.get("/cases/new").get_data(as_text=True)
    for name in ("title", "problem", "solution"):
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', form).group(0)
        assert 'hx-post="/needs/scenario-suggestions"' in tag and 'hx-target="#scenario-suggestions"' in tag, name
    fragment = client.post("/needs/scenario-suggestions", data={"problem": "空压站比功率高"}).get_data(as_text=True)
    assert 'data-value="energy_management"' in fragment
