"""Vendors create, edit, publish and delist listings; the public sees only what is published."""
from sqlalchemy import select

from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.extensions import db
from tests.factories import make_model, make_offering, make_user


def offering_form(**overrides):
    """Return a complete, valid offering form."""
    data = {"title": "压铸件 X 光气孔检测服务", "summary": "铝压铸件内部气孔、缩松自动判级",
            "description": "基于 DR 成像的压铸件内部缺陷检测，输出 ASTM E505 等级。", "pricing_plan": "annual",
            "price": "360000.50", "delivery_days": "45", "voucher_eligible": "y", "deployments": ["private"],
            "industries": ["auto_parts"], "scenarios": ["online_inspection"], "tags": "X光, 压铸, ASTM E505"}
    data.update(overrides)
    return data


def test_vendor_creates_offering_as_draft_with_exact_fen(app, client, auth):
    """A new offering is a draft and its yuan price is stored as exact integer fen."""
    auth.as_role("vendor")
    response = client.post("/offerings/new", data=offering_form())
    assert response.status_code == 302
    with app.app_context():
        offering = db.session.scalar(select(Offering))
        assert offering.state == "draft"
        assert offering.price_fen == 36_000_050
        assert offering.tags == "X光, 压铸, ASTM E505"


def test_draft_is_hidden_from_public_until_published(app, client, auth):
    """A draft answers 404 to others; after publishing it is listed publicly."""
    who = auth.as_role("vendor")
    client.post("/offerings/new", data=offering_form())
    with app.app_context():
        offering_id = db.session.scalar(select(Offering.id))
    assert client.post(f"/listings/offering/{offering_id}/publish").status_code == 302
    auth.logout()
    assert "压铸件 X 光气孔检测服务" in client.get("/offerings").get_data(as_text=True)
    assert client.get(f"/offerings/{offering_id}").status_code == 200
    with app.app_context():
        db.session.get(Offering, offering_id).state = "draft"
        db.session.commit()
    assert client.get(f"/offerings/{offering_id}").status_code == 404
    assert who.org_id


def test_illegal_transition_is_refused_with_message(app, client, auth):
    """Delisting a draft is refused with a message and changes nothing."""
    who = auth.as_role("vendor")
    with app.app_context():
        from marketplace.accounts.models import Organisation
        offering_id = make_offering(db.session.get(Organisation, who.org_id), state="draft").id
    response = client.post(f"/listings/offering/{offering_id}/delist", follow_redirects=True)
    assert "flash-error" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Offering, offering_id).state == "draft"


def test_delisted_offering_leaves_public_list(app, client, auth):
    """Delisting removes an offering from the public list at once; it can be republished."""
    who = auth.as_role("vendor")
    with app.app_context():
        from marketplace.accounts.models import Organisation
        offering_id = make_offering(db.session.get(Organisation, who.org_id), title="独一无二的冷站能效优化").id
    assert "独一无二的冷站能效优化" in client.get("/offerings").get_data(as_text=True)
    client.post(f"/listings/offering/{offering_id}/delist")
    assert "独一无二的冷站能效优化" not in client.get("/offerings").get_data(as_text=True)
    client.post(f"/listings/offering/{offering_id}/publish")
    assert "独一无二的冷站能效优化" in client.get("/offerings").get_data(as_text=True)


def test_bad_price_keeps_input_and_saves_nothing(app, client, auth):
    """Negative, non-numeric or sub-fen prices re-render with the input and a message."""
    auth.as_role("vendor")
    for price in ("-5", "abc", "12.345", "0"):
        response = client.post("/offerings/new", data=offering_form(price=price))
        assert response.status_code == 422, price
        page = response.get_data(as_text=True)
        assert "压铸件 X 光气孔检测服务" in page
        assert 'class="error"' in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Offering)) == 0


def test_over_long_title_is_refused(app, client, auth):
    """A title over 120 characters is refused with a message."""
    auth.as_role("vendor")
    response = client.post("/offerings/new", data=offering_form(title="长" * 121))
    assert response.status_code == 422
    assert 'id="title-err"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Offering)) == 0


def test_offering_cannot_link_another_vendors_model(app, client, auth):
    """Linking a model owned by another vendor is refused."""
    with app.app_context():
        other = make_user("vendor")
        foreign_id = make_model(other.organisation).id
    auth.as_role("vendor")
    response = client.post("/offerings/new", data=offering_form(model_ids=[str(foreign_id)]))
    assert response.status_code == 422
    assert 'id="model_ids-err"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Offering)) == 0


def test_model_card_with_evaluation_rows(app, client, auth):
    """A model card saves its filled evaluation rows and shows them as a table; a row naming an evaluation body
    is not third-party yet: it shows as self-reported, awaiting that body's attestation."""
    from tests.factories import make_org

    with app.app_context():
        lab_id = make_org("evaluator", name="广东省工业模型评测中心").id
        db.session.commit()
    auth.as_role("vendor")
    data = {"name": "锂电极片涂布缺陷检测", "kind": "scene_small", "version": "3.1.0", "summary": "涂布划痕、漏箔、气泡",
            "description": "线扫相机 16K 采集，检测划痕、漏箔、气泡、颗粒。", "tasks": "缺陷检测, 缺陷分类",
            "industries": ["new_energy"], "scenarios": ["online_inspection"], "modalities": ["image"],
            "deployments": ["edge"], "hardware": "Jetson Orin NX", "licence": "商业授权",
            "evaluations-0-metric": "漏检率", "evaluations-0-value": "0.2%", "evaluations-0-dataset": "极片 8 万张",
            "evaluations-0-evaluator_org_id": str(lab_id),
            "evaluations-1-metric": "", "evaluations-2-metric": ""}
    response = client.post("/models/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        model = db.session.scalar(select(IndustrialModel))
        assert [(e.metric, e.value, e.evaluator_org_id, e.attestation) for e in model.evaluations] == [
            ("漏检率", "0.2%", lab_id, "pending")]
        model_id = model.id
    page = client.get(f"/models/{model_id}").get_data(as_text=True)
    assert "广东省工业模型评测中心" in page
    assert "badge-attested" not in page


def test_half_filled_evaluation_row_is_refused(app, client, auth):
    """An evaluation row with a metric but no value is refused with a message."""
    auth.as_role("vendor")
    data = {"name": "模型", "kind": "scene_small", "version": "1", "summary": "s", "description": "d",
            "industries": ["new_energy"], "scenarios": ["online_inspection"], "modalities": ["image"],
            "deployments": ["edge"], "evaluations-0-metric": "准确率"}
    response = client.post("/models/new", data=data)
    assert response.status_code == 422
    assert "每条评测结果须填写指标、数值和评测机构。" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(IndustrialModel)) == 0


def test_provider_profile_create_and_publish(app, client, auth):
    """A vendor creates a profile, publishes it, and it appears in the provider list."""
    auth.as_role("vendor", name="东莞松湖视觉科技有限公司")
    data = {"provider_type": "specialist", "summary": "3C 外观检测", "capabilities": "高反光曲面外观检测",
            "industries": ["electronics"], "scenarios": ["online_inspection"], "cities_served": ["dongguan"],
            "certifications": "ISO 9001，高新技术企业"}
    assert client.post("/providers/mine", data=data).status_code == 302
    with app.app_context():
        profile = db.session.scalar(select(ProviderProfile))
        assert profile.certifications == "ISO 9001, 高新技术企业"
        profile_id = profile.id
    assert "东莞松湖视觉科技有限公司" not in client.get("/providers").get_data(as_text=True)
    client.post(f"/listings/provider/{profile_id}/publish")
    assert "东莞松湖视觉科技有限公司" in client.get("/providers").get_data(as_text=True)


def test_unknown_ids_are_404_pages(client):
    """Unknown listing ids give 404 pages, not tracebacks."""
    for url in ("/offerings/999999", "/models/999999", "/providers/999999", "/needs/999999", "/cases/999999"):
        response = client.get(url)
        assert response.status_code == 404
        assert "<html" in response.get_data(as_text=True)
