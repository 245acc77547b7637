"""Compare views: the comparison page, the compare tray's add/remove/clear (forms, enhanced with htmx), and the
per-scenario evaluation leaderboard."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, g, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.catalog.models import IndustrialModel
from marketplace.compare import bp
from marketplace.compare.selectors import models_for, offerings_using, scenario_evaluations
from marketplace.compare.services import PriceRange, build_leaderboard, compare_models, scenarios_with_boards
from marketplace.compare.tray import (
    MAX_MODELS,
    MIN_MODELS,
    TRAY_FILLED,
    TRAY_KEY,
    add_to_tray,
    clear_tray,
    is_tray_key,
    new_tray_key,
    parse_ids,
    remove_from_tray,
    tray_ids,
)
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.metrics import Better
from marketplace.templating import current_locale, money
from marketplace.vocab import PLAN_UNITS, SCENARIOS, codes
from marketplace.web import redirect_back, render_page


@dataclass
class TrayView:
    """The compare tray as pages show it: the models in it the viewer may see, and what can be done next."""

    models: list[IndustrialModel]

    capacity = MAX_MODELS

    @property
    def ids(self) -> list[int]:
        """The ids of the models in the tray."""
        return [m.id for m in self.models]

    @property
    def full(self) -> bool:
        """Tell whether the tray holds as many models as a comparison shows."""
        return len(self.models) >= MAX_MODELS

    @property
    def ready(self) -> bool:
        """Tell whether the tray holds enough models to compare."""
        return len(self.models) >= MIN_MODELS

    @property
    def compare_url(self) -> str:
        """The comparison page of the tray's models."""
        return url_for("compare.page", ids=",".join(str(i) for i in self.ids))

    def holds(self, model) -> bool:
        """Tell whether a model is in the tray."""
        return model.id in self.ids

    def action_for(self, model) -> str:
        """The tray action a model's control offers: take it out when it is in, else add it."""
        return "remove" if self.holds(model) else "add"


def tray_key() -> str | None:
    """The name of the visitor's tray from their session, if they have one."""
    key = session.get(TRAY_KEY)
    return key if is_tray_key(key) else None


def own_tray_key() -> str:
    """The name of the visitor's tray, given to their session now when they have none."""
    key = tray_key()
    if key is None:
        session[TRAY_KEY] = key = new_tray_key()
    return key


def stored_tray() -> list[int]:
    """The model ids the visitor's tray holds (no query until they have added a model: `TRAY_FILLED`)."""
    return tray_ids(tray_key()) if session.get(TRAY_FILLED) else []


def compare_tray() -> TrayView:
    """The current viewer's tray (read once per request; models they may no longer see are left out)."""
    if "compare_tray" not in g:
        g.compare_tray = TrayView(models_for(stored_tray(), current_user))
    return g.compare_tray


@bp.app_template_global("compare_tray")
def compare_tray_global(for_adding: bool = False) -> TrayView:
    """Let templates show the tray bar and each model's compare control. A page with an add control names the
    visitor's tray first, so the quick adds that follow it all reach the same tray."""
    if for_adding:
        own_tray_key()
    return compare_tray()


@bp.app_template_filter("price_range")
def price_range_text(price: PriceRange) -> str:
    """Show a price range with its unit: ¥0.05/次 – ¥0.08/次, or one price when low and high are the same."""
    zh, en = PLAN_UNITS.get(price.plan, ("", ""))
    unit = en if current_locale().startswith("en") else zh
    low, high = money(price.low_fen) + unit, money(price.high_fen) + unit
    return low if price.low_fen == price.high_fen else f"{low} – {high}"


@bp.app_template_filter("better")
def direction_text(better: Better | None) -> str:
    """Say which way a metric improves, for a row or a board heading."""
    if better is Better.LOWER:
        return _("↓ lower is better")
    if better is Better.HIGHER:
        return _("↑ higher is better")
    return _("direction not known: not ranked")


@bp.route("/models/compare")
def page():
    """Show two to four models side by side: the ids asked for, or the tray's models."""
    asked = parse_ids(request.args.getlist("ids")) if "ids" in request.args else stored_tray()
    models = models_for(asked, current_user)
    too_many = len(models) > MAX_MODELS
    models = models[:MAX_MODELS]
    comparison = compare_models(models, offerings_using([m.id for m in models])) if len(models) >= MIN_MODELS \
        else None
    without = {m.id: url_for("compare.page", ids=",".join(str(o.id) for o in models if o.id != m.id))
               for m in models}
    return render_template("compare/page.html", comparison=comparison, models=models, too_many=too_many,
                           without=without, max_models=MAX_MODELS, min_models=MIN_MODELS)


TRAY_MESSAGES = {"add": lambda: _("Added to the comparison."), "remove": lambda: _("Removed from the comparison."),
                 "clear": lambda: _("The comparison is empty.")}


@bp.route("/models/compare/tray/<any(add, remove, clear):action>", methods=["POST"])
def tray(action: str):
    """Add a model to the compare tray, take one out, or empty it; a fifth model is refused with a message."""
    key = own_tray_key()
    asked = parse_ids(request.form.get("model_id"))
    model_id = asked[0] if asked else 0
    found = models_for([model_id], current_user) if model_id else []
    if action == "add" and not found:
        abort(404)
    refusal = None
    try:
        if action == "add":
            held = add_to_tray(key, model_id)
        elif action == "remove":
            held = remove_from_tray(key, model_id)
        else:
            held = clear_tray(key)
    except DomainError as exc:
        db.session.rollback()
        refusal = str(exc)
    else:
        db.session.commit()
        session[TRAY_FILLED] = bool(held)
        g.pop("compare_tray", None)
    if request.headers.get("HX-Request") and found:
        return render_template("compare/_tray_response.html", model=found[0], refusal=refusal,
                               done=None if refusal else TRAY_MESSAGES[action]())
    flash(refusal or TRAY_MESSAGES[action](), "error" if refusal else "success")
    return redirect_back(request.form.get("next") or request.referrer, url_for("catalog.models"))


@bp.route("/models/leaderboard")
def leaderboard():
    """Rank a scenario's attested evaluation results on shared datasets, per dataset and metric."""
    evaluations = scenario_evaluations()
    scenarios = scenarios_with_boards(evaluations)
    asked = request.args.get("scenario", "")
    chosen = asked if asked in codes(SCENARIOS) else (scenarios[0][0] if scenarios else None)
    if chosen is not None and chosen not in dict(scenarios):
        scenarios = [(chosen, 0), *scenarios]  # asked for (from a model card) though it has no board yet
    show_self_reported = request.args.get("self_reported") == "1"
    board = build_leaderboard(chosen, [e for e in evaluations if chosen in (e.model.scenarios or [])],
                              show_self_reported)
    return render_page("compare/leaderboard.html", board=board, scenarios=scenarios, chosen=chosen,
                       show_self_reported=show_self_reported)
