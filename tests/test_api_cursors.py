"""Can API clients walk a whole list by cursor, each page at the same cost, while ?page= keeps working?"""
from __future__ import annotations

from marketplace.extensions import db
from tests.factories import make_need, make_offering, make_org
from tests.perf_helpers import count_statements


def walk(client, path: str, **args) -> tuple[list[list[int]], list[int]]:
    """Follow next_cursor from the top of a list; return each page's ids and each request's status."""
    pages, statuses, cursor = [], [], ""
    while cursor is not None:
        response = client.get(path, query_string={**args, "cursor": cursor})
        statuses.append(response.status_code)
        data = response.get_json()
        pages.append([item["id"] for item in data["items"]])
        cursor = data["next_cursor"]
    return pages, statuses


def test_a_cursor_walk_returns_every_record_once_newest_first(app, client):
    """45 published offerings by 20: pages of 20, 20 and 5, newest first, no repeats, drafts left out."""
    with app.app_context():
        vendor = make_org("vendor")
        ids = [make_offering(vendor, title=f"服务{i}", commit=False).id for i in range(45)]
        make_offering(vendor, title="草稿", state="draft", commit=False)
        db.session.commit()
    pages, statuses = walk(client, "/api/v1/offerings", limit=20)
    assert statuses == [200, 200, 200] and [len(p) for p in pages] == [20, 20, 5]
    assert [i for p in pages for i in p] == sorted(ids, reverse=True)


def test_records_added_during_a_walk_do_not_shift_the_pages_still_to_read(app, client):
    """A need posted after the first page is not repeated or skipped into the rest of the walk."""
    with app.app_context():
        sme = make_org("enterprise")
        before = [make_need(sme, commit=False).id for _ in range(6)]
        db.session.commit()
    first = client.get("/api/v1/needs", query_string={"cursor": "", "limit": 3}).get_json()
    with app.app_context():
        make_need(make_org("enterprise"))
    second = client.get("/api/v1/needs", query_string={"cursor": first["next_cursor"], "limit": 3}).get_json()
    assert [n["id"] for n in first["items"] + second["items"]] == sorted(before, reverse=True)
    assert second["next_cursor"] is None


def test_a_deep_page_costs_what_the_first_costs(app, client):
    """Every page of a cursor walk sends the same statements, however far into the list."""
    with app.app_context():
        vendor = make_org("vendor")
        for i in range(60):
            make_offering(vendor, title=f"服务{i}", commit=False)
        db.session.commit()
    costs, cursor = [], ""
    while cursor is not None:
        with count_statements(app) as log:
            data = client.get("/api/v1/offerings", query_string={"cursor": cursor, "limit": 10}).get_json()
        costs.append(log.count)
        cursor = data["next_cursor"]
    assert len(costs) == 6 and len(set(costs)) == 1


def test_forged_or_foreign_cursors_and_cursors_with_a_keyword_are_refused(app, client):
    """A cursor edited by hand, one from another list, or one combined with q or sort gets a 400."""
    with app.app_context():
        vendor = make_org("vendor")
        for i in range(3):
            make_offering(vendor, title=f"服务{i}", commit=False)
        db.session.commit()
    cursor = client.get("/api/v1/offerings", query_string={"cursor": "", "limit": 1}).get_json()["next_cursor"]
    for args in ({"cursor": cursor + "x"}, {"cursor": "WzEsMl0"}, {"cursor": "", "q": "质检"},
                 {"cursor": "", "sort": "price_asc"}):
        response = client.get("/api/v1/offerings", query_string=args)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_cursor", args
    assert client.get("/api/v1/models", query_string={"cursor": cursor}).status_code == 400


def test_numbered_pages_keep_working(app, client):
    """Existing clients' ?page= answers as before: items, page, pages, total."""
    with app.app_context():
        vendor = make_org("vendor")
        for i in range(15):
            make_offering(vendor, title=f"服务{i}", commit=False)
        db.session.commit()
    data = client.get("/api/v1/offerings?page=2").get_json()
    assert (data["page"], data["pages"], data["total"]) == (2, 2, 15) and len(data["items"]) == 3
    assert "next_cursor" not in data
