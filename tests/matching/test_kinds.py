"""Is every searchable kind registered once, with all its parts, and do search and the API read only the registry?"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_babel import force_locale
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import Select, select

from marketplace.kinds import REGISTRY, Kind, all_kinds, get_kind, kind_of, register, solution_kinds
from marketplace.permissions import RULES
from tests.factories import make_dataset, make_expert
from tests.factories import make_case, make_event, make_need, make_offering, make_user

ROOT = Path(__file__).resolve().parents[2]
OLD_TABLES = ("KINDS", "SOLUTION_KINDS", "SEARCH_KINDS", "KIND_OF", "LISTINGS", "LISTING_KINDS", "DETAIL_ENDPOINTS")


def test_every_kind_has_all_its_parts(app):
    """Each entry names its model, labels in both languages, selector, rule, card, detail page and serialiser."""
    assert [k.name for k in all_kinds()] == ["offering", "model", "provider", "case", "expert", "dataset", "need"]
    assert [k.name for k in solution_kinds()] == ["offering", "model", "provider", "case", "expert"]
    with app.test_request_context():
        with app.app_context():
            vendor = make_user("vendor").organisation
            center = make_user("center").organisation
            records = {"offering": make_offering(vendor), "case": make_case(center), "expert": make_expert(center),
                       "dataset": make_dataset(vendor),
                       "need": make_need(make_user("enterprise").organisation)}
            for kind in all_kinds():
                assert isinstance(kind.indexed(), Select), kind
                assert kind.model is not None and kind.view_permission in RULES, kind
                assert (ROOT / "templates" / kind.card_template).is_file(), kind.card_template
                with force_locale("en"):
                    english = (str(kind.label), str(kind.plural))
                with force_locale("zh_CN"):
                    chinese = (str(kind.label), str(kind.plural))
                assert all(english) and all(chinese) and english != chinese, kind
                assert kind.collection and app.url_map.iter_rules(kind.detail_endpoint), kind
                record = records.get(kind.name)
                if record is not None:
                    assert kind_of(record) is kind and kind.is_indexed(record)
                    assert kind.url(record).endswith(f"/{record.id}")
                    assert kind.serialise(record, None)["id"] == record.id
                    assert any(kind.text_parts(record))


def test_no_other_module_keeps_a_table_of_kinds():
    """Only marketplace/kinds/ defines which kinds exist; no module binds one of the old table names to kinds."""
    names = "|".join(OLD_TABLES)
    definition = re.compile(rf"^\s*({names})\s*(:[^=]*)?=\s*(.*)$", re.MULTILINE)
    kind_words = re.compile(r"[\"'](offering|model|provider|case|need)s?[\"']|\b(Offering|IndustrialModel|"
                            r"ProviderProfile|Case|Need)\b")
    offenders = []
    for path in (ROOT / "marketplace").rglob("*.py"):
        if path.parent == ROOT / "marketplace" / "kinds":
            continue
        for match in definition.finditer(path.read_text(encoding="utf-8")):
            if kind_words.search(match.group(3)):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(1)}")
    assert offenders == []


def test_templates_of_search_home_and_navigation_never_compare_kinds_or_roles():
    """Cards are chosen by the registry and links by permissions: no kind, role, state or status comparisons."""
    pattern = re.compile(r"\.kind\s*(==|!=|in\b)|\bkind\s*==|\.role\b|is_admin|\.is_(enterprise|vendor|center)\b"
                         r"|\.(state|status)\s*(==|!=|in\b)")
    paths = [ROOT / "templates" / "base.html", ROOT / "templates" / "_macros" / "matching.html",
             *(ROOT / "templates" / "_cards").glob("*.html"), *(ROOT / "templates" / "main").glob("*.html"),
             *(ROOT / "templates" / "analytics").glob("*.html"),
             *(p for p in (ROOT / "templates" / "matching").glob("*.html") if p.name != "_need_solutions.html")]
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in paths for m in pattern.finditer(p.read_text("utf-8"))]
    assert found == []


@pytest.fixture
def event_kind(app):
    """Register a throwaway kind (matchmaking events) and its card for one test, then forget it again."""
    from marketplace.events.models import Event

    class EventKind(Kind):
        """Matchmaking events, searchable: the registry entry a new kind needs, and nothing else."""

        name, model, collection = "event", Event, "events"
        label, plural = "Event", "Events"
        detail_endpoint, detail_arg = "events.detail", "event_id"
        view_permission = "event.register"

        def indexed(self):
            """Every event."""
            return select(Event)

        def is_indexed(self, record):
            """Every event."""
            return True

        def is_visible_to(self, record, user):
            """Everybody sees events."""
            return True

        def text_parts(self, record):
            """Title, description and venue."""
            return [record.title, record.description, record.venue]

        def serialise(self, record, user):
            """The event's title and day."""
            return {"id": record.id, "title": record.title, "held_on": record.held_on.isoformat()}

    register(EventKind)
    card = ('{% extends "_cards/_card.html" %}{% block org %}{{ record.venue }}{% endblock %}'
            '{% block summary %}{{ record.description|highlight(terms) }}{% endblock %}')
    app.jinja_env.loader = ChoiceLoader([DictLoader({"_cards/event.html": card}), app.jinja_env.loader])
    try:
        yield get_kind("event")
    finally:
        REGISTRY.pop("event", None)


def test_a_kind_registered_once_is_searched_and_served_by_the_api(app, client, event_kind):
    """One registry entry plus one card: the index holds the kind, search shows its cards, the API serves it."""
    with app.app_context():
        center = make_user("center").organisation
        event_id = make_event(center, title="东莞注塑行业 AI 质检对接会", venue="松山湖路演厅",
                              description="注塑件缩痕、飞边视觉检测方案路演").id
        make_offering(make_user("vendor").organisation, title="空压站群控节能", scenarios=["energy_management"])
        assert f"event:{event_id}" in app.extensions["matching"].index()
    page = client.get("/search", query_string={"q": "注塑件缩痕 视觉检测 对接会", "kind": "event"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-kind="event"' in html and f"/events/{event_id}" in html
    assert "松山湖路演厅" in html and re.search(r'<option[^>]*value="event"', html)
    found = client.get("/api/v1/search", query_string={"q": "注塑件缩痕 对接会", "kind": "event"}).get_json()["items"]
    assert {"kind": "event", "id": event_id} == {k: found[0][k] for k in ("kind", "id")}
    assert found[0]["title"] == "东莞注塑行业 AI 质检对接会"
    assert client.get(f"/api/v1/events/{event_id}").get_json()["title"] == "东莞注塑行业 AI 质检对接会"
    assert client.get("/api/v1/events").status_code == 404  # no list: the entry gives no browse form


def test_unknown_collections_and_kinds_are_404(client):
    """The API and the listing fragments answer 404 for names the registry does not know."""
    assert client.get("/api/v1/widgets").status_code == 404
    assert client.get("/api/v1/widgets/1").status_code == 404
    assert client.get("/listings/widget/1/matches").status_code == 404
    assert client.get("/listings/need/1/matches").status_code == 404
