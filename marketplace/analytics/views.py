"""Analytics views: the transformation map (by stage, with each stage's scenarios a click away) for promotion
centers, its public summary, and CSV downloads."""
from __future__ import annotations

from collections.abc import Callable

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from marketplace import vocab
from marketplace.analytics import bp
from marketplace.analytics.charts import bar_chart, dot_chart, heatmap_chart
from marketplace.analytics.services import (
    funnel,
    good_search_threshold,
    heatmap,
    matched_threshold,
    search_count,
    stage_totals,
    to_csv,
    voucher_use_by_city,
    weak_searches,
)
from marketplace.money import format_fen
from marketplace.permissions import permission_required
from marketplace.templating import current_locale, term_label, term_labels, url_with
from marketplace.vocab import Term
from marketplace.web import render_page


def stage_labels() -> dict[str, str]:
    """Return the funnel stage names in the reader's language."""
    return {"posted": _("Needs posted"), "matched": _("Matched"), "in_talks": _("In talks"),
            "contracted": _("Contracted"), "case": _("Became a showcase case")}


def chosen_stage() -> Term | None:
    """The stage whose scenarios the map shows (?stage=), or None for the overview by stage."""
    return vocab.lookup(vocab.STAGES, request.args.get("stage"))


def shared_notes(stage: Term) -> list[str]:
    """Say which of a stage's scenarios the guide lists under another stage too, and which it borrows."""
    locale = current_locale()
    notes = []
    for other in vocab.STAGES:
        listed = [s.code for s in vocab.scenarios_in(stage.code) if other.code in s.also]
        if listed:
            notes.append(_("The guide lists %(names)s under %(other)s too.", names=term_labels(listed, "scenario"),
                           other=other.label(locale)))
        borrowed = [s.code for s in vocab.scenarios_in(other.code) if stage.code in s.also]
        if borrowed:
            notes.append(_("The guide lists %(names)s under this stage too; the map counts them under %(home)s.",
                           names=term_labels(borrowed, "scenario"), home=other.label(locale)))
    return notes


def map_context() -> dict:
    """Return the map at the asked level, labelled in the reader's language: industry × stage with each stage's
    totals, or, for one stage (?stage=), industry × its scenarios."""
    stage = chosen_stage()
    if stage is None:
        hm = heatmap("stage")
        column_link: Callable[[str], str] | None = lambda code: url_with(stage=code)
        gap_link = lambda cell: url_with(stage=cell.column)
    else:
        hm = heatmap("scenario", stage.code)
        column_link = None
        gap_link = lambda cell: url_for("needs.index", industry=cell.industry, scenario=cell.column)
    by_stage = stage_totals()
    if hm is None or by_stage is None:  # no snapshot yet: the page says the figures are being computed
        return {"hm": None, "stage": stage, "totals": None}
    chart = heatmap_chart(hm, lambda c: term_label(c, "industry"), lambda c: term_label(c, hm.level), column_link)
    return {"hm": hm, "heat": chart, "gaps": hm.gaps(), "gap_link": gap_link, "stage": stage,
            "stage_totals": by_stage, "shared_notes": shared_notes(stage) if stage else [],
            "totals": {k: sum(getattr(t, k) for t in by_stage) for k in ("needs", "cases")}}


def funnel_context() -> dict:
    """Return the funnel with its bar chart, from the last snapshot (None while none has been computed)."""
    result = funnel()
    labels = stage_labels()
    if result is None:
        return {"funnel": None, "funnel_threshold": matched_threshold(), "stage_labels": labels}
    posted = result.stages[0][1] or 1
    rows = [(labels[code], n, f"{n} ({round(100 * n / posted)}%)") for code, n in result.stages]
    return {"funnel": result, "funnel_chart": bar_chart(rows), "stage_labels": labels,
            "funnel_threshold": result.threshold}


def searches_context() -> dict:
    """Return the weakest searches with their dot plot."""
    weak = weak_searches()
    chart = dot_chart([(w.query if len(w.query) <= 14 else w.query[:13] + "…", w.best_score) for w in weak],
                      good_search_threshold(), low=0.0, high=1.0)
    return {"weak": weak, "search_chart": chart, "search_total": search_count(),
            "search_threshold": good_search_threshold()}


def vouchers_context() -> dict:
    """Return voucher use by city and its bar chart, or None while there are no orders."""
    rows = voucher_use_by_city()
    chart = None
    if rows:
        chart = bar_chart([(term_label(city, "city"), fen, format_fen(fen, current_locale()))
                           for city, _n, fen in rows])
    return {"vouchers": rows, "voucher_chart": chart}


@bp.route("/")
@permission_required("analytics.view")
def index():
    """The transformation map for promotion centers: heatmap by stage (or one stage's scenarios), funnel, weak
    searches, vouchers; a stage's drill-down alone when htmx asks for the heatmap."""
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "heatmap":
        return render_page("analytics/index.html", block="heatmap", **map_context())
    return render_template("analytics/index.html", **map_context(), **funnel_context(), **searches_context(),
                           **vouchers_context())


@bp.route("/map")
def public_map():
    """The public summary of the transformation map: where demand meets supply by stage, and each stage's
    scenarios (?stage=; the heatmap alone for htmx)."""
    return render_page("analytics/map.html", block="heatmap", **map_context())


def csv_response(name: str, header: list[str], rows) -> Response:
    """Send rows as a CSV download."""
    return Response(to_csv(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@bp.route("/heatmap.csv")
def heatmap_csv():
    """Download the heatmap figures: one row per industry × scenario (all 40), with the scenario's stage."""
    hm = heatmap("scenario")
    rows = []
    for industry in hm.industries if hm is not None else []:
        for code in hm.columns:
            c, stage = hm.cell(industry, code), vocab.stage_of(code)
            rows.append((industry, term_label(industry, "industry"), stage.code if stage else "",
                         term_label(stage.code if stage else None, "stage"), code, term_label(code, "scenario"),
                         c.needs, c.offerings, c.models, c.cases, "yes" if c.gap else "no"))
    return csv_response("transformation-map", ["industry", "industry_name", "stage", "stage_name", "scenario",
                                               "scenario_name", "open_needs", "offerings", "models", "cases", "gap"],
                        rows)


@bp.route("/funnel.csv")
@permission_required("analytics.view")
def funnel_csv():
    """Download the need funnel: stage and number of needs."""
    result = funnel()
    labels = stage_labels()
    return csv_response("need-funnel", ["stage", "stage_name", "needs"],
                        [(code, labels[code], n) for code, n in (result.stages if result is not None else [])])


@bp.route("/searches.csv")
@permission_required("analytics.view")
def searches_csv():
    """Download the searches that found nothing good."""
    return csv_response("weak-searches", ["query", "times", "best_relevance", "max_results"],
                        [(w.query, w.times, "" if w.best_score is None else f"{w.best_score:.3f}", w.max_results)
                         for w in weak_searches(limit=500)])


@bp.route("/vouchers.csv")
@permission_required("analytics.view")
def vouchers_csv():
    """Download voucher use by city (only the header while there are no orders)."""
    return csv_response("voucher-use-by-city", ["city", "city_name", "orders", "voucher_fen"],
                        [(city, term_label(city, "city"), n, fen) for city, n, fen in voucher_use_by_city() or []])
