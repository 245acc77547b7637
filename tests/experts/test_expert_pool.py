"""Does the expert pool keep contact details private until a request is accepted, and run requests as the
center answers them (schedule, decline, record the visit, withdraw)?"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from marketplace.experts.models import ExpertRequest
from marketplace.extensions import db
from marketplace.kinds import get_kind
from marketplace.notifications.models import Notification
from tests.factories import make_expert

PHONE = "0756-3800-1200"


def ask(client, expert_id: int, **overrides):
    """Post the request form on an expert's page."""
    data = {"kind": "diagnosis", "topic": "注塑件外观缺陷视觉检测的改造路线", "details": "每天约两万件。", "need_id": ""}
    data.update(overrides)
    return client.post(f"/experts/{expert_id}/request", data=data)


def the_request(app) -> ExpertRequest:
    """Return the only request, fresh from the database."""
    with app.app_context():
        found = db.session.scalars(select(ExpertRequest)).one()
        db.session.expunge(found)
        return found


def schedule(client, request_id: int, when: datetime | None = None, place: str = "企业一号厂房会议室"):
    """Post the center's schedule form (the time typed in Beijing time)."""
    when = when or datetime.now(UTC) + timedelta(days=3)
    local = (when + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")
    return client.post(f"/experts/requests/{request_id}/schedule", data={"scheduled_for": local, "place": place})


def test_contact_details_are_shown_only_after_a_request_is_accepted(app, client, auth, pool):
    """Visitors, other SMEs and the asking SME before acceptance never see the phone; after it the SME does."""
    assert PHONE not in client.get(f"/experts/{pool.expert_id}").get_data(as_text=True)
    auth.login(pool.other_sme)
    assert PHONE not in client.get(f"/experts/{pool.expert_id}").get_data(as_text=True)
    auth.logout()
    auth.login(pool.sme)
    assert ask(client, pool.expert_id).status_code == 302
    request_id = the_request(app).id
    assert PHONE not in client.get(f"/experts/{pool.expert_id}").get_data(as_text=True)
    assert PHONE not in client.get(f"/experts/requests/{request_id}").get_data(as_text=True)
    auth.logout()
    auth.login(pool.center)
    assert PHONE in client.get(f"/experts/{pool.expert_id}").get_data(as_text=True)
    assert schedule(client, request_id).status_code == 302
    auth.logout()
    auth.login(pool.sme)
    assert PHONE in client.get(f"/experts/{pool.expert_id}").get_data(as_text=True)
    assert PHONE in client.get(f"/experts/requests/{request_id}").get_data(as_text=True)
    auth.logout()
    auth.login(pool.other_sme)
    assert PHONE not in client.get(f"/experts/{pool.expert_id}").get_data(as_text=True)


def test_the_api_and_search_documents_never_carry_contact_details(in_app, pool):
    """The kind's JSON and its indexed text leave out telephone and e-mail."""
    from marketplace.experts.models import Expert

    expert = db.session.get(Expert, pool.expert_id)
    kind = get_kind("expert")
    assert PHONE not in str(kind.serialise(expert, None)) and "chen@" not in str(kind.serialise(expert, None))
    assert PHONE not in " ".join(p for p in kind.text_parts(expert) if p)


def test_the_center_is_told_and_the_sme_hears_the_answer(app, client, auth, pool):
    """A request notifies the keeping center; scheduling notifies the SME with the time kept on the request."""
    auth.login(pool.sme)
    ask(client, pool.expert_id)
    request_id = the_request(app).id
    auth.logout()
    auth.login(pool.center)
    when = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=5)
    schedule(client, request_id, when)
    found = the_request(app)
    assert found.state == "scheduled" and found.place == "企业一号厂房会议室"
    assert found.scheduled_for.replace(tzinfo=UTC) == when
    with app.app_context():
        kinds = set(db.session.scalars(select(Notification.kind)))
    assert {"expert_requested", "expert_request_scheduled"} <= kinds


def test_scheduling_needs_a_future_time_and_a_place(app, client, auth, pool):
    """A past time or an empty place is refused with the form kept; the request stays waiting."""
    auth.login(pool.sme)
    ask(client, pool.expert_id)
    request_id = the_request(app).id
    auth.logout()
    auth.login(pool.center)
    past = schedule(client, request_id, datetime.now(UTC) - timedelta(days=1))
    assert past.status_code == 422
    no_place = schedule(client, request_id, place="")
    assert no_place.status_code == 422
    assert the_request(app).state == "requested"


def test_only_the_keeping_center_answers(app, client, auth, pool):
    """Another city's center cannot read (404) or schedule (403) the request; the SME cannot schedule its own."""
    auth.login(pool.sme)
    ask(client, pool.expert_id)
    request_id = the_request(app).id
    assert schedule(client, request_id).status_code == 403
    auth.logout()
    auth.login(pool.other_center)
    assert client.get(f"/experts/requests/{request_id}").status_code == 404
    assert schedule(client, request_id).status_code == 403
    assert the_request(app).state == "requested"


def test_decline_needs_a_reason_the_sme_reads(app, client, auth, pool):
    """Declining without a reason is refused; with one, the SME sees it on the request."""
    auth.login(pool.sme)
    ask(client, pool.expert_id)
    request_id = the_request(app).id
    auth.logout()
    auth.login(pool.center)
    client.post(f"/experts/requests/{request_id}/decline", data={"reason": ""})
    assert the_request(app).state == "requested"
    client.post(f"/experts/requests/{request_id}/decline", data={"reason": "陈工本月出差，请改约林工。"})
    assert the_request(app).state == "declined"
    auth.logout()
    auth.login(pool.sme)
    assert "陈工本月出差" in client.get(f"/experts/requests/{request_id}").get_data(as_text=True)


def test_a_visit_is_recorded_as_held_only_from_its_time(app, client, auth, pool, time_machine):
    """Before the scheduled time the visit cannot be recorded as held; after it, it can."""
    auth.login(pool.sme)
    ask(client, pool.expert_id)
    request_id = the_request(app).id
    auth.logout()
    auth.login(pool.center)
    schedule(client, request_id, datetime.now(UTC) + timedelta(days=2))
    client.post(f"/experts/requests/{request_id}/complete")
    assert the_request(app).state == "scheduled"
    time_machine.move_to(datetime.now(UTC) + timedelta(days=3), tick=True)
    client.post(f"/experts/requests/{request_id}/complete")
    assert the_request(app).state == "completed"


def test_one_request_at_a_time_and_withdrawing_frees_it(app, client, auth, pool):
    """A second request to the same expert while one is open is refused; after withdrawing, a new one is taken."""
    auth.login(pool.sme)
    ask(client, pool.expert_id)
    again = ask(client, pool.expert_id, topic="第二个问题：质检样本量")
    assert again.status_code == 422
    request_id = the_request(app).id
    client.post(f"/experts/requests/{request_id}/withdraw")
    assert the_request(app).state == "withdrawn"
    assert ask(client, pool.expert_id, topic="第二个问题：质检样本量").status_code == 302


def test_who_may_request(app, client, auth, pool):
    """Vendors and centers cannot request; nobody can ask an expert who is out of the pool or unavailable."""
    with app.app_context():
        from marketplace.accounts.models import Organisation

        center = db.session.get(Organisation, pool.center_org)
        away = make_expert(center, name="何子涵", availability="unavailable").id
        hidden = make_expert(center, name="吴承泽", active=False).id
    auth.as_role("vendor")
    assert ask(client, pool.expert_id).status_code == 403
    auth.logout()
    auth.login(pool.sme)
    assert ask(client, away).status_code == 403
    assert client.get(f"/experts/{hidden}").status_code == 404
    assert ask(client, hidden).status_code == 404


def test_the_center_keeps_its_own_experts(app, client, auth, pool):
    """A center adds an expert (contact required); another center cannot edit it."""
    auth.login(pool.center)
    form = {"name": "林思远", "position": "首席数据科学家", "employer": "珠江工业大数据实验室",
            "fields": "设备预测性维护；振动分析", "bio": "", "industries": ["equipment"],
            "scenarios": ["predictive_maintenance"], "cities": ["zhuhai"], "availability": "available",
            "phone": "", "email": "", "active": "y"}
    refused = client.post("/experts/new", data=form)
    assert refused.status_code == 422 and "林思远" in refused.get_data(as_text=True)
    made = client.post("/experts/new", data={**form, "email": "lin@experts.example.cn"})
    assert made.status_code == 302
    expert_id = int(made.headers["Location"].rsplit("/", 1)[1])
    auth.logout()
    auth.login(pool.other_center)
    assert client.post(f"/experts/{expert_id}/edit", data=form).status_code == 403


def test_the_pool_filters_by_city_and_scenario(app, client, pool):
    """The public list narrows by the cities an expert visits and the scenarios they know."""
    with app.app_context():
        from marketplace.accounts.models import Organisation

        make_expert(db.session.get(Organisation, pool.center_org), name="梁敏仪", cities=["foshan"],
                    scenarios=["advanced_process_control"])
    page = client.get("/experts/?city=foshan").get_data(as_text=True)
    assert "梁敏仪" in page and "陈嘉禾" not in page
    page = client.get("/experts/?scenario=online_inspection").get_data(as_text=True)
    assert "陈嘉禾" in page and "梁敏仪" not in page
