"""Do the transformation map's figures equal what the database holds, and do its charts come with CSV and tables?"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest

from marketplace.analytics.models import SearchLog
from marketplace import vocab
from marketplace.analytics.aggregates import refresh_aggregates, refresh_snapshots
from marketplace.analytics.models import NeedMatchSummary
from marketplace.analytics.services import funnel, heatmap, record_search, stage_totals, weak_searches
from marketplace.events.models import Meeting
from marketplace.extensions import db
from tests.factories import (make_case, make_event, make_model, make_need, make_offering, make_registration,
                             make_user)


def small_market() -> dict:
    """Two open ceramic inspection needs against one offering; one electronics need with a model and an offering."""
    vendor = make_user("vendor").organisation
    sme = make_user("enterprise").organisation
    center = make_user("center").organisation
    make_need(sme, title="抛釉砖针孔检测")
    make_need(sme, title="岩板色差检测")
    make_need(sme, title="已关闭的陶瓷需求", status="closed")
    make_need(sme, title="SMT 误报复判", industry="electronics", status="in_talks")
    make_offering(vendor, industries=["ceramics_building", "mould_plastics"], scenarios=["online_inspection"])
    make_offering(vendor, industries=["electronics"], scenarios=["online_inspection"])
    make_offering(vendor, industries=["electronics"], state="draft")
    make_model(vendor)  # electronics × online_inspection
    make_case(center)  # ceramics × online_inspection, published
    make_case(center, state="draft")
    return {"center": center, "sme": sme, "vendor": vendor}


def test_heatmap_cells_count_open_needs_published_listings_and_public_cases(in_app):
    """Each cell holds exactly the database's live needs, published offerings/models covering it, and public cases."""
    small_market()
    refresh_aggregates()
    hm = heatmap()
    tiles = hm.cell("ceramics_building", "online_inspection")
    assert (tiles.needs, tiles.offerings, tiles.models, tiles.cases) == (2, 1, 0, 1)
    assert tiles.gap and tiles.shortfall == 1
    smt = hm.cell("electronics", "online_inspection")
    assert (smt.needs, smt.offerings, smt.models, smt.gap) == (1, 1, 1, False)
    moulds = hm.cell("mould_plastics", "online_inspection")
    assert (moulds.needs, moulds.offerings, moulds.gap) == (0, 1, False)
    assert hm.totals() == {"needs": 3, "offerings": 3, "models": 1, "cases": 1}
    assert [(c.industry, c.column) for c in hm.gaps()] == [("ceramics_building", "online_inspection")]


def test_stage_map_counts_a_record_once_per_stage_its_scenarios_fall_in(in_app):
    """By stage, a listing covering two scenarios of one stage counts once there and once in another stage it
    touches; a stage's drill-down has only its scenarios; stage totals count each record once over industries."""
    small_market()
    vendor = make_user("vendor").organisation
    make_offering(vendor, industries=["ceramics_building", "electronics"],
                  scenarios=["online_inspection", "quality_analysis", "energy_management"])
    refresh_aggregates()
    stages = heatmap("stage")
    assert stages.level == "stage" and stages.columns == [s.code for s in vocab.STAGES]
    tiles = stages.cell("ceramics_building", "production_operations")
    assert (tiles.needs, tiles.offerings, tiles.cases) == (2, 2, 1)
    assert stages.cell("ceramics_building", "production_management").offerings == 1
    assert stages.cell("electronics", "production_operations").offerings == 2
    drill = heatmap("scenario", "production_operations")
    assert drill.columns == [s.code for s in vocab.scenarios_in("production_operations")]
    assert drill.cell("ceramics_building", "quality_analysis").offerings == 1
    totals = {t.stage: t for t in stage_totals()}
    assert list(totals) == [s.code for s in vocab.STAGES]
    operations = totals["production_operations"]
    assert (operations.needs, operations.offerings, operations.models, operations.cases) == (3, 3, 1, 1)
    assert totals["production_management"].offerings == 1 and totals["rnd"].needs == 0


def test_funnel_counts_each_stage_from_statuses_meetings_cases_and_recommendations(in_app, frozen_clock):
    """posted ⊇ matched ⊇ in talks ⊇ contracted ⊇ case, each from its own evidence in the database."""
    center = make_user("center")
    sme = make_user("enterprise").organisation
    vendor = make_user("vendor").organisation
    recommended = make_need(sme, title="推荐分数高的需求")
    weakly = make_need(sme, title="推荐分数低的需求")
    make_need(sme, title="洽谈中", status="in_talks")
    make_need(sme, title="已签约", status="contracted")
    met = make_need(sme, title="活动上见面且成交")
    with_case = make_need(sme, title="已成案例", status="closed")
    make_case(center.organisation, need=with_case)
    make_case(center.organisation, need=weakly, state="draft")
    event = make_event(center.organisation, held_on=frozen_clock.date() - timedelta(days=1))
    need_reg = make_registration(event, met)
    offering_reg = make_registration(event, make_offering(vendor))
    db.session.add(Meeting(event=event, need_registration=need_reg, offering_registration=offering_reg, slot=0,
                           table_no=1, enterprise_id=sme.id, vendor_id=vendor.id, held=True, deal=True))
    db.session.commit()
    from marketplace.matching.relevance import floor as relevance_floor

    floor = relevance_floor()
    refresh_snapshots()
    unknown = funnel()
    assert dict(unknown.stages)["matched"] == 4 and not unknown.recommendations_known
    db.session.add_all([NeedMatchSummary(need_id=recommended.id, best_relevance=min(1.0, floor + 0.2)),
                        NeedMatchSummary(need_id=weakly.id, best_relevance=floor - 0.05)])
    refresh_snapshots()
    result = funnel()
    assert dict(result.stages) == {"posted": 6, "matched": 5, "in_talks": 4, "contracted": 3, "case": 1}
    assert result.recommendations_known and result.threshold == pytest.approx(floor)


def test_record_search_logs_queries_and_keeps_what_people_finished_typing(in_app):
    """Blank queries are not logged; a query extending the searcher's previous one within seconds replaces it.

    (The searcher's previous search is the mark `record_search` returned, which the search page keeps in the
    searcher's session.)
    """
    mark = record_search("   ", {}, 0, None)
    mark = record_search("SMT", {}, 5, 0.86, previous=mark)
    mark = record_search("SMT AOI", {}, 7, 0.90, previous=mark)
    mark = record_search("SMT AOI 误报", {"kind": "offering"}, 3, 0.93, previous=mark)
    record_search("空压机", {}, 4, 0.91, previous=mark)
    rows = list(db.session.execute(db.select(SearchLog.query, SearchLog.filters, SearchLog.result_count,
                                             SearchLog.best_score).order_by(SearchLog.id)))
    assert rows == [("SMT AOI 误报", '{"kind": "offering"}', 3, 0.93), ("空压机", "{}", 4, 0.91)]


def test_two_people_typing_at_once_keep_their_own_searches(in_app):
    """Interleaved as-you-type searches of two signed-in users each fold into their own row, never the other's."""
    alice = bob = None
    alice = record_search("视觉", {}, 5, 0.86, previous=alice)
    bob = record_search("视觉检测 陶瓷", {}, 2, 0.88, previous=bob)  # extends Alice's "视觉", but is Bob's own
    alice = record_search("视觉检测", {}, 4, 0.90, previous=alice)
    bob = record_search("视觉检测 陶瓷 针孔", {}, 1, 0.91, previous=bob)
    alice = record_search("视觉检测 注塑", {}, 3, 0.92, previous=alice)
    rows = sorted(db.session.scalars(db.select(SearchLog.query)))
    assert rows == sorted(["视觉检测 注塑", "视觉检测 陶瓷 针孔"])


def test_two_visitors_typing_at_once_keep_their_own_counts(in_app):
    """Interleaved visitors' prefixes fold into their own query's daily count, never into the other visitor's."""
    from marketplace.analytics.models import SearchStat

    first = second = None
    first = record_search("空压", {}, 3, 0.85, signed_in=False, previous=first)
    second = record_search("空压机 节能", {}, 2, 0.87, signed_in=False, previous=second)
    first = record_search("空压机", {}, 4, 0.89, signed_in=False, previous=first)
    second = record_search("空压机 节能 改造", {}, 1, 0.90, signed_in=False, previous=second)
    counts = dict(db.session.execute(db.select(SearchStat.query, SearchStat.times)).all())
    assert counts == {"空压机": 1, "空压机 节能 改造": 1}


def test_interleaved_typists_on_the_search_page_each_keep_their_finished_query(app, client, auth):
    """Two signed-in people and two visitors typing on /search at once: each keeps their own finished query.

    The prefix merge is keyed by the searcher's session, so one person's keystrokes never overwrite (or get
    folded into) another's row or count.
    """
    from marketplace.analytics.models import SearchStat
    from tests.factories import DEFAULT_PASSWORD

    with app.app_context():
        make_offering(make_user("vendor").organisation)
        other_email = make_user("enterprise").email
    auth.as_role("enterprise")
    other = app.test_client()
    assert other.post("/accounts/login", data={"email": other_email, "password": DEFAULT_PASSWORD}).status_code == 302
    for who, query in ((client, "注塑"), (other, "注塑件外观"), (client, "注塑件"), (other, "注塑件外观缺陷检测"),
                       (client, "注塑件 模具")):
        assert who.get("/search", query_string={"q": query}).status_code == 200
    first, second = app.test_client(), app.test_client()
    for who, query in ((first, "空压"), (second, "空压机节能"), (first, "空压机"), (second, "空压机节能改造")):
        assert who.get("/search", query_string={"q": query}).status_code == 200
    with app.app_context():
        assert sorted(db.session.scalars(db.select(SearchLog.query))) == sorted(["注塑件 模具", "注塑件外观缺陷检测"])
        counts = dict(db.session.execute(db.select(SearchStat.query, SearchStat.times)).all())
        assert counts == {"空压机": 1, "空压机节能改造": 1}


def test_a_forged_or_stale_mark_never_rewrites_another_row(in_app):
    """A mark naming someone else's row (or an old one) only adds a row: the merge needs the same query and recency."""
    from datetime import datetime, timezone

    other = record_search("激光切割", {}, 3, 0.85)
    record_search("激光切割机 维修", {}, 1, 0.80, previous={**other, "query": "激光"})
    old = {**other, "at": datetime(2020, 1, 1, tzinfo=timezone.utc).isoformat()}
    record_search("激光切割 厚板", {}, 1, 0.80, previous=old)
    rows = sorted(db.session.scalars(db.select(SearchLog.query)))
    assert rows == sorted(["激光切割", "激光切割机 维修", "激光切割 厚板"])


def test_weak_searches_are_those_below_the_threshold_weakest_first(in_app):
    """Searches whose best relevance stayed under the floor (or found nothing) are listed, weakest first, with counts."""
    now = datetime.now(timezone.utc)
    for i, (query, score) in enumerate((("激光切割", 0.06), ("激光切割", 0.07), ("宠物食品", 0.03), ("SMT AOI", 0.83),
                                        ("无结果", None))):
        db.session.add(SearchLog(query=query, filters="{}", result_count=0 if score is None else 5,
                                 best_score=score, created_at=now - timedelta(minutes=i)))
    db.session.commit()
    weak = [(w.query, w.times, w.best_score) for w in weak_searches()]
    assert weak == [("无结果", 1, None), ("宠物食品", 1, 0.03), ("激光切割", 2, 0.07)]


def test_search_page_logs_each_query_with_its_best_similarity(app, client, auth):
    """One signed-in search on the search page leaves one log row with the result count and a similarity.

    (Visitors' searches are counted per day and query instead: tests/hardening/test_gets_do_not_write.py.)
    """
    with app.app_context():
        make_offering(make_user("vendor").organisation)
    auth.as_role("enterprise")
    client.get("/search?q=注塑件外观缺陷检测")
    with app.app_context():
        [log] = db.session.scalars(db.select(SearchLog))
        assert log.query == "注塑件外观缺陷检测" and log.result_count == 1 and 0 < log.best_score <= 1


def read_csv(response) -> list[list[str]]:
    """Parse a CSV download (checking the byte-order mark spreadsheets need)."""
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_heatmap_csv_has_one_row_per_cell_with_the_database_figures(app, client):
    """The public heatmap CSV lists every industry × scenario, with the scenario's stage, and the service's figures."""
    with app.app_context():
        small_market()
        refresh_aggregates()
    rows = read_csv(client.get("/analytics/heatmap.csv"))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["industry", "industry_name"] and "gap" in header
    assert len(body) == len(vocab.INDUSTRIES) * len(vocab.SCENARIOS)
    tiles = next(r for r in body if r[0] == "ceramics_building" and r[4] == "online_inspection")
    assert tiles[2:4] == ["production_operations", "生产作业"]
    assert tiles[6:] == ["2", "1", "0", "1", "yes"]


def test_center_csv_downloads_match_the_page_figures(app, client, auth):
    """Funnel, weak-search and voucher CSVs download for centers with the service's figures (vouchers: header only)."""
    with app.app_context():
        small_market()
        refresh_aggregates()
        db.session.add(SearchLog(query="激光切割", filters="{}", result_count=3, best_score=0.05))
        db.session.commit()
        refresh_aggregates()
    auth.as_role("center")
    funnel_rows = read_csv(client.get("/analytics/funnel.csv"))
    assert funnel_rows[0] == ["stage", "stage_name", "needs"]
    assert [(r[0], r[2]) for r in funnel_rows[1:]] == [("posted", "4"), ("matched", "1"), ("in_talks", "1"),
                                                       ("contracted", "0"), ("case", "0")]
    assert read_csv(client.get("/analytics/searches.csv"))[1] == ["激光切割", "1", "0.050", "3"]
    assert read_csv(client.get("/analytics/vouchers.csv")) == [["city", "city_name", "orders", "voucher_fen"]]


def test_center_page_draws_each_chart_as_svg_with_a_table_and_says_no_orders_yet(app, client, auth):
    """The center's map has SVG charts each followed by a table, CSV links, the matched definition and 'no orders'."""
    with app.app_context():
        small_market()
        refresh_aggregates()
        db.session.add(SearchLog(query="宠物食品包装", filters="{}", result_count=2, best_score=0.02))
        db.session.commit()
        refresh_aggregates()
    auth.as_role("center")
    page = client.get("/analytics/").get_data(as_text=True)
    assert page.count("<svg") == 3 and 'role="img"' in page
    for table_id in ("heat-table", "funnel-table", "search-table"):
        assert f'id="{table_id}"' in page and f'aria-describedby="{table_id}"' in page
    for csv_url in ("/analytics/heatmap.csv", "/analytics/funnel.csv", "/analytics/searches.csv"):
        assert csv_url in page
    from marketplace.matching.relevance import floor

    with app.app_context():
        shown = f"{round(floor() * 100)}%"
    assert shown in page and "宠物食品包装" in page
    assert "No orders yet" in page or "暂无订单" in page
    assert "cdn" not in page.lower() and "<script src=\"http" not in page


def test_public_map_shows_the_heatmap_and_gaps_to_everyone(app, client):
    """Visitors see the heatmap SVG, its table and the largest gaps, but not the funnel or searches."""
    with app.app_context():
        small_market()
        refresh_aggregates()
    page = client.get("/analytics/map").get_data(as_text=True)
    assert "<svg" in page and 'id="heat-table"' in page and "/analytics/heatmap.csv" in page
    assert "funnel" not in page.lower()


@pytest.mark.parametrize("lang, stage_name, scenario_name, back", [
    ("zh_CN", "生产作业", "在线智能检测", None), ("en", "Production operations", "Online intelligent inspection", "All stages"),
])
def test_map_groups_by_stage_and_drills_down_into_a_stages_scenarios(app, client, lang, stage_name, scenario_name,
                                                                     back):
    """The map shows the 8 stages with their totals, each a link to its scenarios; following one (a page, or the
    heatmap alone for htmx) shows that stage's scenarios only, in the reader's language, and a way back."""
    with app.app_context():
        small_market()
        refresh_aggregates()
    client.get(f"/lang/{lang}")
    overview = client.get("/analytics/map").get_data(as_text=True)
    assert 'id="stage-totals"' in overview and overview.count("?stage=") >= len(vocab.STAGES)
    row = overview.split('id="stage-totals"')[1].split(f">{stage_name}</a>")[1].split("</tr>")[0]
    assert [int(n) for n in re.findall(r"<td>(\d+)</td>", row)] == [11, 3, 2, 1, 1]  # scenarios, needs, offerings, models, cases
    assert scenario_name not in overview.split('id="heat-table"')[1]
    page = client.get("/analytics/map?stage=production_operations")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and scenario_name in html and stage_name in html
    table = html.split('id="heat-table"')[1]
    assert scenario_name in table and ("能源智能管控" not in table and "Smart energy management" not in table)
    fragment = client.get("/analytics/map?stage=production_operations",
                          headers={"HX-Request": "true", "HX-Target": "heatmap"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="heatmap"') and "<html" not in fragment
    assert scenario_name in fragment and 'hx-get="/analytics/map"' in fragment
    if back:
        assert back in fragment
    shared = client.get("/analytics/map?stage=production_management").get_data(as_text=True)
    assert ("网络协同制造" in shared) if lang == "zh_CN" else ("Networked collaborative manufacturing" in shared)


def test_center_map_drills_down_too(app, client, auth):
    """The centers' map has the same stage table and drill-down, keeping its funnel and searches on full pages."""
    with app.app_context():
        small_market()
        refresh_aggregates()
    auth.as_role("center")
    page = client.get("/analytics/?stage=production_operations").get_data(as_text=True)
    assert "在线智能检测" in page.split('id="heat-table"')[1] and 'id="funnel-table"' in page
    fragment = client.get("/analytics/?stage=rnd", headers={"HX-Request": "true", "HX-Target": "heatmap"})
    assert fragment.status_code == 200 and 'id="funnel-table"' not in fragment.get_data(as_text=True)
    assert "产品虚拟验证" in fragment.get_data(as_text=True)


CENTER_ONLY = ["/analytics/", "/analytics/funnel.csv", "/analytics/searches.csv", "/analytics/vouchers.csv"]


@pytest.mark.parametrize("url", CENTER_ONLY)
def test_center_analytics_are_closed_to_visitors_smes_and_vendors(client, auth, url):
    """Anonymous visitors are sent to sign in; SMEs and vendors get 403; centers get the page or file."""
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
    for role in ("enterprise", "vendor"):
        auth.as_role(role)
        assert client.get(url).status_code == 403, role
        auth.logout()
    auth.as_role("center")
    assert client.get(url).status_code == 200


def test_public_summary_and_heatmap_csv_are_open_to_everyone(client):
    """The public map and its CSV need no account."""
    assert client.get("/analytics/map").status_code == 200
    assert client.get("/analytics/heatmap.csv").status_code == 200
