"""Does the API start an import from a multipart upload (scope listings), answer its progress and report in the
caller's language, and keep each organisation's imports to itself?"""
from __future__ import annotations

import io

from marketplace.extensions import db
from tests.api.conftest import bearer, issue_token
from tests.factories import make_user
from tests.imports.conftest import csv_bytes, offering_row


def token(app, role: str = "vendor", scopes=("listings",)) -> str:
    """A token of a new user of a role."""
    with app.app_context():
        return issue_token(make_user(role), scopes)


def submit(client, secret: str, data: bytes, kind: str = "offering", **headers):
    """POST a file to /api/v1/imports."""
    return client.post("/api/v1/imports", data={"kind": kind, "file": (io.BytesIO(data), "o.csv")},
                       content_type="multipart/form-data", headers=bearer(secret, **headers))


def test_submit_then_poll_status_and_report(app, client):
    """A vendor's token submits a file (202 with a status URL); polling it gives the counts and refused cells."""
    secret = token(app)
    answer = submit(client, secret, csv_bytes([offering_row("A-1"), offering_row("A-2", price="abc")]),
                    **{"Accept-Language": "en"})
    assert answer.status_code == 202, answer.get_json()
    body = answer.get_json()
    status = client.get(body["status_url"], headers=bearer(secret)).get_json()
    assert (status["status"], status["created"], status["refused"], status["percent"]) == ("done", 1, 1, 100)
    [refused] = status["refused_rows"]
    assert (refused["row"], refused["cell"], refused["column"]) == (3, "F3", "价格（元）")
    assert refused["reason"] == "Enter an amount in yuan, e.g. 12800, 12800.50 or 1.28万."
    report = client.get(body["report_url"], headers=bearer(secret))
    assert report.status_code == 200 and report.mimetype == "text/csv" and "F3" in report.get_data(as_text=True)


def test_refusals_are_error_objects(app, client):
    """No file, a JSON body, a token without the listings scope, an SME, another vendor's import: 4xx errors."""
    secret = token(app)
    missing = client.post("/api/v1/imports", data={"kind": "offering"}, content_type="multipart/form-data",
                          headers=bearer(secret))
    assert missing.status_code == 422 and "file" in missing.get_json()["error"]["fields"]
    bad_kind = submit(client, secret, csv_bytes([offering_row("A")]), kind="cars")
    assert bad_kind.status_code == 422 and "kind" in bad_kind.get_json()["error"]["fields"]
    assert client.post("/api/v1/imports", json={"kind": "offering"}, headers=bearer(secret)).status_code == 415
    assert submit(client, token(app, scopes=("read",)), csv_bytes([offering_row("A")])).status_code == 403
    assert submit(client, token(app, role="enterprise"), csv_bytes([offering_row("A")])).status_code == 403
    job_id = submit(client, secret, csv_bytes([offering_row("A")])).get_json()["id"]
    other = token(app)
    assert client.get(f"/api/v1/imports/{job_id}", headers=bearer(other)).status_code == 404
    assert client.get(f"/api/v1/imports/{job_id}/report.csv", headers=bearer(other)).status_code == 404


def test_the_progress_fragment_polls_until_finished(app, client, auth):
    """While a job runs, the page's progress block polls itself; once finished it shows the report and stops."""
    from marketplace.imports.models import ImportJob

    vendor = auth.as_role("vendor")
    with app.app_context():
        job = ImportJob(organisation_id=vendor.org_id, user_id=vendor.user_id, kind="offering", filename="a.csv",
                        locale="zh_CN", status="running", total_rows=40, rows_done=10, problems=[])
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    fragment = client.get(f"/imports/{job_id}", headers={"HX-Request": "true", "HX-Target": "progress"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and 'hx-trigger="every 1s"' in text and 'value="25"' in text
    with app.app_context():
        db.session.get(ImportJob, job_id).status = "done"
        db.session.commit()
    page = client.get(f"/imports/{job_id}").get_data(as_text=True)
    assert "hx-trigger" not in page.split('id="progress"')[1][:300] and f"/imports/{job_id}/report.csv" in page
