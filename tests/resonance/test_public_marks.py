"""Are demonstration agreements marked in the public case library?"""
from marketplace.extensions import db
from marketplace.resonance.demonstrations import select_demonstration
from tests.factories import make_active_agreement, make_case, make_offering, make_user


def test_case_delivered_with_a_demonstration_offering_is_marked(app, client):
    """A published case whose offering is covered by a selected agreement shows the demonstration badge."""
    with app.app_context():
        vendor, sme, center = make_user("vendor"), make_user("enterprise"), make_user("center", city="zhuhai")
        offering = make_offering(vendor.organisation)
        agreement = make_active_agreement(vendor, sme, [offering])
        make_case(center.organisation, title="示范案例甲", offering=offering)
        make_case(center.organisation, title="普通案例乙")
        select_demonstration(agreement.id, center, 2026, 30_000_000, "可复制")
        db.session.commit()
    page = client.get("/cases/").get_data(as_text=True)
    marked = page.split("示范案例甲")[1].split("</h2>")[0]
    plain = page.split("普通案例乙")[1].split("</h2>")[0]
    assert "2026" in marked and "badge-quality" in marked and "badge-quality" not in plain
    assert "¥300,000.00" in client.get("/resonance/demonstrations").get_data(as_text=True)
