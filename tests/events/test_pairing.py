"""Does the pairing table suggest, for each registered need, the best registered offerings with reasons?

Uses the real search index on a tiny catalogue (a handful of documents).
"""
from __future__ import annotations

from marketplace.events.services import suggest_pairings
from marketplace.extensions import db
from tests.factories import make_event, make_need, make_offering, make_registration, make_user


def test_pairing_ranks_registered_offerings_per_need_and_ignores_unregistered_ones(app, client, auth):
    """The ceramic-defect need gets the registered visual-inspection offering first; an unregistered one never shows."""
    with app.app_context():
        center = make_user("center")
        event = make_event(center.organisation)
        vendor = make_user("vendor").organisation
        sme = make_user("enterprise").organisation
        inspection = make_offering(vendor, title="陶瓷砖面缺陷视觉检测系统", summary="针孔、色差、裂纹在线检测",
                                   description="面向抛釉砖产线的视觉检测，检测针孔、色差与裂纹。",
                                   industries=["ceramics_building"], tags="陶瓷, 视觉检测, 针孔")
        compressor = make_offering(vendor, title="空压站群控节能服务", summary="空压机群控与泄漏监测",
                                   description="空压站群控，按用气量调度空压机，降低电耗。",
                                   industries=["hardware_metal"], scenarios=["energy_management"], tags="空压机, 节能")
        unregistered = make_offering(vendor, title="瓷砖针孔色差检测一体机", summary="瓷砖针孔与色差检测",
                                     description="抛釉砖针孔、色差检测一体机。", industries=["ceramics_building"])
        tile_need = make_registration(event, make_need(sme))
        air_need = make_registration(event, make_need(sme, title="空压机电费太高", scenario="energy_management",
                                                      description="五台空压机常年满载运行，电费高，想做群控节能。",
                                                      industry="hardware_metal"))
        make_registration(event, inspection)
        make_registration(event, compressor)
        rows = {row.registration.id: row for row in suggest_pairings(event, center)}
        tile_matches = [reg.offering_id for _m, reg in rows[tile_need.id].matches]
        air_matches = [reg.offering_id for _m, reg in rows[air_need.id].matches]
        assert tile_matches[0] == inspection.id and air_matches[0] == compressor.id
        assert unregistered.id not in tile_matches + air_matches
        best, _reg = rows[tile_need.id].matches[0]
        assert best.same_scenario and best.same_industry
        event_id, email, ids = event.id, center.email, (tile_need.id, inspection.id)
        db.session.remove()
    auth.login(email)
    page = client.get(f"/events/{event_id}/pairings").get_data(as_text=True)
    assert "陶瓷砖面缺陷视觉检测系统" in page and "瓷砖针孔色差检测一体机" not in page
    assert f'name="need_registration" value="{ids[0]}"' in page
    scheduled = client.post(f"/events/{event_id}/meetings", data={"from": "pairings", "need_registration": ids[0],
                                                                   "offering_registration": _offering_reg(app, ids[1]),
                                                                   "slot": 0, "table_no": 1})
    assert scheduled.status_code == 302
    assert "14:00" in client.get(f"/events/{event_id}/pairings").get_data(as_text=True)


def _offering_reg(app, offering_id: int) -> int:
    """Return the registration id of an offering."""
    from marketplace.events.models import EventRegistration

    with app.app_context():
        return db.session.scalar(db.select(EventRegistration.id).where(EventRegistration.offering_id == offering_id))
