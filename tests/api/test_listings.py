"""Listings written through the API go through the pages' services: drafts until published by a transition, the
same field rules (codes, lengths, integer fen), the same permissions and the same moderation of unverified
vendors; answers are the records as the read API gives them."""
from __future__ import annotations

import pytest

from marketplace.accounts.models import Organisation
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.extensions import db
from tests.api.conftest import bearer, issue_token
from tests.factories import make_model, make_user

OFFERING = {"title": "注塑件缺陷视觉检测一体机", "summary": "缩痕、飞边、缺料在线检测",
            "description": "边缘盒子接工业相机，产线上逐件检测注塑件外观缺陷。", "pricing_plan": "one_off",
            "price_fen": 12_800_000, "delivery_days": 30, "deployments": ["edge"], "industries": ["mould_plastics"],
            "scenarios": ["online_inspection"], "tags": "注塑，视觉、质检"}
MODEL = {"name": "注塑缺陷检测模型", "kind": "scene_small", "version": "2.1", "summary": "注塑件外观缺陷",
         "description": "识别缩痕、飞边、缺料。", "industries": ["mould_plastics"], "scenarios": ["online_inspection"],
         "modalities": ["image"], "deployments": ["edge", "private"],
         "evaluations": [{"metric": "漏检率", "value": "0.3%", "dataset": "注塑件 2 万张", "evaluator": "企业自测"}]}
PROVIDER = {"provider_type": "specialist", "summary": "注塑行业视觉质检", "capabilities": "视觉检测、缺陷分类。",
            "industries": ["mould_plastics"], "scenarios": ["online_inspection"], "cities_served": ["dongguan"],
            "certifications": "ISO 9001，高新技术企业"}


@pytest.fixture
def vendor(app):
    """A verified vendor with a listings token: (user id, organisation id, secret)."""
    with app.app_context():
        user = make_user("vendor")
        return user.id, user.organisation_id, issue_token(user, ("read", "listings"))


def test_offering_is_created_as_a_draft_published_by_transition_and_listed(client, vendor):
    """Does a new offering start as a draft nobody else sees, and appear in the list once its publish move is made?"""
    _uid, _org, secret = vendor
    created = client.post("/api/v1/offerings", headers=bearer(secret), json=OFFERING)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["state"] == "draft" and body["price_fen"] == 12_800_000 and body["moderation"] == "visible"
    assert created.headers["Location"].endswith(f"/api/v1/offerings/{body['id']}")
    assert client.get(created.headers["Location"], headers=bearer(secret)).get_json() == body
    assert client.get(f"/api/v1/offerings/{body['id']}").status_code == 404
    listed = client.get("/api/v1/offerings", query_string={"cursor": ""}).get_json()["items"]
    assert body["id"] not in {item["id"] for item in listed}

    moved = client.post(f"/api/v1/offerings/{body['id']}/transitions/publish", headers=bearer(secret), json={})
    assert moved.status_code == 200 and moved.get_json()["state"] == "published"
    listed = client.get("/api/v1/offerings", query_string={"cursor": ""}).get_json()["items"]
    assert body["id"] in {item["id"] for item in listed}


def test_tags_and_certifications_are_kept_as_the_pages_keep_them(client, vendor):
    """Are comma/、-separated tags and certifications stored in the one form the page stores them in?"""
    _uid, _org, secret = vendor
    offering_id = client.post("/api/v1/offerings", headers=bearer(secret), json=OFFERING).get_json()["id"]
    profile_id = client.post("/api/v1/providers", headers=bearer(secret), json=PROVIDER).get_json()["id"]
    with client.application.app_context():
        assert db.session.get(Offering, offering_id).tags == "注塑, 视觉, 质检"
        assert db.session.get(ProviderProfile, profile_id).certifications == "ISO 9001, 高新技术企业"


def test_offering_update_changes_only_the_fields_sent(client, vendor):
    """Does a PATCH change the price and leave the title, and refuse a price in yuan with decimals?"""
    _uid, _org, secret = vendor
    offering_id = client.post("/api/v1/offerings", headers=bearer(secret), json=OFFERING).get_json()["id"]
    changed = client.patch(f"/api/v1/offerings/{offering_id}", headers=bearer(secret), json={"price_fen": 9_900_000})
    assert changed.status_code == 200
    assert changed.get_json()["price_fen"] == 9_900_000 and changed.get_json()["title"] == OFFERING["title"]


@pytest.mark.parametrize("field,value", [
    ("industries", ["steel_mills"]), ("scenarios", ["online_inspection", "teleportation"]),
    ("pricing_plan", "forever"), ("deployments", []), ("price_fen", -100), ("price_fen", 0),
    ("price_fen", 128000.5), ("price_fen", 128000.0), ("price_fen", "12800000"), ("delivery_days", 731),
    ("title", "长" * 121), ("summary", "   "), ("description", None), ("surprise", 1)])
def test_bad_values_are_refused_naming_the_field(client, vendor, field, value):
    """Are unknown codes, negative or fractional or textual fen, too-long or blank text and unknown fields a 422
    naming the field, with nothing saved?"""
    _uid, org_id, secret = vendor
    refused = client.post("/api/v1/offerings", headers=bearer(secret), json={**OFFERING, field: value})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert any(name == field or name.startswith(field + ".") for name in error["fields"]), error
    with client.application.app_context():
        assert db.session.query(Offering).filter_by(organisation_id=org_id).count() == 0


def test_unknown_code_message_follows_the_callers_language(client, vendor):
    """Does the unknown-code reason name the code, in English when asked and Chinese by default?"""
    _uid, _org, secret = vendor
    en = client.post("/api/v1/offerings", headers=bearer(secret, **{"Accept-Language": "en"}),
                     json={**OFFERING, "industries": ["steel_mills"]}).get_json()["error"]
    zh = client.post("/api/v1/offerings", headers=bearer(secret), json={**OFFERING, "industries": ["steel_mills"]})
    assert "steel_mills" in en["fields"]["industries.0"][0] and "Unknown code" in en["fields"]["industries.0"][0]
    assert zh.get_json()["error"]["message"] != en["message"]


def test_a_patch_cannot_blank_a_required_field(client, vendor):
    """Is an edit sending an empty title or a null price refused, leaving the offering as it was?"""
    _uid, _org, secret = vendor
    offering_id = client.post("/api/v1/offerings", headers=bearer(secret), json=OFFERING).get_json()["id"]
    for change in ({"title": ""}, {"price_fen": None}, {"industries": []}):
        refused = client.patch(f"/api/v1/offerings/{offering_id}", headers=bearer(secret), json=change)
        assert refused.status_code == 422 and next(iter(change)) in refused.get_json()["error"]["fields"]
    with client.application.app_context():
        assert db.session.get(Offering, offering_id).title == OFFERING["title"]


def test_another_vendor_cannot_change_an_offering(app, client, vendor):
    """May a second vendor PATCH or publish the first vendor's offering? (No: 404 while it is a draft, 403 once
    it is published, and nothing changes.)"""
    _uid, _org, secret = vendor
    offering_id = client.post("/api/v1/offerings", headers=bearer(secret), json=OFFERING).get_json()["id"]
    with app.app_context():
        other = issue_token(make_user("vendor"), ("read", "listings"))
    draft = client.patch(f"/api/v1/offerings/{offering_id}", headers=bearer(other), json={"title": "篡改的标题"})
    assert draft.status_code == 404
    assert client.post(f"/api/v1/offerings/{offering_id}/transitions/publish", headers=bearer(other),
                       json={}).status_code == 404
    client.post(f"/api/v1/offerings/{offering_id}/transitions/publish", headers=bearer(secret), json={})
    published = client.patch(f"/api/v1/offerings/{offering_id}", headers=bearer(other), json={"title": "篡改的标题"})
    assert published.status_code == 403 and published.get_json()["error"]["code"] == "forbidden"
    with app.app_context():
        assert db.session.get(Offering, offering_id).title == OFFERING["title"]


def test_offering_behind_another_vendors_model_is_refused(app, client, vendor):
    """Can an offering name a model of another vendor? (No: a 422 on model_ids.) Its own model is linked."""
    _uid, org_id, secret = vendor
    with app.app_context():
        foreign = make_model(make_user("vendor").organisation).id
        own = make_model(db.session.get(Organisation, org_id)).id
    refused = client.post("/api/v1/offerings", headers=bearer(secret), json={**OFFERING, "model_ids": [foreign]})
    assert refused.status_code == 422 and "model_ids" in refused.get_json()["error"]["fields"]
    linked = client.post("/api/v1/offerings", headers=bearer(secret), json={**OFFERING, "model_ids": [own]})
    assert linked.status_code == 201 and linked.get_json()["model_ids"] == [own]


def test_scope_and_role_decide_who_may_create(app, client):
    """Is a token without the listings scope refused (403 insufficient_scope), an SME refused (403 forbidden), and
    a visitor asked to sign in (401)?"""
    with app.app_context():
        read_only = issue_token(make_user("vendor"), ("read",))
        sme = issue_token(make_user("enterprise"), ("read", "listings"))
    scope = client.post("/api/v1/offerings", headers=bearer(read_only), json=OFFERING)
    assert scope.status_code == 403 and scope.get_json()["error"]["code"] == "insufficient_scope"
    role = client.post("/api/v1/offerings", headers=bearer(sme), json=OFFERING)
    assert role.status_code == 403 and role.get_json()["error"]["code"] == "forbidden"
    assert client.post("/api/v1/offerings", json=OFFERING).status_code == 401


def test_unverified_vendors_published_listing_waits_for_review(app, client):
    """Does an unverified vendor's published offering wait for a moderator (held), unlisted, as on the pages?"""
    with app.app_context():
        secret = issue_token(make_user("vendor", verified_at=None), ("read", "listings"))
    offering_id = client.post("/api/v1/offerings", headers=bearer(secret), json=OFFERING).get_json()["id"]
    assert client.post(f"/api/v1/offerings/{offering_id}/transitions/publish", headers=bearer(secret),
                       json={}).status_code == 200
    mine = client.get(f"/api/v1/offerings/{offering_id}", headers=bearer(secret)).get_json()
    assert mine["state"] == "published" and mine["moderation"] == "held"
    assert client.get(f"/api/v1/offerings/{offering_id}").status_code == 404
    listed = client.get("/api/v1/offerings", query_string={"cursor": ""}).get_json()["items"]
    assert offering_id not in {item["id"] for item in listed}


def test_create_with_idempotency_key_makes_one_offering(client, vendor):
    """Does sending the same create twice with one Idempotency-Key make one offering and replay the answer?"""
    _uid, org_id, secret = vendor
    first = client.post("/api/v1/offerings", headers=bearer(secret, **{"Idempotency-Key": "k-1"}), json=OFFERING)
    again = client.post("/api/v1/offerings", headers=bearer(secret, **{"Idempotency-Key": "k-1"}), json=OFFERING)
    assert first.status_code == again.status_code == 201 and first.get_json() == again.get_json()
    with client.application.app_context():
        assert db.session.query(Offering).filter_by(organisation_id=org_id).count() == 1


# ---- models and their evaluation tables -----------------------------------------------------------------------

def test_model_card_is_created_with_its_evaluation_table(client, vendor):
    """Is a model card created as a draft with its self-reported evaluation rows?"""
    _uid, _org, secret = vendor
    created = client.post("/api/v1/models", headers=bearer(secret), json=MODEL)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["state"] == "draft" and body["deployments"] == ["edge", "private"]
    [row] = body["evaluations"]
    assert row["metric"] == "漏检率" and row["attestation"] == "self_reported" and row["third_party"] is False


def test_a_client_cannot_mark_an_evaluation_attested(client, vendor):
    """Is a row claiming to be attested refused (unknown field), and naming an evaluator only makes it pending?"""
    _uid, _org, secret = vendor
    for claim in ({"attestation": "attested"}, {"third_party": True}, {"attested_at": "2026-01-01"}):
        row = {**MODEL["evaluations"][0], **claim}
        refused = client.post("/api/v1/models", headers=bearer(secret), json={**MODEL, "evaluations": [row]})
        assert refused.status_code == 422
        assert f"evaluations.0.{next(iter(claim))}" in refused.get_json()["error"]["fields"]
    with client.application.app_context():
        lab = make_user("evaluator").organisation_id
    row = {"metric": "漏检率", "value": "0.2%", "evaluator_org_id": lab}
    named = client.post("/api/v1/models", headers=bearer(secret), json={**MODEL, "evaluations": [row]}).get_json()
    assert named["evaluations"][0]["attestation"] == "pending" and named["evaluations"][0]["third_party"] is False


def test_evaluation_rows_are_checked_like_the_form(client, vendor):
    """Is a row without an evaluator, a row naming a non-evaluator organisation, or a 21st row refused?"""
    _uid, _org, secret = vendor
    with client.application.app_context():
        sme_org = make_user("enterprise").organisation_id
    cases = [([{"metric": "漏检率", "value": "0.2%"}], "evaluations.0.evaluator"),
             ([{"metric": "漏检率", "value": "0.2%", "evaluator_org_id": sme_org}], "evaluations"),
             ([MODEL["evaluations"][0]] * 21, "evaluations")]
    for rows, field in cases:
        refused = client.post("/api/v1/models", headers=bearer(secret), json={**MODEL, "evaluations": rows})
        assert refused.status_code == 422 and field in refused.get_json()["error"]["fields"], refused.get_json()


def test_replacing_the_evaluation_table_keeps_rows_sent_with_their_id(app, client, vendor):
    """Does a PATCH of the table keep a row sent with its id (and its attestation), add new ones and drop the
    rest; and does a PATCH without `evaluations` leave the table alone?"""
    _uid, _org, secret = vendor
    rows = [*MODEL["evaluations"], {"metric": "F1", "value": "0.9", "evaluator": "自测"}]
    body = client.post("/api/v1/models", headers=bearer(secret), json={**MODEL, "evaluations": rows}).get_json()
    kept, dropped = body["evaluations"]
    with app.app_context():
        row = db.session.get(IndustrialModel, body["id"]).evaluations[0]
        row.attestation = "attested"
        db.session.commit()
    unchanged = client.patch(f"/api/v1/models/{body['id']}", headers=bearer(secret), json={"version": "2.2"})
    assert [e["id"] for e in unchanged.get_json()["evaluations"]] == [kept["id"], dropped["id"]]
    rows = [{"id": kept["id"], "metric": kept["metric"], "value": kept["value"], "dataset": kept["dataset"],
             "evaluator": kept["evaluator"]}, {"metric": "召回率", "value": "99%", "evaluator": "自测"}]
    replaced = client.patch(f"/api/v1/models/{body['id']}", headers=bearer(secret), json={"evaluations": rows})
    table = replaced.get_json()["evaluations"]
    assert [e["metric"] for e in table] == ["漏检率", "召回率"] and table[0]["id"] == kept["id"]
    assert table[0]["third_party"] is True and table[1]["third_party"] is False


# ---- provider profile -----------------------------------------------------------------------------------------

def test_provider_profile_is_created_once_then_changed(client, vendor):
    """Is the profile created as a draft, a second create a 409 pointing to PATCH, and a PATCH applied?"""
    _uid, _org, secret = vendor
    created = client.post("/api/v1/providers", headers=bearer(secret), json=PROVIDER)
    assert created.status_code == 201 and created.get_json()["state"] == "draft"
    again = client.post("/api/v1/providers", headers=bearer(secret), json=PROVIDER)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "exists"
    changed = client.patch(f"/api/v1/providers/{created.get_json()['id']}", headers=bearer(secret),
                           json={"cities_served": ["dongguan", "foshan"]})
    assert changed.status_code == 200 and changed.get_json()["cities_served"] == ["dongguan", "foshan"]
    refused = client.patch(f"/api/v1/providers/{created.get_json()['id']}", headers=bearer(secret),
                           json={"cities_served": ["atlantis"]})
    assert refused.status_code == 422 and "cities_served.0" in refused.get_json()["error"]["fields"]


def test_a_body_that_is_not_json_is_refused(client, vendor):
    """Is a form-encoded or non-object body a 415 or 400, not a 5xx?"""
    _uid, _org, secret = vendor
    assert client.post("/api/v1/offerings", headers=bearer(secret), data={"title": "x"}).status_code == 415
    assert client.post("/api/v1/offerings", headers=bearer(secret), json=[1, 2]).status_code == 400
    empty = client.post("/api/v1/offerings", headers=bearer(secret))
    assert empty.status_code == 422 and "title" in empty.get_json()["error"]["fields"]


# ---- the page and the API apply one set of rules --------------------------------------------------------------

def test_page_and_api_refuse_the_same_overlong_title(app, client, auth, vendor):
    """Is a 121-character title refused by both the offering page and the API, from the one declared limit?"""
    from marketplace.catalog.fields import OFFERING_FIELDS

    limit = OFFERING_FIELDS["title"].max
    _uid, _org, secret = vendor
    api = client.post("/api/v1/offerings", headers=bearer(secret), json={**OFFERING, "title": "长" * (limit + 1)})
    assert api.status_code == 422 and "title" in api.get_json()["error"]["fields"]
    auth.as_role("vendor")
    form = {**{k: v for k, v in OFFERING.items() if k != "price_fen"}, "price": "128000", "title": "长" * (limit + 1)}
    page = client.post("/offerings/new", data=form)
    assert page.status_code == 422
    ok = client.post("/offerings/new", data={**form, "title": "长" * limit})
    assert ok.status_code == 302


def test_service_refuses_what_the_form_would(app):
    """Does the catalogue service itself refuse an unknown code and a zero price (whoever calls it)?"""
    from marketplace.catalog.services import save_offering
    from marketplace.errors import DomainError

    with app.app_context():
        org = make_user("vendor").organisation
        with pytest.raises(DomainError) as refused:
            save_offering(org, {**OFFERING, "price_fen": 0, "industries": ["nope"]}, [])
        assert {name for name, _text in refused.value.reasons} == {"price_fen", "industries"}
