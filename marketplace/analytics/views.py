"""Analytics views: the transformation map for promotion centers, its public summary, and CSV downloads."""
from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.analytics import bp
from marketplace.analytics.charts import bar_chart, dot_chart, heatmap_chart
from marketplace.analytics.services import (
    funnel,
    good_search_threshold,
    heatmap,
    live_needs,
    search_count,
    to_csv,
    voucher_use_by_city,
    weak_searches,
)
from marketplace.matching.services import best_solution_relevance
from marketplace.money import format_fen
from marketplace.permissions import permission_required
from marketplace.templating import current_locale, term_label


def stage_labels() -> dict[str, str]:
    """Return the funnel stage names in the reader's language."""
    return {"posted": _("Needs posted"), "matched": _("Matched"), "in_talks": _("In talks"),
            "contracted": _("Contracted"), "case": _("Became a showcase case")}


def map_context() -> dict:
    """Return the heatmap and its chart geometry, labelled in the reader's language."""
    hm = heatmap()
    chart = heatmap_chart(hm, lambda c: term_label(c, "industry"), lambda c: term_label(c, "scenario"))
    return {"hm": hm, "heat": chart, "totals": hm.totals(), "gaps": hm.gaps()}


def funnel_context() -> dict:
    """Return the funnel with its bar chart (similarities from matching when the index is loaded)."""
    result = funnel(best_solution_relevance(live_needs(), current_user))
    labels = stage_labels()
    posted = result.stages[0][1] or 1
    rows = [(labels[code], n, f"{n} ({round(100 * n / posted)}%)") for code, n in result.stages]
    return {"funnel": result, "funnel_chart": bar_chart(rows), "stage_labels": labels}


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
    """The transformation map for promotion centers: heatmap, funnel, weak searches, vouchers."""
    return render_template("analytics/index.html", **map_context(), **funnel_context(), **searches_context(),
                           **vouchers_context())


@bp.route("/map")
def public_map():
    """The public summary of the transformation map: where demand meets supply, and where it does not."""
    return render_template("analytics/map.html", **map_context())


def csv_response(name: str, header: list[str], rows) -> Response:
    """Send rows as a CSV download."""
    return Response(to_csv(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@bp.route("/heatmap.csv")
def heatmap_csv():
    """Download the heatmap figures: one row per industry × scenario."""
    hm = heatmap()
    rows = [(c.industry, term_label(c.industry, "industry"), c.scenario, term_label(c.scenario, "scenario"),
             c.needs, c.offerings, c.models, c.cases, "yes" if c.gap else "no")
            for c in (hm.cell(i, s) for i in hm.industries for s in hm.scenarios)]
    return csv_response("transformation-map", ["industry", "industry_name", "scenario", "scenario_name",
                                               "open_needs", "offerings", "models", "cases", "gap"], rows)


@bp.route("/funnel.csv")
@permission_required("analytics.view")
def funnel_csv():
    """Download the need funnel: stage and number of needs."""
    result = funnel(best_solution_relevance(live_needs(), current_user))
    labels = stage_labels()
    return csv_response("need-funnel", ["stage", "stage_name", "needs"],
                        [(code, labels[code], n) for code, n in result.stages])


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
