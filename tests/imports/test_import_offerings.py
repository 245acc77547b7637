"""Does importing a file of offerings create, update or leave alone each listing by the vendor's SKU, refuse bad
rows cell by cell while the good rows land, and never leave half a row?"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.imports.models import ImportJob
from tests.imports.conftest import csv_bytes, offering_row, upload


def latest_job(app) -> ImportJob:
    """The newest import job, fresh from the database."""
    with app.app_context():
        job = db.session.scalar(select(ImportJob).order_by(ImportJob.id.desc()))
        db.session.expunge(job)
        return job


def offerings(app, org_id: int) -> dict[str, Offering]:
    """The vendor's offerings by SKU."""
    with app.app_context():
        found = {o.sku: o for o in db.session.scalars(select(Offering).where(Offering.organisation_id == org_id))}
        for o in found.values():
            db.session.expunge(o)
        return found


def test_a_good_file_creates_drafts_priced_in_fen(app, client, vendor):
    """Two good rows become two draft offerings of the vendor, the price in exact fen and codes from Chinese names."""
    response = upload(client, csv_bytes([offering_row("QC-1"), offering_row("QC-2", price="99")]))
    assert response.status_code == 302
    job = latest_job(app)
    assert (job.status, job.created, job.refused, job.rows_done, job.total_rows) == ("done", 2, 0, 2, 2)
    made = offerings(app, vendor.org_id)
    assert set(made) == {"QC-1", "QC-2"}
    assert made["QC-1"].price_fen == 1280050 and made["QC-2"].price_fen == 9900
    assert made["QC-1"].state == "draft" and made["QC-1"].pricing_plan == "one_off"
    assert made["QC-1"].deployments == ["private", "edge"] and made["QC-1"].scenarios == ["online_inspection"]
    assert made["QC-1"].tags == "注塑, 视觉"


def test_the_same_file_again_changes_nothing(app, client, vendor):
    """Uploading the same file twice reports every row unchanged and leaves updated_at alone."""
    data = csv_bytes([offering_row("QC-1"), offering_row("QC-2")])
    upload(client, data)
    before = {sku: o.updated_at for sku, o in offerings(app, vendor.org_id).items()}
    upload(client, data)
    job = latest_job(app)
    assert (job.created, job.updated, job.unchanged, job.refused) == (0, 0, 2, 0)
    after = offerings(app, vendor.org_id)
    assert {sku: o.updated_at for sku, o in after.items()} == before


def test_an_edited_file_updates_only_the_changed_row_and_keeps_its_state(app, client, vendor):
    """A changed price updates that row's offering (still published if it was); the other row is unchanged."""
    upload(client, csv_bytes([offering_row("QC-1"), offering_row("QC-2")]))
    with app.app_context():
        published = db.session.scalar(select(Offering).where(Offering.sku == "QC-2"))
        published.state = "published"
        db.session.commit()
    before = offerings(app, vendor.org_id)
    upload(client, csv_bytes([offering_row("QC-1"), offering_row("QC-2", price="15000")]))
    job = latest_job(app)
    assert (job.created, job.updated, job.unchanged, job.refused) == (0, 1, 1, 0)
    after = offerings(app, vendor.org_id)
    assert after["QC-2"].price_fen == 1500000 and after["QC-2"].state == "published"
    assert after["QC-1"].updated_at == before["QC-1"].updated_at


def test_bad_rows_are_refused_by_cell_while_good_rows_land(app, client, vendor, auth):
    """Each bad row is refused with its row, column, cell and reason; the good rows are created."""
    with app.app_context():
        from marketplace.accounts.models import User
        from tests.factories import make_model, make_user

        other = make_user("vendor")
        make_model(other.organisation, sku="THEIRS-1")
        own = make_model(db.session.get(User, vendor.user_id).organisation, sku="M-1")
        own_id = own.id
    rows = [
        offering_row("OK-1", models="M-1"),                       # row 2
        offering_row("BAD-TITLE", **{"标题": ""}),                  # row 3
        offering_row("BAD-SCEN", scenarios="造火箭"),               # row 4
        offering_row("BAD-ABC", price="abc"),                       # row 5
        offering_row("BAD-NEG", price="-5"),                        # row 6
        offering_row("BAD-LONG", title="长" * 121),                 # row 7
        offering_row("OK-1"),                                       # row 8: SKU repeats row 2
        offering_row("BAD-MODEL", models="THEIRS-1"),               # row 9
        offering_row("OK-2", models=str(own_id)),                   # row 10
        offering_row("BAD-SUBFEN", price="12.345"),                 # row 11
    ]
    upload(client, csv_bytes(rows))
    job = latest_job(app)
    assert (job.created, job.refused) == (2, 8), job.problems
    by_row = {p["row"]: p for p in job.problems}
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9, 11}
    assert (by_row[3]["column"], by_row[3]["cell"]) == ("标题", "B3") and "必填" in by_row[3]["reason"]
    assert by_row[4]["cell"] == "J4" and "造火箭" in by_row[4]["reason"]
    assert by_row[5]["cell"] == "F5" and "元" in by_row[5]["reason"]
    assert by_row[6]["cell"] == "F6" and "负" in by_row[6]["reason"]
    assert by_row[7]["cell"] == "B7" and "120" in by_row[7]["reason"]
    assert by_row[8]["cell"] == "A8" and "2" in by_row[8]["reason"]
    assert by_row[9]["cell"] == "K9" and "THEIRS-1" in by_row[9]["reason"]
    assert by_row[11]["cell"] == "F11"
    made = offerings(app, vendor.org_id)
    assert set(made) == {"OK-1", "OK-2"}
    with app.app_context():
        assert [m.id for m in db.session.get(Offering, made["OK-1"].id).models] == [own_id]
    report = client.get(f"/imports/{job.id}/report.csv").get_data(as_text=True)
    assert "B3" in report and "THEIRS-1" in report


def test_a_price_in_fen_must_be_whole(app, client, vendor):
    """A fen column takes whole fen; a float-like fen value is refused on its cell."""
    header = ["SKU", "Title", "Summary", "Description", "Pricing plan", "Price (fen)", "Delivery days",
              "Deployments", "Industries", "Scenarios"]
    rows = [["F-1", "标题一", "简介", "描述", "one_off", "1280000", "30", "edge", "electronics", "online_inspection"],
            ["F-2", "标题二", "简介", "描述", "one_off", "1280000.5", "30", "edge", "electronics", "online_inspection"]]
    upload(client, csv_bytes(rows, header=header))
    job = latest_job(app)
    assert (job.created, job.refused) == (1, 1)
    assert job.problems[0]["cell"] == "F3" and job.problems[0]["column"] == "Price (fen)"
    assert offerings(app, vendor.org_id)["F-1"].price_fen == 1280000


def test_a_crash_mid_row_leaves_no_half_row(app, client, vendor, monkeypatch):
    """A failure after a row's listing was written (while linking it) rolls the whole row back; others land."""
    import marketplace.catalog.services as catalog_services

    real = catalog_services.screened

    def crash_on_second(listing):
        if listing.sku is None and listing.title.endswith("CRASH"):
            db.session.flush()
            raise RuntimeError("disk on fire")
        return real(listing)

    monkeypatch.setattr(catalog_services, "screened", crash_on_second)
    upload(client, csv_bytes([offering_row("A"), offering_row("B", title="半行 CRASH"), offering_row("C")]))
    job = latest_job(app)
    assert (job.status, job.created, job.refused) == ("done", 2, 1)
    [problem] = job.problems
    assert problem["row"] == 3 and problem["cell"] == ""
    assert "nothing of it was saved" in problem["reason"] or "均未保存" in problem["reason"]
    with app.app_context():
        assert db.session.scalar(select(Offering).where(Offering.title == "半行 CRASH")) is None
    assert set(offerings(app, vendor.org_id)) == {"A", "C"}
