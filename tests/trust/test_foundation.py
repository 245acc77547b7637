"""What verification withholds, and how uploaded files are checked and kept."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.permissions import can
from marketplace.uploads.models import StoredFile
from marketplace.uploads.services import clean_filename, path_of, save_upload, sniff
from tests.factories import make_org, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "营业执照.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.mark.parametrize(("kind", "verified", "rule", "allowed"), [
    ("enterprise", True, "organisation.hold_vouchers", True),
    ("enterprise", False, "organisation.hold_vouchers", False),
    ("vendor", True, "organisation.hold_vouchers", False),
    ("vendor", True, "organisation.offer_vouchers", True),
    ("vendor", False, "organisation.offer_vouchers", False),
    ("enterprise", True, "organisation.offer_vouchers", False),
])
def test_only_verified_organisations_take_part_in_vouchers(in_app, kind, verified, rule, allowed):
    org = make_org(kind, **({} if verified else {"verified_at": None}))
    assert org.is_verified is verified
    assert can(None, rule, org) is allowed


def test_a_pdf_and_a_real_image_are_kept_once_by_content(in_app):
    user = make_user("enterprise")
    first = save_upload(upload(PDF), user=user, purpose="licence")
    again = save_upload(upload(PDF, "copy.PDF"), user=user, purpose="licence")
    image = save_upload(upload(png_bytes(), "scan.png"), user=user, purpose="licence")
    db.session.commit()
    assert (first.content_type, first.size) == ("application/pdf", len(PDF))
    assert first.organisation_id == user.organisation_id
    assert path_of(first) == path_of(again) and path_of(first).read_bytes() == PDF
    assert image.content_type == "image/png" and image.is_image
    assert db.session.query(StoredFile).count() == 3


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.pdf", "空"),
    (b"MZ\x90\x00 this is a program", "licence.pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "fake.png", "PDF"),
    (b"<html><script>alert(1)</script></html>", "page.png", "PDF"),
])
def test_files_that_are_not_what_they_claim_are_refused_and_nothing_is_kept(in_app, data, name, message):
    user = make_user("enterprise")
    with pytest.raises(DomainError) as refused:
        save_upload(upload(data, name), user=user, purpose="licence")
    assert message in str(refused.value.reasons)
    assert db.session.query(StoredFile).count() == 0


def test_an_oversized_file_is_refused(in_app):
    in_app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    user = make_user("enterprise")
    with pytest.raises(DomainError) as refused:
        save_upload(upload(PDF + b"0" * (1024 * 1024)), user=user, purpose="licence")
    assert "1 MB" in str(refused.value.reasons)


def test_a_file_of_a_type_the_caller_does_not_accept_is_refused(in_app):
    user = make_user("vendor")
    with pytest.raises(DomainError):
        save_upload(upload(png_bytes(), "invoice.png"), user=user, purpose="invoice", accept=("pdf",))


def test_names_cannot_escape_or_lie_about_the_type():
    assert clean_filename("../../etc/passwd", "pdf") == "passwd.pdf"
    assert clean_filename("C:\\scans\\执照\x00.exe", "png") == "执照.png"
    assert clean_filename("", "jpeg") == "file.jpg"
    assert sniff(b"%PDF-1.7 ...").kind == "pdf"
    assert sniff(b"GIF89a") is None
