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
