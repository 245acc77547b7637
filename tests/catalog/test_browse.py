"""Public list pages filter and paginate, and htmx gets only the results fragment."""
from tests.factories import make_model, make_offering, make_user


def seed_offerings(app):
    """Create three published offerings of two vendors with different facets."""
    with app.app_context():
        a = make_user("vendor", city="foshan").organisation
        b = make_user("vendor", city="dongguan").organisation
        make_offering(a, title="陶瓷砖面缺陷检测", industries=["ceramics_building"], price_fen=50_000_00,
                      deployments=["private"])
        make_offering(b, title="SMT 焊点 AOI 复判", industries=["electronics"], price_fen=200_000_00,
                      deployments=["edge"], voucher_eligible=False, tags="AOI, SMT")
        make_offering(b, title="空压站节能优化", industries=["equipment"], scenarios=["energy_management"],
                      price_fen=80_000_00, pricing_plan="annual")


def ranked_titles(response) -> list[str]:
    """Return the seeded titles a page shows, in the order shown."""
    page = response.get_data(as_text=True)
    found = [(page.index(t), t) for t in ("陶瓷砖面缺陷检测", "SMT 焊点 AOI 复判", "空压站节能优化") if t in page]
    return [t for _, t in sorted(found)]


def titles(response) -> set[str]:
    """Return which of the seeded titles a page shows."""
    page = response.get_data(as_text=True)
    return {t for t in ("陶瓷砖面缺陷检测", "SMT 焊点 AOI 复判", "空压站节能优化") if t in page}


def test_filters_narrow_offerings(app, client):
    """Industry, scenario, deployment, city, price, plan and voucher filters each narrow the list; a keyword ranks it
    by meaning (the inspection offerings for "aoi", the energy one for "节能"), leaving out what does not fit."""
    seed_offerings(app)
    assert titles(client.get("/offerings")) == {"陶瓷砖面缺陷检测", "SMT 焊点 AOI 复判", "空压站节能优化"}
    assert titles(client.get("/offerings?industry=electronics")) == {"SMT 焊点 AOI 复判"}
    assert titles(client.get("/offerings?scenario=energy_management")) == {"空压站节能优化"}
    assert titles(client.get("/offerings?deployment=private")) == {"陶瓷砖面缺陷检测"}
    assert titles(client.get("/offerings?city=dongguan")) == {"SMT 焊点 AOI 复判", "空压站节能优化"}
    assert titles(client.get("/offerings?price_max=100000")) == {"陶瓷砖面缺陷检测", "空压站节能优化"}
    assert titles(client.get("/offerings?price_min=60000&price_max=100000")) == {"空压站节能优化"}
    assert titles(client.get("/offerings?plan=annual")) == {"空压站节能优化"}
    assert titles(client.get("/offerings?voucher=y")) == {"陶瓷砖面缺陷检测", "空压站节能优化"}
    aoi = ranked_titles(client.get("/offerings?q=aoi"))
    assert aoi[0] == "SMT 焊点 AOI 复判" and "空压站节能优化" not in aoi
    assert ranked_titles(client.get("/offerings?q=空压站 节能")) == ["空压站节能优化"]


def test_invalid_filter_is_reported_not_crashing(app, client):
    """A non-numeric price filter shows a message and is ignored."""
    seed_offerings(app)
    response = client.get("/offerings?price_max=abc")
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    assert len(titles(response)) == 3


def test_htmx_request_gets_only_results_fragment(app, client):
    """An htmx request targeting #results returns the fragment, not the whole page."""
    seed_offerings(app)
    response = client.get("/offerings?industry=electronics", headers={"HX-Request": "true", "HX-Target": "results"})
    page = response.get_data(as_text=True)
    assert "<html" not in page and "SMT 焊点 AOI 复判" in page and "陶瓷砖面缺陷检测" not in page


def test_pagination(app, client):
    """Lists page by PAGE_SIZE and link to the next page."""
    with app.app_context():
        org = make_user("vendor").organisation
        for i in range(15):
            make_model(org, name=f"分页模型{i:02d}", commit=False)
        from marketplace.extensions import db
        db.session.commit()
    first = client.get("/models").get_data(as_text=True)
    second = client.get("/models?page=2").get_data(as_text=True)
    # each card's title link (its compare control names the model again, for screen readers)
    assert first.count('">分页模型') == 12 and second.count('">分页模型') == 3
    assert "page=2" in first
