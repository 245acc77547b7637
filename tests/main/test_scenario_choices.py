"""Where a scenario is chosen, it is chosen by stage, and no form chooses anything for the user.

Every scenario select shows MIIT's 8 stages as option groups, every scenario checkbox list a fieldset per
stage; required selects on create forms start at an empty "Please choose…" option, a form sent back
unchanged says to choose (422) and keeps what was typed, and edit forms show the record's own values.
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from marketplace import vocab
from tests.factories import make_case, make_need, make_user

STAGE_NAMES = [s.zh for s in vocab.STAGES]
CHOOSE = "Please choose one of the options."


class Controls(HTMLParser):
    """The selects of a page (options with their group and whether selected) and the legends of fieldsets."""

    def __init__(self):
        super().__init__()
        self.selects: dict[str, list[tuple[str | None, str, bool]]] = {}
        self.legends: list[str] = []
        self._select, self._group, self._legend = None, None, None

    def handle_starttag(self, tag, attrs):
        """Note selects, option groups, options and legends."""
        a = dict(attrs)
        if tag == "select":
            self._select = a.get("id") or a.get("name")
            self.selects[self._select] = []
        elif tag == "optgroup":
            self._group = a.get("label")
        elif tag == "option" and self._select:
            self.selects[self._select].append((self._group, a.get("value"), "selected" in a))
        elif tag == "legend":
            self._legend = ""

    def handle_endtag(self, tag):
        """Close selects, option groups and legends."""
        if tag == "select":
            self._select = None
        elif tag == "optgroup":
            self._group = None
        elif tag == "legend" and self._legend is not None:
            self.legends.append(self._legend.strip())
            self._legend = None

    def handle_data(self, data):
        """Collect legend text."""
        if self._legend is not None:
            self._legend += data


def controls(response) -> Controls:
    """Parse a page's form controls."""
    parsed = Controls()
    parsed.feed(response.get_data(as_text=True))
    return parsed


def selected(options) -> list[str]:
    """The values of the selected options."""
    return [value for _group, value, chosen in options if chosen]


def assert_grouped_by_stage(options):
    """The scenario options sit under the 8 stages in the guide's order, all 40 of them, each once."""
    groups = list(dict.fromkeys(g for g, _v, _s in options if g is not None))
    assert groups == STAGE_NAMES
    assert sorted(v for g, v, _s in options if g is not None) == sorted(vocab.codes(vocab.SCENARIOS))
    for group, value, _chosen in options:
        if group is not None:
            assert vocab.stage_of(value).zh == group, value


@pytest.mark.parametrize("role, url, required", [
    ("enterprise", "/needs/new", ["industry", "scenario", "city", "visibility"]),
    ("center", "/cases/new", ["industry", "scenario"]),
    ("center", "/events/new", ["city"]),
    ("vendor", "/models/new", ["kind"]),
    ("vendor", "/offerings/new", ["pricing_plan"]),
    ("vendor", "/providers/mine", ["provider_type"]),
])
def test_create_forms_start_with_nothing_chosen(client, auth, role, url, required):
    """On a create form every required select starts at the empty "Please choose…" option, nothing else."""
    auth.as_role(role)
    page = controls(client.get(url))
    for name in required:
        options = page.selects[name]
        assert options[0][1] == "" and selected(options) in ([], [""]), name
    if "scenario" in page.selects:
        assert_grouped_by_stage(page.selects["scenario"])


def test_registration_form_chooses_nothing_either(client):
    """A visitor registering picks the organisation type, city, industry, size and level themselves."""
    page = controls(client.get("/accounts/register"))
    for name in ("kind", "city", "industry", "size", "digital_level"):
        assert page.selects[name][0][1] == "" and selected(page.selects[name]) in ([], [""]), name


@pytest.mark.parametrize("role, url", [
    ("vendor", "/models/new"), ("vendor", "/offerings/new"), ("vendor", "/providers/mine"), ("center", "/events/new"),
])
def test_scenario_checkboxes_come_in_a_fieldset_per_stage(client, auth, role, url):
    """Listing and event forms list the 40 scenario checkboxes under the 8 stages' names."""
    auth.as_role(role)
    html = client.get(url).get_data(as_text=True)
    legends = controls(client.get(url)).legends
    assert [name for name in legends if name in STAGE_NAMES] == STAGE_NAMES
    assert html.count('name="scenarios"') == len(vocab.SCENARIOS)


def test_need_form_sent_unchanged_asks_to_choose_and_keeps_the_text(client, auth):
    """Posting a need without choosing industry, scenario, city or visibility answers 422 with the message at each
    select, saves nothing, and keeps the title and description typed."""
    auth.as_role("enterprise")
    client.get("/lang/en")
    response = client.post("/needs/new", data={"title": "注塑件表面划痕检测", "description": "人工目检漏检多，夜班尤其严重，想上视觉检测。",
                                               "industry": "", "scenario": "", "city": "", "visibility": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count(CHOOSE) == 4
    assert "注塑件表面划痕检测" in html and "人工目检漏检多" in html
    assert client.get("/needs/").get_data(as_text=True).count("注塑件表面划痕检测") == 0


def test_case_form_sent_unchanged_asks_to_choose(client, auth):
    """A showcase case without industry and scenario comes back 422 asking to choose both."""
    auth.as_role("center")
    client.get("/lang/en")
    response = client.post("/cases/new", data={"title": "压铸件气孔检测案例", "enterprise_name": "佛山某企业",
                                               "problem": "漏检", "solution": "视觉检测", "year": "2025"})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count(CHOOSE) == 2


def test_edit_forms_show_the_records_own_values(app, client, auth):
    """Editing a need or a case shows its scenario, industry and city selected, not the prompt."""
    who = auth.as_role("enterprise")
    with app.app_context():
        from marketplace.accounts.models import Organisation
        from marketplace.extensions import db

        need = make_need(db.session.get(Organisation, who.org_id), scenario="predictive_maintenance",
                         industry="equipment", city="shaoguan")
        need_id = need.id
    page = controls(client.get(f"/needs/{need_id}/edit"))
    assert selected(page.selects["scenario"]) == ["predictive_maintenance"]
    assert selected(page.selects["industry"]) == ["equipment"] and selected(page.selects["city"]) == ["shaoguan"]
    assert selected(page.selects["visibility"]) == ["public"]
    auth.logout()
    center = auth.as_role("center")
    with app.app_context():
        from marketplace.accounts.models import Organisation
        from marketplace.extensions import db

        case_id = make_case(db.session.get(Organisation, center.org_id), scenario="energy_management").id
    assert selected(controls(client.get(f"/cases/{case_id}/edit")).selects["scenario"]) == ["energy_management"]


@pytest.mark.parametrize("url", ["/search", "/needs/", "/offerings", "/models", "/providers", "/cases/"])
def test_search_and_browse_filters_group_scenarios_by_stage(client, url):
    """The scenario filter of the search page and every browse page offers "any" and then the stages' groups."""
    options = controls(client.get(url)).selects["scenario"]
    assert options[0][:2] == (None, "")
    assert_grouped_by_stage(options)


def test_filter_by_a_scenario_keeps_it_selected(app, client):
    """Filtering needs by a scenario shows that scenario selected in its stage group."""
    with app.app_context():
        make_need(make_user("enterprise").organisation, scenario="carbon_management", title="产品碳足迹核算")
    page = controls(client.get("/needs/?scenario=carbon_management"))
    assert [(g, v) for g, v, s in page.selects["scenario"] if s] == [("生产管理", "carbon_management")]
