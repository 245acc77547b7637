"""Who assesses, confirms and reads; which level counts and which the estimator says it used; the PDF; a center's
files are its city's only."""
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from marketplace.diagnosis.indicators import indicator_system
from marketplace.diagnosis.level import CONFIRMED, DECLARED, SELF_ASSESSED, effective_level, rule_level
from marketplace.diagnosis.models import Assessment
from marketplace.diagnosis.process import VISIT
from marketplace.diagnosis.services import record_visit, take_assessment
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.permissions import can
from marketplace.policy.services import estimate_subsidies
from tests.factories import make_user


def answers(value: int) -> dict[str, int]:
    """Every question answered with the same answer."""
    return {q.code: value for q in indicator_system().questions}


def form_of(value: int) -> dict[str, str]:
    """The assessment form posted with the same answer everywhere."""
    return {q.code: str(value) for q in indicator_system().questions}


def confirmed_visit(center, org, level: int):
    """Record and confirm a diagnosis visit of a center to an enterprise."""
    visit = record_visit(center, org, date(2026, 3, 1), "现场核查", level, today=date(2026, 3, 2))
    VISIT.fire(visit.id, "confirm_level", center)
    db.session.commit()
    return visit


def test_sme_assessment_is_stored_with_date_answers_and_scores_and_never_edited(client, auth, app):
    """Two submissions make two assessments; the first keeps its answers and level."""
    sme = auth.as_role("enterprise")
    assert client.post("/diagnosis/assessment", data=form_of(1)).status_code == 302
    assert client.post("/diagnosis/assessment", data=form_of(3)).status_code == 302
    with app.app_context():
        first, second = db.session.scalars(db.select(Assessment).where(Assessment.organisation_id == sme.org_id)
                                           .order_by(Assessment.id)).all()
        assert (first.level, first.answers["f_data"], first.total_tenths) == (1, 1, 333)
        assert (second.level, second.dimension_scores["outcomes"]) == (4, 250)
        assert first.taken_at is not None


def test_an_incomplete_assessment_is_refused_and_nothing_is_stored(client, auth, app):
    """A form with an unanswered question re-renders with the error and stores nothing."""
    auth.as_role("enterprise")
    posted = form_of(2)
    del posted["m_plan"]
    response = client.post("/diagnosis/assessment", data=posted)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Assessment.id))) == 0


@pytest.mark.parametrize("role", ["vendor", "center", "admin"])
def test_only_an_sme_takes_the_assessment(client, auth, role):
    """Vendors, centers and admins are refused the self-assessment."""
    auth.as_role(role)
    assert client.get("/diagnosis/assessment").status_code == 403


def test_self_assessed_level_shows_until_a_center_of_the_city_confirms(in_app):
    """The level that counts: declared, then self-assessed, then confirmed (by whom, when)."""
    sme = make_user("enterprise", city="zhuhai", digital_level=1)
    center = make_user("center", city="zhuhai")
    assert effective_level(sme.organisation).basis == DECLARED
    take_assessment(sme, answers(2))
    db.session.commit()
    standing = effective_level(sme.organisation)
    assert (standing.level, standing.basis, standing.rule_level) == (3, SELF_ASSESSED, None)
    confirmed_visit(center, sme.organisation, 2)
    standing = effective_level(sme.organisation)
    assert (standing.level, standing.basis, standing.center) == (2, CONFIRMED, center.organisation.name)
    assert rule_level(sme.organisation) == 2


def test_a_center_of_another_city_may_not_record_or_confirm(in_app):
    """Only centers of the enterprise's city (and admins) keep its file."""
    sme = make_user("enterprise", city="zhuhai")
    elsewhere = make_user("center", city="foshan")
    here = make_user("center", city="zhuhai")
    admin = make_user("admin")
    with pytest.raises(PermissionDenied):
        record_visit(elsewhere, sme.organisation, date(2026, 3, 1), "看过了", 2, today=date(2026, 3, 2))
    visit = record_visit(here, sme.organisation, date(2026, 3, 1), "看过了", 2, today=date(2026, 3, 2))
    db.session.commit()
    assert not can(elsewhere, "diagnosis.confirm", visit)
    assert can(here, "diagnosis.confirm", visit) and can(admin, "diagnosis.confirm", visit)
    with pytest.raises(PermissionDenied):
        VISIT.fire(visit.id, "confirm_level", elsewhere)


@pytest.mark.parametrize(("reader", "status"), [("own", 200), ("center_here", 200), ("admin", 200),
                                                ("center_elsewhere", 404), ("other_sme", 404), ("vendor", 404)])
def test_the_report_is_read_by_the_enterprise_its_centers_and_admins_only(client, auth, app, reader, status):
    """The diagnosis report (HTML and PDF) is refused to everyone but the SME, its city's centers and admins."""
    with app.app_context():
        sme = make_user("enterprise", city="zhuhai")
        assessment_id = take_assessment(sme, answers(2)).id
        db.session.commit()
        sme_email = sme.email
    if reader == "own":
        auth.login(sme_email)
    else:
        role, city = {"center_here": ("center", "zhuhai"), "admin": ("admin", "zhuhai"),
                      "center_elsewhere": ("center", "foshan"), "other_sme": ("enterprise", "zhuhai"),
                      "vendor": ("vendor", "zhuhai")}[reader]
        auth.as_role(role, city=city)
    assert client.get(f"/diagnosis/{assessment_id}").status_code == status
    assert client.get(f"/diagnosis/{assessment_id}.pdf").status_code == status


def test_the_pdf_report_carries_the_level_and_the_dimensions(client, auth, app):
    """pypdf reads the enterprise, the level and the four dimensions out of the PDF."""
    sme = auth.as_role("enterprise", city="zhuhai", name="珠海示例精密制造有限公司")
    client.post("/diagnosis/assessment", data=form_of(2))
    with app.app_context():
        assessment_id = db.session.scalar(db.select(Assessment.id).where(Assessment.organisation_id == sme.org_id))
    response = client.get(f"/diagnosis/{assessment_id}.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "珠海示例精密制造有限公司" in text
    for name in ("数字化基础", "数字化经营", "数字化管理", "数字化成效", "三级"):
        assert name in text


def test_the_estimator_uses_the_confirmed_level_and_says_so(in_app):
    """A self-assessed level 3 opens no SME AI-project support; a confirmed level 2 does, and the page says which."""
    from marketplace.policy.rules import install_default_instruments

    install_default_instruments()
    sme = make_user("enterprise", city="zhuhai", digital_level=None)
    center = make_user("center", city="zhuhai")
    take_assessment(sme, answers(2))
    db.session.commit()

    def sme_ai(org):
        return next(r for r in estimate_subsidies(org, 100_000_000, "ai_project", 2026)[1]
                    if r.instrument.code == "sme_ai_project")

    refused = sme_ai(sme.organisation)
    assert not refused.eligible and refused.reasons[0][0] == "level_too_low"
    confirmed_visit(center, sme.organisation, 2)
    granted = sme_ai(sme.organisation)
    assert granted.eligible and granted.amount_fen == 30_000_000
    assert "已确认" in effective_level(sme.organisation).describe()


def test_estimator_page_names_the_level_it_used(client, auth, app):
    """The estimator page says the level and that it is self-assessed."""
    sme = auth.as_role("enterprise", city="zhuhai")
    client.post("/diagnosis/assessment", data=form_of(2))
    page = client.get("/policy/estimate?amount=100000&kind=ai_project&year=2026&lang=en")
    assert b"self-assessed" in page.data and b"not yet confirmed" in page.data
    assert sme


def test_a_center_sees_only_its_citys_enterprise_files(client, auth, app):
    """The files list holds the center's city's enterprises, not another city's."""
    with app.app_context():
        make_user("enterprise", city="zhuhai", name="珠海本地企业")
        make_user("enterprise", city="foshan", name="佛山外地企业")
    auth.as_role("center", city="zhuhai")
    page = client.get("/diagnosis/files").get_data(as_text=True)
    assert "珠海本地企业" in page and "佛山外地企业" not in page


def test_files_filter_enterprises_without_a_diagnosis(client, auth, app):
    """The "without a diagnosis" filter leaves out an enterprise a center has visited."""
    with app.app_context():
        visited = make_user("enterprise", city="zhuhai", name="已诊断企业")
        make_user("enterprise", city="zhuhai", name="未诊断企业")
        center = make_user("center", city="zhuhai")
        confirmed_visit(center, visited.organisation, 2)
    auth.as_role("center", city="zhuhai")
    page = client.get("/diagnosis/files?undiagnosed=y").get_data(as_text=True)
    assert "未诊断企业" in page and "已诊断企业" not in page


def test_confirmation_notifies_the_enterprise_and_is_audited(in_app):
    """Confirming tells the SME's users and writes the audit row."""
    from marketplace.audit.models import AuditEvent
    from marketplace.notifications.models import Notification

    sme = make_user("enterprise", city="zhuhai")
    center = make_user("center", city="zhuhai")
    confirmed_visit(center, sme.organisation, 3)
    assert db.session.scalar(db.select(Notification).where(Notification.user_id == sme.id,
                                                           Notification.kind == "diagnosis_level_confirmed"))
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "diagnosis.level_confirmed"))


def test_the_organisation_page_shows_the_level_that_counts(client, auth, app):
    """An SME's profile page says its declared level is not the one that counts once it has assessed itself."""
    auth.as_role("enterprise", city="zhuhai")
    client.post("/diagnosis/assessment", data=form_of(3))
    page = client.get("/accounts/organisation?lang=en").get_data(as_text=True)
    assert "The level that counts" in page and "self-assessed" in page


def test_the_review_desk_counts_levels_waiting_in_the_centers_city_only(in_app):
    """An assessment in the center's city waits on its desk until confirmed; one elsewhere never does."""
    from marketplace.diagnosis.worklists import levels_to_confirm

    here, elsewhere = make_user("enterprise", city="zhuhai"), make_user("enterprise", city="foshan")
    center = make_user("center", city="zhuhai")
    take_assessment(here, answers(1))
    take_assessment(elsewhere, answers(1))
    db.session.commit()
    assert levels_to_confirm(center, 99) == 1
    confirmed_visit(center, here.organisation, 1)
    assert levels_to_confirm(center, 99) == 0


def test_a_new_assessment_after_a_confirmation_waits_again_but_the_confirmed_level_still_counts(in_app):
    """Confirmation is not overwritten by a later self-assessment; the later one goes back on the desk."""
    from marketplace.diagnosis.worklists import levels_to_confirm

    sme, center = make_user("enterprise", city="zhuhai"), make_user("center", city="zhuhai")
    take_assessment(sme, answers(1))
    confirmed_visit(center, sme.organisation, 1)
    later = take_assessment(sme, answers(3))
    later.taken_at = later.taken_at.replace(year=later.taken_at.year + 1)
    db.session.commit()
    standing = effective_level(sme.organisation)
    assert (standing.level, standing.basis, standing.assessed_level) == (1, CONFIRMED, 4)
    assert levels_to_confirm(center, 99) == 1
