"""Deals through the API, continued: 模数共振 agreements with the signature status of every party, and revenue
statements per period as JSON or CSV (integer fen). Read only: signing and terminating are transitions."""
from __future__ import annotations

from flask import Response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from marketplace.api import bp
from marketplace.api import deals_schemas as s
from marketplace.api.deals import answer, label, paged, query_of, utc, visible
from marketplace.api.errors import ApiError
from marketplace.api.spec import Body, operation
from marketplace.permissions import can
from marketplace.web import paginate

CSV_SCHEMA = {"type": "string", "description": "UTF-8 CSV, one row per ledger entry then a total row; columns "
              "entry_id, date_utc, agreement_id, agreement, version, order_id, party_id, party, kind, share_bp, "
              "amount_fen (integer fen), amount_yuan (exact decimal text)."}
PERIOD_SCHEMA = {"type": "string", "pattern": r"^[0-9]{4}(-(0[1-9]|1[0-2]))?(\.csv)?$",
                 "description": "YYYY-MM or YYYY; end it with .csv for the CSV."}


# ---- agreements ---------------------------------------------------------------------------------------------------


def awaiting(agreement) -> list[dict]:
    """The parties that have still to sign the pending version."""
    pending = agreement.pending_version
    if pending is None:
        return []
    return [{"id": p.organisation_id, "name": p.organisation.name} for p in pending.parties if p.signed_at is None]


def agreement_brief(agreement) -> dict:
    """An agreement as a list shows it."""
    version = agreement.active_version or agreement.latest_version
    return {"id": agreement.id, "title": agreement.title, "state": agreement.state,
            "state_label": label(agreement.state), "version": version.number, "awaiting_signature": awaiting(agreement),
            "created_at": utc(agreement.created_at)}


def version_json(version) -> dict:
    """A version with its offerings, parties, shares and signatures."""
    return {"number": version.number, "state": version.state, "note": version.note,
            "created_at": utc(version.created_at), "activated_at": utc(version.activated_at),
            "superseded_at": utc(version.superseded_at),
            "offerings": [{"id": o.id, "title": o.title} for o in version.offerings],
            "parties": [{"organisation": {"id": p.organisation_id, "name": p.organisation.name}, "role": p.role,
                         "role_label": p.role_label, "share_bp": p.share_bp, "signed": p.signed_at is not None,
                         "signed_at": utc(p.signed_at)} for p in version.parties]}


@bp.route("/agreements")
@operation("List my agreements", scope="orders", tags=("Agreements",), query=s.AgreementQuery,
           responses={200: s.AgreementPage},
           description="The 模数共振 agreements the caller's organisation is a party to (promotion centers and "
                       "admins: all), newest first, with who has still to sign.")
def agreements():
    """List the caller's agreements."""
    from marketplace.resonance.models import Agreement, AgreementParty, AgreementVersion
    from marketplace.resonance.services import agreements_for

    query = query_of(s.AgreementQuery)
    stmt = agreements_for(current_user, query.state).options(
        selectinload(Agreement.versions).selectinload(AgreementVersion.parties)
        .selectinload(AgreementParty.organisation))
    return answer(s.AgreementPage, paged(paginate(stmt), agreement_brief))


@bp.route("/agreements/<int:agreement_id>")
@operation("Get an agreement", scope="orders", tags=("Agreements",), responses={200: s.Agreement}, errors=(404,),
           description="An agreement's parties with roles and shares (basis points), every version and, per party, "
                       "whether and when it signed. Sign through POST /api/v1/agreements/{id}/transitions/sign.")
def agreement(agreement_id: int):
    """Return an agreement the caller may read."""
    from marketplace.resonance.models import Agreement
    from marketplace.resonance.process import AGREEMENT

    found = visible(Agreement, agreement_id, "agreement.view")
    pending = found.pending_version
    return answer(s.Agreement, {
        **agreement_brief(found), "agent_description": found.agent_description,
        "data_description": found.data_description, "pending_version": pending.number if pending else None,
        "terminated_at": utc(found.terminated_at), "termination_reason": found.termination_reason,
        "versions": [version_json(v) for v in found.versions],
        "transitions": [t.name for t in AGREEMENT.available(found, current_user) if t.name != "amend"]})


# ---- statements ---------------------------------------------------------------------------------------------------


def period_json(figures) -> dict:
    """A period and where its statement is."""
    return {"period": figures.period, "start": figures.start, "end": figures.end, "entries": figures.entries,
            "total_fen": figures.total_fen, "url": url_for("api.statement", period=figures.period),
            "csv_url": url_for("api.statement", period=f"{figures.period}.csv")}


def reader_party_id() -> int | None:
    """The party whose statements the caller reads: its own organisation (promotion centers and admins: all)."""
    return None if can(current_user, "agreement.overview") else current_user.organisation_id


@bp.route("/statements")
@operation("List statement periods", scope="statements", tags=("Statements",), responses={200: s.Periods},
           description="The months and years in which the caller's organisation (promotion centers and admins: "
                       "any party) has revenue-sharing ledger rows, with their net totals in fen.")
def statements():
    """List the periods with statements for the caller."""
    from marketplace.resonance.statements import statement_periods

    party_id = reader_party_id()
    months, years = statement_periods(current_user, party_id)
    return answer(s.Periods, {"party_id": party_id, "months": [period_json(p) for p in months],
                              "years": [period_json(p) for p in years]})


def wants_csv(period: str) -> bool:
    """Tell whether the caller asked for CSV: a .csv path, or an Accept header preferring text/csv to JSON."""
    if period.endswith(".csv"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv" and request.accept_mimetypes["text/csv"] > request.accept_mimetypes["application/json"]


def statement_json(result, period: str, agreement_id: int | None) -> dict:
    """A statement with its rows and subtotals."""
    return {"period": period, "start": result.start, "end": result.end, "party_id": result.party_id,
            "agreement_id": agreement_id,
            "entries": [{"id": row.id, "created_at": utc(row.created_at),
                         "agreement": {"id": row.agreement_id, "title": row.agreement.title},
                         "version": row.version.number, "order_id": row.order_id,
                         "party": {"id": row.party_id, "name": row.party.name}, "kind": row.kind,
                         "share_bp": row.share_bp, "amount_fen": row.amount_fen} for row in result.rows],
            "by_agreement": [{"id": k, "total_fen": v} for k, v in sorted(result.by_agreement.items())],
            "by_order": [{"id": k, "total_fen": v} for k, v in sorted(result.by_order.items())],
            "revenue_fen": result.revenue_fen, "reversed_fen": result.reversed_fen, "total_fen": result.total_fen}


@bp.route("/statements/<period>")
@operation("Get a statement", scope="statements", tags=("Statements",), query=s.StatementQuery,
           responses={200: (s.Statement, Body("text/csv", CSV_SCHEMA))}, errors=(404,),
           path_params={"period": lambda: PERIOD_SCHEMA},
           description="A party's revenue statement for a month (YYYY-MM) or a year (YYYY): every ledger row, "
                       "subtotals per agreement and per order, totals — all in integer fen. CSV with a .csv path or "
                       "`Accept: text/csv`. Promotion centers and admins read any party's (`party`) or all.")
def statement(period: str):
    """Return the caller's statement for a period, as JSON or CSV."""
    from marketplace.resonance.models import Agreement
    from marketplace.resonance.statements import period_dates, reader_party, statement_csv
    from marketplace.resonance.statements import statement as build

    as_csv = wants_csv(period)
    name = period.removesuffix(".csv")
    dates = period_dates(name)
    if dates is None:
        raise ApiError(404, "not_found", _("Name a period as YYYY-MM (a month) or YYYY (a year)."))
    query = query_of(s.StatementQuery)
    party_id = query.party if query.party is not None else reader_party_id()
    reader_party(current_user, party_id)
    if query.agreement is not None:
        visible(Agreement, query.agreement, "agreement.view")
    result = build(current_user, party_id, dates[0], dates[1], query.agreement)
    if as_csv:
        filename = f"statement-{party_id or 'all'}-{name}.csv"
        return Response(statement_csv(result), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={filename}"})
    return answer(s.Statement, statement_json(result, name, query.agreement))
