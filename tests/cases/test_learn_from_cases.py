"""Does a need's page show the published cases it can learn from (看样学样)? Uses the real index on a tiny catalogue."""
from __future__ import annotations

from tests.factories import make_case, make_need, make_offering, make_user


def test_need_solutions_show_relevant_published_cases_under_learn_from_cases(app, client):
    """The 推荐方案 fragment lists a published case on the need's problem in its 看样学样 section, never a draft."""
    with app.app_context():
        center = make_user("center").organisation
        make_offering(make_user("vendor").organisation)
        need_id = make_need(make_user("enterprise").organisation).id
        published = make_case(center, title="佛山抛釉砖针孔色差视觉检测案例", problem="抛釉砖针孔、色差靠人工目检，漏检率高。").id
        draft = make_case(center, title="草稿：瓷砖针孔检测", problem="抛釉砖针孔检测。", state="draft").id
    fragment = client.get(f"/needs/{need_id}/solutions").get_data(as_text=True)
    section = fragment.split("看样学样")[1]
    assert f'href="/cases/{published}"' in section
    assert f'href="/cases/{draft}"' not in fragment
