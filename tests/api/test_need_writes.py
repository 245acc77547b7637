"""Needs posted and edited through the API go through the need form's rules and the need services: title and
description lengths, codes, budgets in integer fen, deadlines, visibility, and review of an unverified SME's need."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.extensions import db
from marketplace.needs.models import Need
from tests.api.conftest import bearer, issue_token
from tests.factories import make_need, make_user

NEED = {"title": "注塑件表面缩痕检测", "description": "两条注塑线人工目检缩痕和飞边，漏检率高，想上视觉检测替代人工。",
        "industry": "mould_plastics", "scenario": "online_inspection", "city": "dongguan", "visibility": "public",
        "budget_min_fen": 10_000_000, "budget_max_fen": 30_000_000, "deployment": "edge"}


@pytest.fixture
def sme(app):
    """A verified SME with a needs token: (organisation id, secret)."""
    with app.app_context():
        user = make_user("enterprise")
        return user.organisation_id, issue_token(user, ("read", "needs"))


def test_need_is_posted_open_and_listed(client, sme):
    """Is a posted need open, answered as the read API gives it, and in the public list?"""
    _org, secret = sme
    posted = client.post("/api/v1/needs", headers=bearer(secret), json={**NEED, "deadline": "2099-12-31"})
    assert posted.status_code == 201, posted.get_json()
    body = posted.get_json()
    assert body["status"] == "open" and body["moderation"] == "visible" and body["deadline"] == "2099-12-31"
    assert posted.headers["Location"].endswith(f"/api/v1/needs/{body['id']}")
    assert client.get(f"/api/v1/needs/{body['id']}").get_json() == {**body, "organisation": body["organisation"]}
    listed = client.get("/api/v1/needs", query_string={"cursor": ""}).get_json()["items"]
    assert body["id"] in {item["id"] for item in listed}


@pytest.mark.parametrize("field,value", [
    ("title", "短"), ("title", "长" * 121), ("description", "太短了"), ("industry", "steel_mills"),
    ("scenario", "teleportation"), ("city", "hongkong"), ("visibility", "secret"), ("deployment", "moon"),
    ("budget_min_fen", -1), ("budget_max_fen", 300000.5), ("budget_max_fen", "30万"), ("budget_max_fen", 1),
    ("deadline", "2001-01-01"), ("deadline", "tomorrow"), ("deadline", 1_900_000_000), ("pain_points", "痛" * 3001)])
def test_bad_needs_are_refused_naming_the_field(client, sme, field, value):
    """Are the need form's rules (lengths, codes, budget order and fen, deadline) a 422 naming the field?"""
    org_id, secret = sme
    refused = client.post("/api/v1/needs", headers=bearer(secret), json={**NEED, field: value})
    assert refused.status_code == 422
    assert field in refused.get_json()["error"]["fields"], refused.get_json()
    with client.application.app_context():
        assert db.session.query(Need).filter_by(organisation_id=org_id).count() == 0


def test_edit_changes_the_fields_sent_and_checks_the_budget_against_the_kept_one(client, sme):
    """Does a PATCH change the title, clear the deployment with null, and refuse a minimum above the kept maximum?"""
    _org, secret = sme
    need_id = client.post("/api/v1/needs", headers=bearer(secret), json=NEED).get_json()["id"]
    changed = client.patch(f"/api/v1/needs/{need_id}", headers=bearer(secret),
                           json={"title": "注塑件缩痕与飞边检测", "deployment": None})
    assert changed.status_code == 200
    assert changed.get_json()["title"] == "注塑件缩痕与飞边检测" and changed.get_json()["deployment"] is None
    refused = client.patch(f"/api/v1/needs/{need_id}", headers=bearer(secret), json={"budget_min_fen": 40_000_000})
    assert refused.status_code == 422 and "budget_min_fen" in refused.get_json()["error"]["fields"]
    blank = client.patch(f"/api/v1/needs/{need_id}", headers=bearer(secret), json={"city": None})
    assert blank.status_code == 422 and "city" in blank.get_json()["error"]["fields"]


def test_an_unchanged_past_deadline_may_stay(app, client, sme):
    """May an edit of a need whose deadline passed keep that deadline (as the form allows) but not set a new past
    one?"""
    org_id, secret = sme
    with app.app_context():
        from marketplace.accounts.models import Organisation

        past = date.today() - timedelta(days=10)
        need_id = make_need(db.session.get(Organisation, org_id), deadline=past).id
    kept = client.patch(f"/api/v1/needs/{need_id}", headers=bearer(secret),
                        json={"deadline": past.isoformat(), "title": "新的标题四字"})
    assert kept.status_code == 200, kept.get_json()
    moved = client.patch(f"/api/v1/needs/{need_id}", headers=bearer(secret),
                         json={"deadline": (past - timedelta(days=1)).isoformat()})
    assert moved.status_code == 422 and "deadline" in moved.get_json()["error"]["fields"]


def test_unverified_smes_need_waits_for_review(app, client):
    """Is an unverified SME's need held for review, kept out of the public list, as the need page does?"""
    with app.app_context():
        secret = issue_token(make_user("enterprise", verified_at=None), ("read", "needs"))
    posted = client.post("/api/v1/needs", headers=bearer(secret), json=NEED)
    assert posted.status_code == 201 and posted.get_json()["moderation"] == "held"
    listed = client.get("/api/v1/needs", query_string={"cursor": ""}).get_json()["items"]
    assert posted.get_json()["id"] not in {item["id"] for item in listed}


def test_only_the_smes_own_needs_are_changed(app, client, sme):
    """May a vendor post a need, or another SME edit this one? (No: 403; the need is unchanged.)"""
    _org, secret = sme
    need_id = client.post("/api/v1/needs", headers=bearer(secret), json=NEED).get_json()["id"]
    with app.app_context():
        vendor = issue_token(make_user("vendor"), ("read", "needs"))
        other = issue_token(make_user("enterprise"), ("read", "needs"))
    assert client.post("/api/v1/needs", headers=bearer(vendor), json=NEED).status_code == 403
    refused = client.patch(f"/api/v1/needs/{need_id}", headers=bearer(other), json={"title": "篡改的标题"})
    assert refused.status_code == 403
    assert client.patch("/api/v1/needs/999999", headers=bearer(secret), json={}).status_code == 404
    with app.app_context():
        assert db.session.get(Need, need_id).title == NEED["title"]


def test_needs_scope_is_required(app, client):
    """Is an SME token with only the listings scope refused for needs?"""
    with app.app_context():
        secret = issue_token(make_user("enterprise"), ("read", "listings"))
    answer = client.post("/api/v1/needs", headers=bearer(secret), json=NEED)
    assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "insufficient_scope"


def test_page_and_api_apply_the_same_title_minimum(client, auth, sme):
    """Are a three-character title refused and a four-character one accepted by both the need page and the API?"""
    _org, secret = sme
    assert client.post("/api/v1/needs", headers=bearer(secret), json={**NEED, "title": "三个字"}).status_code == 422
    assert client.post("/api/v1/needs", headers=bearer(secret), json={**NEED, "title": "四个字了"}).status_code == 201
    auth.as_role("enterprise")
    form = {k: v for k, v in NEED.items() if not k.endswith("_fen")}
    assert client.post("/needs/new", data={**form, "title": "三个字"}).status_code == 422
    assert client.post("/needs/new", data={**form, "title": "四个字了"}).status_code == 302


def test_vocabulary_lists_every_code_with_both_names(client):
    """Does the public vocabulary give every code list the write endpoints take, each code in Chinese and English,
    and scenarios grouped under their stages?"""
    from marketplace import vocab

    words = client.get("/api/v1/vocabulary").get_json()
    assert [t["code"] for t in words["industries"]] == list(vocab.codes(vocab.INDUSTRIES))
    assert {"code": "one_off", "zh": "一次性买断", "en": "One-off purchase"} in words["pricing_plans"]
    assert {t["code"] for t in words["visibilities"]} == {"public", "registered"}
    grouped = [code for stage in words["stages"] for code in stage["scenarios"]]
    assert sorted(grouped) == sorted(vocab.codes(vocab.SCENARIOS))
    scenario = next(s for s in words["scenarios"] if s["code"] == "online_inspection")
    assert scenario["stage"] == "production_operations" and scenario["zh"] == "在线智能检测"
    for name in ("cities", "deployments", "model_kinds", "modalities", "provider_types", "listing_states",
                 "need_statuses", "moderation_states"):
        assert words[name] and all(t["zh"] and t["en"] for t in words[name]), name
