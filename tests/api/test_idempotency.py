"""Idempotency-Key: the same write sent twice with one key happens once and answers the same; a key reused for
another call is refused; a refused call frees its key."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.api.models import IdempotencyKey
from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from tests.api.conftest import bearer, issue_token
from tests.factories import make_need, make_user


def setup_need(app):
    """An SME with a need and a token that may move it."""
    with app.app_context():
        sme = make_user("enterprise")
        need_id = make_need(sme.organisation).id
        return need_id, issue_token(sme, ("read", "needs"))


def test_same_key_replays_the_first_answer(app, client):
    """Does a repeated close with the same key answer 200 again (replayed) instead of a 409, closing once?"""
    need_id, secret = setup_need(app)
    headers = bearer(secret, **{"Idempotency-Key": "close-1"})
    first = client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=headers, json={})
    second = client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=headers, json={})
    assert first.status_code == second.status_code == 200
    assert second.headers.get("Idempotent-Replayed") == "true" and second.get_json() == first.get_json()
    with app.app_context():
        closes = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "need.closed"))
        assert closes == 1


def test_key_reused_for_another_call_is_refused(app, client):
    """Is one key sent with a different call a 422 idempotency_key_reused?"""
    need_id, secret = setup_need(app)
    headers = bearer(secret, **{"Idempotency-Key": "k"})
    client.post(f"/api/v1/needs/{need_id}/transitions/close", headers=headers, json={})
    other = client.post(f"/api/v1/needs/{need_id}/transitions/reopen", headers=headers, json={})
    assert other.status_code == 422 and other.get_json()["error"]["code"] == "idempotency_key_reused"


def test_refused_call_frees_its_key(app, client):
    """After a refused call, is the key free (no row kept) so the corrected call can use it?"""
    need_id, secret = setup_need(app)
    headers = bearer(secret, **{"Idempotency-Key": "reopen-1"})
    refused = client.post(f"/api/v1/needs/{need_id}/transitions/reopen", headers=headers, json={})
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0


def test_bad_key_is_a_400(app, client):
    """Is an over-long key refused before anything happens?"""
    need_id, secret = setup_need(app)
    answer = client.post(f"/api/v1/needs/{need_id}/transitions/close",
                         headers=bearer(secret, **{"Idempotency-Key": "x" * 300}), json={})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid_idempotency_key"
