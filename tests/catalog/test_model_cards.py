"""Does a model card hold and show its sections, an append-only version history and the offerings built on it?"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.catalog.models import IndustrialModel, ModelVersion
from marketplace.catalog.services import add_model_version, save_model
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from tests.factories import make_model, make_offering, make_user

TODAY = date(2026, 3, 10)


def test_a_release_is_appended_and_becomes_the_current_version(in_app):
    """Two releases make a history newest first; the model's version is the newest; the addition is audited."""
    vendor = make_user("vendor")
    model = make_model(vendor.organisation, version="1.0")
    add_model_version(model, vendor, "1.0", date(2025, 1, 6), "首个商用版本。", today=TODAY)
    add_model_version(model, vendor, "1.1", date(2025, 9, 1), "漏检率降低 0.1 个百分点。", today=TODAY)
    db.session.commit()
    db.session.expire_all()
    model = db.session.get(IndustrialModel, model.id)
    assert [(v.number, v.notes) for v in model.versions] == [("1.1", "漏检率降低 0.1 个百分点。"),
                                                              ("1.0", "首个商用版本。")]
    assert model.version == "1.1"
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_id == str(model.id))) \
        == "model.version_added"


def test_an_earlier_release_is_never_changed_by_a_later_one(in_app):
    """Adding 2.0 leaves the row of 1.0 exactly as it was (same id, number, date and notes)."""
    vendor = make_user("vendor")
    model = make_model(vendor.organisation)
    first = add_model_version(model, vendor, "1.0", date(2025, 1, 6), "首个商用版本。", today=TODAY)
    db.session.commit()
    before = (first.id, first.number, first.released_on, first.notes)
    add_model_version(model, vendor, "2.0", date(2026, 2, 1), "换用新骨干网络。", today=TODAY)
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(ModelVersion, before[0])
    assert (again.id, again.number, again.released_on, again.notes) == before


@pytest.mark.parametrize("number, released_on, notes, field", [
    ("1.0", date(2025, 3, 1), "重复的版本号", "number"),
    ("1.2", TODAY + timedelta(days=1), "未来的发布日期", "released_on"),
    ("1.3", date(2025, 3, 1), "  ", "notes"),
    ("", date(2025, 3, 1), "没有版本号", "number"),
])
def test_a_release_is_refused_when_it_would_rewrite_or_blur_the_history(in_app, number, released_on, notes, field):
    """A number used before, a date in the future, no notes or no number is refused on its field; nothing is added."""
    vendor = make_user("vendor")
    model = make_model(vendor.organisation)
    add_model_version(model, vendor, "1.0", date(2025, 1, 6), "首个商用版本。", today=TODAY)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        add_model_version(model, vendor, number, released_on, notes, today=TODAY)
    assert refused.value.field == field
    db.session.rollback()
    assert [v.number for v in db.session.get(IndustrialModel, model.id).versions] == ["1.0"]


def test_only_the_owning_vendor_adds_a_release(in_app):
    """Another vendor may not add to a model's history."""
    model = make_model(make_user("vendor").organisation)
    with pytest.raises(PermissionDenied):
        add_model_version(model, make_user("vendor"), "9.0", date(2025, 1, 6), "冒名发布", today=TODAY)


def test_the_card_sections_are_saved_within_their_limits(in_app):
    """Intended use, limitations and training data are saved; one over its limit is refused on its field."""
    vendor = make_user("vendor")
    model = make_model(vendor.organisation)
    save_model(vendor.organisation, {"intended_use": " 注塑件外观检测 ", "limitations": "不适用于透明件",
                                     "training_data": "12 万张产线图片"}, None, model=model)
    assert (model.intended_use, model.limitations, model.training_data) == ("注塑件外观检测", "不适用于透明件",
                                                                            "12 万张产线图片")
    with pytest.raises(DomainError) as refused:
        save_model(vendor.organisation, {"limitations": "长" * 4001}, None, model=model)
    assert refused.value.field == "limitations"


def test_intended_use_is_part_of_the_search_document(in_app):
    """A model is found by what its card says it is for."""
    from marketplace.matching.documents import document_for

    model = make_model(make_user("vendor").organisation, intended_use="面向陶瓷厂抛釉砖产线的釉面针孔检测")
    assert "抛釉砖产线的釉面针孔检测" in document_for(model).text


def test_the_card_page_shows_its_sections_in_order_with_a_table_of_contents(app, client):
    """A visitor sees every section heading in reading order, linked from the table of contents; an empty section
    says honestly that it is not filled in."""
    with app.app_context():
        model = make_model(make_user("vendor").organisation, intended_use="用于 SMT 焊点外观复判。",
                           limitations=None, training_data="16 万张 AOI 复判图。")
        model_id = model.id
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    anchors = ["overview", "intended-use", "limitations", "training-data", "evaluations", "versions", "built-on"]
    for anchor in anchors:
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    positions = [page.index(f'id="{anchor}"') for anchor in anchors]
    assert positions == sorted(positions)
    assert "用于 SMT 焊点外观复判。" in page and "16 万张 AOI 复判图。" in page
    limitations = page[page.index('id="limitations"'):page.index('id="training-data"')]
    assert "未填写" in limitations or "Not filled in" in limitations
    assert "owner-prompt" not in page


def test_the_owner_is_prompted_to_fill_empty_sections_and_can_add_a_release(app, client, auth):
    """The owner sees a prompt with a link to the edit page, and adds a release from the card."""
    vendor = auth.as_role("vendor")
    with app.app_context():
        from marketplace.accounts.models import Organisation

        model_id = make_model(db.session.get(Organisation, vendor.org_id)).id
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    assert "owner-prompt" in page and f"/models/{model_id}/edit" in page
    response = client.post(f"/models/{model_id}/versions", data={"number": "2.0", "released_on": "2025-12-01",
                                                                 "notes": "支持边缘端 INT8 推理。"})
    assert response.status_code == 302
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    assert "v2.0" in page and "支持边缘端 INT8 推理。" in page
    refused = client.post(f"/models/{model_id}/versions", data={"number": "2.0", "released_on": "2025-12-02",
                                                                "notes": "再来一次"})
    assert refused.status_code == 422
    assert 'name="notes"' in refused.get_data(as_text=True)


def test_the_card_lists_the_published_offerings_built_on_the_model_with_their_price(app, client):
    """A published offering using the model is listed with its price and unit; a draft one is not."""
    with app.app_context():
        vendor = make_user("vendor")
        model = make_model(vendor.organisation)
        make_offering(vendor.organisation, title="焊点复判云服务", models=[model], pricing_plan="per_call",
                      price_fen=5)
        make_offering(vendor.organisation, title="尚未发布的方案", models=[model], state="draft")
        model_id = model.id
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    built_on = page[page.index('id="built-on"'):]
    assert "焊点复判云服务" in built_on and "尚未发布的方案" not in built_on
    assert "0.05" in built_on and ("/次" in built_on or "/call" in built_on)


def test_the_api_writes_and_reads_the_card_sections(app, client, auth):
    """POST /api/v1/models accepts the sections and answers them with the version history; an over-long one is a
    422 naming the field."""
    auth.as_role("vendor")
    body = {"name": "注塑缺陷检测", "kind": "scene_small", "version": "1.0", "summary": "注塑件外观",
            "description": "检测缩痕与飞边。", "industries": ["electronics"], "scenarios": ["online_inspection"],
            "modalities": ["image"], "deployments": ["edge"], "intended_use": "注塑件外观检测",
            "limitations": "不适用于透明件", "training_data": "8 万张注塑件图片"}
    created = client.post("/api/v1/models", json=body)
    assert created.status_code == 201, created.get_json()
    answer = created.get_json()
    assert (answer["intended_use"], answer["limitations"], answer["training_data"]) == (
        "注塑件外观检测", "不适用于透明件", "8 万张注塑件图片")
    assert answer["versions"] == []
    too_long = client.post("/api/v1/models", json={**body, "training_data": "长" * 4001})
    assert too_long.status_code == 422
    assert "training_data" in str(too_long.get_json())
