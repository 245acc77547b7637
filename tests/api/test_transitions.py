"""Transitions through the API read the same process definitions as the buttons: the moves listed are the page's
moves, a move the state does not allow is a 409, one the user may not make is a 403."""
from __future__ import annotations

from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.needs.process import page_moves
from tests.api.conftest import bearer, issue_token
from tests.factories import make_need, make_user


def test_listed_moves_are_the_page_buttons(app, client):
    """Are the moves the API lists for a need's owner exactly the buttons its page shows them?"""
    with app.app_context():
        sme = make_user("enterprise")
        need = make_need(sme.organisation)
        buttons = [t.name for t in page_moves(need, sme)]
        secret = issue_token(sme, ("read", "needs"))
        need_id = need.id
    listed = client.get(f"/api/v1/needs/{need_id}/transitions", headers=bearer(secret)).get_json()
    assert [t["name"] for t in listed["transitions"]] == buttons and listed["state"] == "open"


def test_move_the_state_does_not_allow_is_a_409(app, client):
    """Is closing a closed need refused with 409 and the reason, changing nothing?"""
    with app.app_context():
        sme = make_user("enterprise")
        need_id = make_need(sme.organisation).id
        secret = issue_token(sme, ("read", "needs"))
    assert client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(secret), json={}).status_code == 200
    again = client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(secret), json={})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "illegal_transition"


def test_another_organisations_record_is_a_404_or_403(app, client):
    """May a vendor close an SME's need through the API? (No: the permission module says so, as on the page.)"""
    with app.app_context():
        need_id = make_need(make_user("enterprise").organisation).id
        secret = issue_token(make_user("vendor"), ("read", "needs"))
    answer = client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(secret), json={})
    assert answer.status_code in (403, 404)
    with app.app_context():
        assert db.session.get(Need, need_id).status == "open"


def test_moves_that_need_a_value_say_so(app, client):
    """Is a moderator's close without a reason refused with the reason's message, and made with one?"""
    with app.app_context():
        need_id = make_need(make_user("enterprise").organisation).id
        secret = issue_token(make_user("admin"), ("read", "needs"))
    missing = client.post(f"/api/v1/needs/{need_id}/transitions/moderate", headers=bearer(secret), json={})
    assert missing.status_code == 422
    done = client.post(f"/api/v1/needs/{need_id}/transitions/moderate", headers=bearer(secret),
                       json={"values": {"reason": "重复发布"}})
    assert done.status_code == 200 and done.get_json()["state"] == "closed"


def test_unknown_or_form_only_moves_are_a_404(app, client):
    """Are a made-up move and a move only a proposal makes refused as unknown?"""
    with app.app_context():
        sme = make_user("enterprise")
        need_id = make_need(sme.organisation).id
        secret = issue_token(sme, ("read", "needs"))
    for name in ("explode", "contract"):
        answer = client.post(f"/api/v1/needs/{need_id}/transitions/{name}", headers=bearer(secret), json={})
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "unknown_transition"


def test_a_body_that_is_not_an_object_is_a_clear_error(app, client):
    """Is a body with unknown fields or of the wrong shape a 422 naming the field, not a 5xx?"""
    with app.app_context():
        sme = make_user("enterprise")
        need_id = make_need(sme.organisation).id
        secret = issue_token(sme, ("read", "needs"))
    wrong = client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(secret),
                        json={"values": "close it"})
    assert wrong.status_code == 422 and "values" in wrong.get_json()["error"]["fields"]
    extra = client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=bearer(secret), json={"x": 1})
    assert extra.status_code == 422 and "x" in extra.get_json()["error"]["fields"]


def test_a_nul_character_in_a_json_body_is_a_400_on_every_database(app, client):
    """Found by schemathesis on PostgreSQL (whose text cannot hold NUL): is "\\u0000" in a body refused as a 400?"""
    with app.app_context():
        sme = make_user("enterprise")
        need_id = make_need(sme.organisation).id
        secret = issue_token(sme, ("read", "needs"))
    answer = client.post(f"/api/v1/needs/{need_id}/transitions/moderate", headers=bearer(secret),
                         json={"values": {"reason": "a\u0000b"}})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "bad_request"
