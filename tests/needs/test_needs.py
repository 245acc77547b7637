"""SMEs post, edit, close and reopen needs; validation keeps input; visibility rules hold."""
from datetime import date, timedelta

from sqlalchemy import select

from marketplace.accounts.models import Organisation
from marketplace.extensions import db
from marketplace.needs.models import Need
from tests.factories import make_need, make_user


def need_form(**overrides):
    """Return a complete, valid need form."""
    data = {"title": "注塑件缩痕飞边自动检测", "description": "我们有 12 台海天 MA1600 注塑机生产空调面板，缩痕和飞边全靠人工目检，夜班漏检多。",
            "industry": "mould_plastics", "scenario": "online_inspection", "pain_points": "夜班漏检",
            "data_available": "不良品照片约 3000 张", "budget_min": "100000", "budget_max": "300000",
            "deadline": (date.today() + timedelta(days=60)).isoformat(), "deployment": "private",
            "city": "zhongshan", "visibility": "public"}
    data.update(overrides)
    return data


def test_sme_posts_need_and_finds_it_in_list(app, client, auth):
    """A posted need is open, stores the budget in fen and appears in the list."""
    auth.as_role("enterprise")
    response = client.post("/needs/new", data=need_form())
    assert response.status_code == 302
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert (need.status, need.budget_min_fen, need.budget_max_fen) == ("open", 10_000_000, 30_000_000)
    assert "注塑件缩痕飞边自动检测" in client.get("/needs/").get_data(as_text=True)


def test_budget_min_above_max_is_refused(app, client, auth):
    """A budget minimum above the maximum re-renders with the input and a message; nothing is saved."""
    auth.as_role("enterprise")
    response = client.post("/needs/new", data=need_form(budget_min="500000", budget_max="100000"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "注塑件缩痕飞边自动检测" in page and 'class="error"' in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Need)) == 0


def test_missing_required_and_past_deadline_are_refused(client, auth):
    """Missing title/description and a past deadline each get a message."""
    auth.as_role("enterprise")
    response = client.post("/needs/new", data=need_form(title="", description="",
                                                        deadline=(date.today() - timedelta(days=1)).isoformat()))
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('class="error"') >= 3


def test_owner_edits_and_closes_and_reopens(app, client, auth):
    """The SME edits its need, closes it (it leaves the open list) and reopens it."""
    who = auth.as_role("enterprise")
    with app.app_context():
        need_id = make_need(db.session.get(Organisation, who.org_id), title="仓库找料慢要解决").id
    assert client.post(f"/needs/{need_id}/edit", data=need_form(title="仓库找料慢，想上 WMS")).status_code == 302
    assert client.post(f"/needs/{need_id}/close").status_code == 302
    assert "仓库找料慢，想上 WMS" not in client.get("/needs/").get_data(as_text=True)
    response = client.post(f"/needs/{need_id}/close", follow_redirects=True)
    assert "flash-info" in response.get_data(as_text=True)  # closed already: a note, not an error
    client.post(f"/needs/{need_id}/reopen")
    with app.app_context():
        assert db.session.get(Need, need_id).status == "open"


def test_registered_only_need_hides_name_from_anonymous_and_vendors(app, client, auth):
    """A registered-only need is not listed to visitors, and vendors see it without the SME's name."""
    with app.app_context():
        sme = make_user("enterprise", name="保密陶瓷有限公司").organisation
        need_id = make_need(sme, title="窑炉温控优化（保密）", visibility="registered").id
    assert "窑炉温控优化（保密）" not in client.get("/needs/").get_data(as_text=True)
    assert client.get(f"/needs/{need_id}").status_code == 302
    assert client.get(f"/api/v1/needs/{need_id}").status_code == 403
    auth.as_role("vendor")
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "窑炉温控优化（保密）" in page and "保密陶瓷有限公司" not in page
    assert "保密陶瓷有限公司" not in client.get("/needs/").get_data(as_text=True)
    assert client.get(f"/api/v1/needs/{need_id}").get_json()["organisation"] is None


def test_needs_filters(app, client):
    """Needs filter by scenario, city and budget."""
    with app.app_context():
        sme = make_user("enterprise").organisation
        make_need(sme, title="需求甲", scenario="predictive_maintenance", city="jiangmen", budget_max_fen=5_000_000)
        make_need(sme, title="需求乙", scenario="online_inspection", city="foshan", budget_max_fen=50_000_000)
    assert "需求乙" not in client.get("/needs/?scenario=predictive_maintenance").get_data(as_text=True)
    assert "需求甲" not in client.get("/needs/?city=foshan").get_data(as_text=True)
    page = client.get("/needs/?budget=100000").get_data(as_text=True)
    assert "需求乙" in page and "需求甲" not in page
