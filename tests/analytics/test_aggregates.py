"""Are the analytics read from precomputed figures, refreshed in bounded batches, and honest about their age?"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from marketplace.analytics import aggregates
from marketplace.analytics.aggregates import needs_due, read_snapshot, refresh_aggregates, refresh_match_summaries
from marketplace.analytics.models import NeedMatchSummary
from marketplace.extensions import db
from tests.factories import make_case, make_model, make_need, make_offering, make_org, make_user
from tests.perf_helpers import count_statements

COMPUTING = "The figures are being computed"


def test_before_the_first_refresh_the_pages_say_the_figures_are_being_computed(app, client, auth):
    """No snapshot yet: the public map, the centers' page and the CSVs answer at once and say so (no 500)."""
    with app.app_context():
        make_need(make_user("enterprise").organisation)
    client.get("/lang/en")
    page = client.get("/analytics/map")
    assert page.status_code == 200 and COMPUTING in page.get_data(as_text=True)
    assert client.get("/analytics/heatmap.csv").get_data(as_text=True).count("\n") == 1
    auth.as_role("center")
    client.get("/lang/en")
    page = client.get("/analytics/").get_data(as_text=True)
    assert page.count(COMPUTING) == 2  # the map and the funnel
    assert client.get("/analytics/funnel.csv").get_data(as_text=True).count("\n") == 1


def test_the_pages_say_when_their_figures_were_computed(app, client, frozen_clock):
    """After a refresh the map says when its figures were counted (统计于 …)."""
    with app.app_context():
        make_need(make_user("enterprise").organisation)
        refresh_aggregates()
        computed = read_snapshot(aggregates.MAP).computed_at
    client.get("/lang/en")
    page = client.get("/analytics/map").get_data(as_text=True)
    assert COMPUTING not in page and "Figures as of" in page
    assert computed.strftime("%Y-%m-%d") in page.split("Figures as of")[1][:40]


def test_the_map_page_costs_the_same_statements_for_few_or_many_records(app, client):
    """The map reads its snapshot, never the records: 2 or 20 of each kind cost the same statements, and a refresh
    is a fixed number of GROUP BY statements."""
    def fill(rows: int) -> None:
        center, sme = make_org("center"), make_org("enterprise")
        for _ in range(rows):
            vendor = make_org("vendor")
            make_offering(vendor, commit=False, industries=["electronics", "ceramics_building"])
            make_model(vendor, commit=False)
            make_need(sme, commit=False)
            make_case(center, commit=False)
        db.session.commit()

    costs = []
    for rows in (2, 18):
        with app.app_context():
            fill(rows)
            with count_statements(app) as refresh:
                refresh_aggregates()
        with count_statements(app) as page:
            assert client.get("/analytics/map").status_code == 200
        costs.append((refresh.count, page.count))
        read = " ".join(page.statements).lower()
        assert not any(f"from {table}" in read for table in ("need", "offering", "industrial_model", '"case"'))
    assert costs[0] == costs[1]


def test_due_needs_are_the_edited_and_unsummarised_first_then_the_oldest_summaries(in_app):
    """Needs without a summary or edited since it come first; then the oldest summaries; closed needs never."""
    sme = make_user("enterprise").organisation
    now = datetime.now(UTC)
    fresh, old, edited, new = (make_need(sme, title=t) for t in ("新近汇总", "较早汇总", "汇总后编辑", "尚无汇总"))
    make_need(sme, title="已关闭", status="closed")
    db.session.add_all([NeedMatchSummary(need_id=fresh.id, best_relevance=0.4, computed_at=now + timedelta(hours=2)),
                        NeedMatchSummary(need_id=old.id, best_relevance=0.4, computed_at=now + timedelta(hours=1)),
                        NeedMatchSummary(need_id=edited.id, best_relevance=0.4, computed_at=now - timedelta(days=1))])
    db.session.commit()
    assert [n.id for n in needs_due(10)] == [edited.id, new.id, old.id, fresh.id]
    assert [n.id for n in needs_due(3)] == [edited.id, new.id, old.id]


def test_a_refresh_recomputes_at_most_a_batch_of_best_matches(in_app, monkeypatch):
    """With a batch of 2, three live needs take two refreshes; each summary keeps the best relevance found."""
    import marketplace.matching.services as matching

    asked: list[list[int]] = []

    def best(needs, user):
        """Stand in for the search index: the best relevance is a tenth of the need's id."""
        asked.append([n.id for n in needs])
        return {n.id: n.id / 10 for n in needs if n.id % 2}

    monkeypatch.setattr(matching, "best_solution_relevance", best)
    sme = make_user("enterprise").organisation
    needs = [make_need(sme, title=f"需求{i}") for i in range(3)]
    assert refresh_aggregates(match_limit=2)["match_summaries"] == 2
    assert refresh_aggregates(match_limit=2)["match_summaries"] == 2
    assert [len(batch) for batch in asked] == [2, 2] and set(asked[1]) & {needs[2].id}
    summaries = {s.need_id: s.best_relevance for s in db.session.scalars(db.select(NeedMatchSummary))}
    assert set(summaries) == {n.id for n in needs}
    assert all(summaries[n.id] == (n.id / 10 if n.id % 2 else None) for n in needs)


def test_without_the_search_index_a_refresh_keeps_the_summaries_and_still_counts(in_app, monkeypatch):
    """While the index is not loaded no summary is written, and the map and funnel are still counted."""
    import marketplace.matching.services as matching

    monkeypatch.setattr(matching, "best_solution_relevance", lambda needs, user: None)
    make_need(make_user("enterprise").organisation)
    assert refresh_aggregates()["match_summaries"] is None
    assert db.session.scalar(db.select(db.func.count()).select_from(NeedMatchSummary)) == 0
    assert dict(read_snapshot(aggregates.FUNNEL).data["stages"])["posted"] == 1


def test_the_cli_refreshes_the_figures(app, runner):
    """`flask analytics refresh` writes the snapshots the pages read."""
    with app.app_context():
        make_need(make_user("enterprise").organisation)
    result = runner.invoke(args=["analytics", "refresh", "--no-load-index", "--matches", "0"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert read_snapshot(aggregates.MAP) is not None and read_snapshot(aggregates.FUNNEL) is not None
