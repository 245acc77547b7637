"""The compare tray: kept on the server under a name in the session, across pages, safe from racing adds, two to four models, a fifth refused with a message, only
models the viewer may see; forms work without JavaScript and htmx gets the control and the bar back."""
from __future__ import annotations

import threading

import pytest

from marketplace.compare.tray import (
    TRAY_KEY,
    add_to_tray,
    is_tray_key,
    new_tray_key,
    parse_ids,
    remove_from_tray,
    tray_ids,
)
from marketplace.errors import DomainError
from tests.compare.helpers import model_with
from tests.factories import make_user


def flashes(client) -> list[tuple[str, str]]:
    """The messages flashed to the client's session and not shown yet."""
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def models(app, n: int, **fields) -> list[int]:
    """Create n published models of one vendor and return their ids."""
    with app.app_context():
        vendor = make_user("vendor")
        return [model_with(vendor.organisation, f"对比模型{i}", **fields).id for i in range(n)]


def tray(app, client) -> list[int]:
    """The model ids in the client's tray, as the server keeps it."""
    with client.session_transaction() as session:
        key = session.get(TRAY_KEY)
    with app.app_context():
        return tray_ids(key)


def test_a_fifth_model_is_refused(app):
    """Does the tray hold at most four models, refusing a fifth with a message, and ignore a repeat?"""
    ids = models(app, 5)
    with app.test_request_context("/?lang=en"):
        key = new_tray_key()
        for model_id in ids[:4]:
            add_to_tray(key, model_id)
        assert add_to_tray(key, ids[3]) == ids[:4]
        with pytest.raises(DomainError, match="at most 4"):
            add_to_tray(key, ids[4])
        assert remove_from_tray(key, ids[1]) == [ids[0], ids[2], ids[3]]
        assert tray_ids(new_tray_key()) == []  # another visitor's tray is their own


def test_the_session_value_and_the_query_are_read_defensively():
    """Is only a tray name this site made taken from the session, and are junk, repeats and overflow left out of
    ?ids=?"""
    assert is_tray_key(new_tray_key()) and new_tray_key() != new_tray_key()
    assert not any(is_tray_key(v) for v in ([1, 2], "1,2", "x" * 32, None, "ABCDEF" * 6))
    assert parse_ids(["3,5，5", "x,9", "99999999999"]) == [3, 5, 9]


def test_two_quick_adds_racing_each_other_both_stay(app, client):
    """Two adds sent at the same instant from one page (one session), does the tray keep both models — neither
    request overtaking the other's write — and the same model sent twice at once stay one entry?"""
    a, b = models(app, 2)
    client.get("/models")  # the page with the add controls names the visitor's tray
    cookie = client.get_cookie("session")
    assert cookie is not None
    barrier = threading.Barrier(4, timeout=30)
    answers: list[int] = []

    def add(model_id: int) -> None:
        racer = app.test_client()
        racer.set_cookie("session", cookie.value)
        barrier.wait()
        answers.append(racer.post("/models/compare/tray/add", data={"model_id": model_id},
                                  headers={"HX-Request": "true"}).status_code)

    threads = [threading.Thread(target=add, args=(m,)) for m in (a, b, a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 4
    assert sorted(tray(app, client)) == [a, b]


def test_tray_survives_navigation_and_leads_to_the_comparison(app, client):
    """Added on the list, are the models in the bar on other pages, with a link comparing exactly them?"""
    a, b = models(app, 2)
    for model_id in (a, b):
        response = client.post("/models/compare/tray/add", data={"model_id": model_id, "next": "/models"})
        assert response.status_code == 302 and response.headers["Location"] == "/models"
    page = client.get("/cases/").get_data(as_text=True)
    assert 'id="compare-tray"' in page and "对比模型0" in page and "对比模型1" in page
    assert f"/models/compare?ids={a},{b}" in page.replace("%2C", ",")
    compare = client.get("/models/compare").get_data(as_text=True)  # no ids: the tray's models
    assert "compare-table" in compare and "对比模型1" in compare


def test_fifth_model_is_refused_with_a_message_and_the_tray_unchanged(app, client):
    """Posting a fifth model, is the visitor told why and are the four kept?"""
    ids = models(app, 5)
    for model_id in ids[:4]:
        client.post("/models/compare/tray/add", data={"model_id": model_id})
    flashes(client)
    client.get("/models")  # shows (and so clears) the success messages
    client.post("/models/compare/tray/add", data={"model_id": ids[4]})
    errors = [text for category, text in flashes(client) if category == "error"]
    assert errors and "4" in errors[0]
    assert tray(app, client) == ids[:4]


def test_remove_and_clear(app, client):
    """Can a model be taken out, and the tray emptied?"""
    a, b, c = models(app, 3)
    for model_id in (a, b, c):
        client.post("/models/compare/tray/add", data={"model_id": model_id})
    client.post("/models/compare/tray/remove", data={"model_id": b})
    assert tray(app, client) == [a, c]
    client.post("/models/compare/tray/clear")
    assert tray(app, client) == []
    assert 'class="compare-tray"' not in client.get("/models").get_data(as_text=True)  # no bar when empty


def test_a_model_the_viewer_may_not_see_cannot_be_added(app, client):
    """Is another vendor's draft refused (404) and kept out of the tray?"""
    (draft,) = models(app, 1, state="draft")
    assert client.post("/models/compare/tray/add", data={"model_id": draft}).status_code == 404
    assert client.post("/models/compare/tray/add", data={"model_id": "abc"}).status_code == 404
    assert tray(app, client) == []


def test_htmx_gets_the_control_and_the_bar_out_of_band(app, client):
    """Does an htmx add answer with the model's control in its new state and the tray bar swapped out of band,
    and a refused one with the message in place?"""
    ids = models(app, 5)
    headers = {"HX-Request": "true"}
    html = client.post("/models/compare/tray/add", data={"model_id": ids[0], "next": "/models"},
                       headers=headers).get_data(as_text=True)
    assert f'id="compare-control-{ids[0]}"' in html and 'aria-pressed="true"' in html
    assert "/models/compare/tray/remove" in html and 'hx-swap-oob="true"' in html and "对比模型0" in html
    for model_id in ids[1:4]:
        client.post("/models/compare/tray/add", data={"model_id": model_id}, headers=headers)
    refused = client.post("/models/compare/tray/add", data={"model_id": ids[4]}, headers=headers)
    assert refused.status_code == 200 and 'role="alert"' in refused.get_data(as_text=True)
    assert 'aria-pressed="false"' in refused.get_data(as_text=True)


def test_controls_on_the_list_and_the_model_card(app, client):
    """Is there an add-to-comparison control, and a link to the leaderboard, on the models list and a model card?"""
    (model_id,) = models(app, 1)
    for path in ("/models", f"/models/{model_id}"):
        page = client.get(path).get_data(as_text=True)
        assert f'id="compare-control-{model_id}"' in page and "/models/compare/tray/add" in page
        assert "/models/leaderboard" in page


def test_a_model_in_search_results_has_the_control(app):
    """Does a model's search-result card (the card every ranked list uses) carry the add-to-comparison control,
    and no other kind's card?"""
    from types import SimpleNamespace

    from flask import render_template_string

    from tests.factories import make_offering

    with app.app_context():
        vendor = make_user("vendor")
        model = model_with(vendor.organisation, "搜索结果模型")
        offering = make_offering(vendor.organisation)
        match = SimpleNamespace(terms=[], label=SimpleNamespace(code="high", text="高"), percent=90, key_terms=[],
                                same_scenario=True, same_industry=False, same_city=False, deployment_fit=None,
                                budget_fit=None)
        with app.test_request_context("/search?q=x"):
            html = render_template_string('{% from "_macros/matching.html" import card %}'
                                          "{{ card(model, match=match) }}{{ card(offering, match=match) }}",
                                          model=model, offering=offering, match=match)
    assert html.count('class="compare-control"') == 1 and f'id="compare-control-{model.id}"' in html
