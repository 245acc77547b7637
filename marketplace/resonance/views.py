"""模数共振 views: agreements (draft, sign, amend, terminate), statements with CSV, demonstration selection."""
from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from marketplace.accounts.models import Organisation
from marketplace.catalog.models import IndustrialModel, Offering
from marketplace.catalog.selectors import published
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db, login_manager
from marketplace.forms_common import prompted
from marketplace.money import format_bp
from marketplace.permissions import can, permission_required, require
from marketplace.resonance import bp
from marketplace.resonance.demonstrations import agreements_for_selection, select_demonstration, selections
from marketplace.resonance.forms import AgreementForm, DemonstrationForm, StatementForm
from marketplace.resonance.models import Agreement
from marketplace.resonance.process import AGREEMENT
from marketplace.resonance.services import agreements_for, amend, draft_agreement, sign, terminate
from marketplace.resonance.statements import agreement_totals, statement, statement_csv
from marketplace.states import IllegalTransition
from marketplace.web import perform, submit


def agreement_or_404(agreement_id: int) -> Agreement:
    """Return an agreement the user may see (a party, a promotion center or an admin), else 404/403."""
    agreement = db.get_or_404(Agreement, agreement_id)
    require(current_user, "agreement.view", agreement)
    return agreement


def fill_choices(form: AgreementForm, agreement: Agreement | None = None) -> None:
    """Offer organisations that can be parties and published offerings as choices."""
    orgs = db.session.scalars(select(Organisation).where(Organisation.kind.in_(["enterprise", "vendor", "center"]))
                              .order_by(Organisation.kind, Organisation.name)).all()
    kinds = {"enterprise": _("SME"), "vendor": _("Provider"), "center": _("Promotion center")}
    choices = [("", "—")] + [(o.id, f"{o.name}（{kinds[o.kind]}）") for o in orgs]
    for entry in form.parties.entries:
        entry.form.organisation_id.choices = choices
    offerings = db.session.scalars(published(Offering).join(Offering.organisation)
                                   .order_by(Organisation.name, Offering.title)).all()
    form.offering_ids.choices = [(o.id, f"{o.title} — {o.organisation.name}") for o in offerings]
    fill_sides(form, agreement)


def fill_sides(form: AgreementForm, agreement: Agreement | None) -> None:
    """Offer the datasets the user's organisation may use (its own, those granted to it, and any the agreement
    already names) and the models: its own in any state, and every published one."""
    from marketplace.datasets.selectors import usable_datasets

    datasets = list(db.session.scalars(usable_datasets(current_user.organisation_id)))
    named = [d for d in agreement.latest_version.datasets if d not in datasets] if agreement is not None else []
    form.dataset_ids.choices = [(d.id, f"{d.title} — {d.organisation.name}")
                                for d in sorted([*datasets, *named], key=lambda d: (d.title, d.id))]
    models = db.session.scalars(select(IndustrialModel).join(IndustrialModel.organisation).where(or_(
        IndustrialModel.organisation_id == current_user.organisation_id,
        IndustrialModel.id.in_(published(IndustrialModel).with_only_columns(IndustrialModel.id))))
        .order_by(Organisation.name, IndustrialModel.name)).all()
    form.model_ids.choices = [(m.id, f"{m.name} — {m.organisation.name}") for m in models]


def attach_error(form: AgreementForm, exc: DomainError) -> None:
    """Show an agreement error on the form field it belongs to."""
    if exc.field == "offerings":
        form.offering_ids.errors = [*form.offering_ids.errors, str(exc)]
    elif exc.field == "datasets":
        form.dataset_ids.errors = [*form.dataset_ids.errors, str(exc)]
    elif exc.field == "models":
        form.model_ids.errors = [*form.model_ids.errors, str(exc)]
    elif exc.field in ("title",):
        form.title.errors = [*form.title.errors, str(exc)]
    else:
        form.parties.errors = [str(exc)]


@bp.route("/")
@permission_required("agreement.list")
def index():
    """List the agreements the organisation is party to (promotion centers and admins: all, with totals)."""
    overview = can(current_user, "agreement.overview")
    agreements = list(db.session.scalars(agreements_for(current_user)))
    return render_template("resonance/index.html", agreements=agreements, totals=agreement_totals(),
                           overview=overview, may_draft=can(current_user, "agreement.draft"))


@bp.route("/new", methods=["GET", "POST"])
@permission_required("agreement.draft")
def new():
    """Draft an agreement; every party then signs it."""
    form = AgreementForm()
    fill_choices(form)
    if request.method == "GET":
        first = form.parties.entries[0].form
        first.organisation_id.data = current_user.organisation_id
        first.role.data = "model" if current_user.organisation.is_vendor else "data"
    if form.validate_on_submit():
        drafted, agreement = submit(form, lambda: draft_agreement(
            current_user, form.title.data, form.agent_description.data, form.data_description.data,
            form.party_terms(), form.offering_ids.data or [], dataset_ids=form.dataset_ids.data or [],
            model_ids=form.model_ids.data or []), show=attach_error)
        if drafted and agreement is not None:
            flash(_("Agreement drafted. It comes into force when every party has signed."), "success")
            return redirect(url_for("resonance.detail", agreement_id=agreement.id))
    return render_template("resonance/form.html", form=form, agreement=None), (422 if form.errors else 200)


@bp.route("/<int:agreement_id>")
@login_required
def detail(agreement_id: int):
    """Show an agreement: versions with parties, shares and signatures, offerings, and the ledger total."""
    agreement = agreement_or_404(agreement_id)
    moves = {t.name: t for t in AGREEMENT.available(agreement, current_user)}
    return render_template("resonance/detail.html", agreement=agreement, moves=moves,
                           sides=agreement.active_version or (agreement.latest_version if agreement.versions else None),
                           totals=agreement_totals().get(agreement.id))


@bp.route("/<int:agreement_id>/sign", methods=["POST"])
@login_required
def sign_view(agreement_id: int):
    """Sign the version awaiting signature for the user's organisation."""
    agreement_or_404(agreement_id)
    try:
        version = sign(agreement_id, current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Signed. The version is now in force.") if version.state == "active"
              else _("Signed. Waiting for the other parties."), "success")
    return redirect(url_for("resonance.detail", agreement_id=agreement_id))


@bp.route("/<int:agreement_id>/amend", methods=["GET", "POST"])
@login_required
def amend_view(agreement_id: int):
    """Propose new terms as a new version that every party signs again."""
    agreement = agreement_or_404(agreement_id)
    require(current_user, "agreement.amend", agreement)
    base = agreement.latest_version
    form = AgreementForm(obj=agreement)
    fill_choices(form, agreement)
    if request.method == "GET":
        for entry, party in zip(form.parties.entries, base.parties, strict=False):  # more rows than parties
            entry.form.organisation_id.data, entry.form.role.data = party.organisation_id, party.role
            entry.form.share.data = format_bp(party.share_bp).rstrip("%")
        form.offering_ids.data = [o.id for o in base.offerings]
        form.dataset_ids.data = [d.id for d in base.datasets]
        form.model_ids.data = [m.id for m in base.models]
    if form.validate_on_submit():
        amended, _version = submit(form, lambda: amend(agreement_id, current_user, form.party_terms(),
                                                       form.offering_ids.data or [], form.note.data,
                                                       dataset_ids=form.dataset_ids.data or [],
                                                       model_ids=form.model_ids.data or []), show=attach_error)
        if amended:
            flash(_("Amendment proposed as a new version. The current terms stay in force until every party signs."),
                  "success")
            return redirect(url_for("resonance.detail", agreement_id=agreement_id))
    return render_template("resonance/form.html", form=form, agreement=agreement), (422 if form.errors else 200)


@bp.route("/<int:agreement_id>/<any(terminate):action>", methods=["POST"])
@login_required
def transition(agreement_id: int, action: str):
    """Terminate an agreement with a reason; later payments are not split."""
    agreement_or_404(agreement_id)
    reason = request.form.get("reason", "")[:2000]
    perform(lambda: terminate(agreement_id, current_user, reason), _("Agreement terminated."),
            refusals=(DomainError, IllegalTransition))
    return redirect(url_for("resonance.detail", agreement_id=agreement_id))


@bp.route("/statement")
@login_required
def statement_view():
    """A party's revenue statement for a period (promotion centers: any party or all), as a page or CSV."""
    form = StatementForm(request.args)
    overview = can(current_user, "agreement.overview")
    if not form.validate():
        party = current_user.organisation_id
        result = statement(current_user, None if overview else party)
        return render_template("resonance/statement.html", form=form, result=result, overview=overview), 422
    party = form.party.data if overview else current_user.organisation_id
    result = statement(current_user, party, form.start.data, form.end.data, form.agreement.data)
    if request.args.get("format") == "csv":
        filename = f"statement-{party or 'all'}-{form.start.data or 'start'}-{form.end.data or 'now'}.csv"
        zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai"
        return Response("\ufeff" + statement_csv(result, str(get_locale()), zone), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={filename}"})
    agreements = {a.id: a for a in db.session.scalars(select(Agreement).where(Agreement.id.in_(result.by_agreement)))}
    return render_template("resonance/statement.html", form=form, result=result, overview=overview,
                           agreements=agreements)


@bp.route("/demonstrations", methods=["GET", "POST"])
def demonstrations():
    """Demonstration cases by year (public); promotion centers select new ones here."""
    form = None
    if can(current_user, "demonstration.select"):
        form = DemonstrationForm()
        form.agreement_id.choices = prompted((a.id, a.title) for a in agreements_for_selection())
        if form.validate_on_submit():
            try:
                select_demonstration(form.agreement_id.data, current_user, form.year.data, form.award.fen,
                                     form.reason.data)
            except DomainError as exc:
                db.session.rollback()
                target = {"award": form.award, "year": form.year, "reason": form.reason}.get(exc.field,
                                                                                             form.agreement_id)
                target.errors = [*target.errors, str(exc)]
            else:
                db.session.commit()
                flash(_("Selected as a demonstration case."), "success")
                return redirect(url_for("resonance.demonstrations"))
    elif request.method == "POST":
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        raise PermissionDenied()
    return render_template("resonance/demonstrations.html", form=form, selections=selections()), \
        (422 if form is not None and form.errors else 200)
