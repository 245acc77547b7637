"""Are logos and covers checked, resized within bounds, stripped of metadata and served as public images only?"""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from marketplace.errors import DomainError
from marketplace.extensions import db
from tests.factories import make_model, make_offering, make_user


def image_bytes(size=(64, 48), fmt="JPEG", exif: bytes | None = None, colour=(200, 30, 30)) -> bytes:
    """Encode a plain image of a size and format, optionally with EXIF metadata."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    image.save(buffer, format=fmt, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def exif_with_gps() -> bytes:
    """EXIF naming a camera and a GPS position (what a phone photo carries)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {1: "N", 2: (22.0, 32.0, 10.0), 3: "E", 4: (113.0, 34.0, 50.0)}  # GPSInfo: Zhuhai
    return exif.tobytes()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size (a decompression bomb's shape) with one tiny compressed row."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        """One PNG chunk with its CRC."""
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def upload(data: bytes, name: str = "logo.jpg") -> FileStorage:
    """Wrap bytes as an uploaded file."""
    return FileStorage(io.BytesIO(data), filename=name)


def saved(app, data: bytes, purpose: str = "cover", name: str = "cover.jpg"):
    """Save an image as a vendor's public image and return (record, full rendition, thumbnail) opened."""
    from marketplace.uploads.images import rendition_path, save_public_image

    user = make_user("vendor")
    record = save_public_image(upload(data, name), user=user, purpose=purpose)
    db.session.commit()
    return record, Image.open(rendition_path(record, "full")), Image.open(rendition_path(record, "thumb"))


def test_a_cover_is_resized_within_its_bounds_and_keeps_its_shape(app):
    """A 4000×3000 photo becomes a 1200×900 cover and a 480×360 thumbnail, stored as WebP."""
    with app.app_context():
        record, full, thumb = saved(app, image_bytes((4000, 3000)))
        assert (full.width, full.height) == (1200, 900) == (record.width, record.height)
        assert (thumb.width, thumb.height) == (480, 360) == (record.thumb_width, record.thumb_height)
        assert full.format == thumb.format == "WEBP"


def test_a_small_image_is_never_enlarged(app):
    """A 300×200 cover stays 300×200."""
    with app.app_context():
        record, full, _thumb = saved(app, image_bytes((300, 200)))
        assert (full.width, full.height) == (300, 200)


def test_a_logo_is_fitted_onto_a_256_pixel_square(app):
    """A wide 1000×250 logo is fitted to 256 px wide and centred on a 256×256 square (thumbnail 96×96)."""
    with app.app_context():
        record, full, thumb = saved(app, image_bytes((1000, 250), "PNG"), purpose="logo", name="logo.png")
        assert (full.width, full.height) == (256, 256)
        assert (thumb.width, thumb.height) == (96, 96)
        assert full.convert("RGBA").getpixel((128, 128))[:3] == (200, 30, 30)  # the logo itself, centred
        assert full.convert("RGBA").getpixel((128, 5))[3] == 0  # transparent padding above it


def test_camera_and_location_metadata_is_removed(app):
    """A phone photo's EXIF (maker, model, GPS position) is in the upload and in neither stored rendition."""
    data = image_bytes((800, 600), exif=exif_with_gps())
    assert Image.open(io.BytesIO(data)).getexif().get(0x010F) == "PhoneMaker"
    with app.app_context():
        _record, full, thumb = saved(app, data)
        for rendition in (full, thumb):
            assert not rendition.getexif()
            assert "exif" not in rendition.info and "xmp" not in rendition.info


NOT_AN_IMAGE = "Upload a PNG, JPEG or WebP image."
TOO_LARGE = "The image is too large: at most %(mp)s million pixels."


@pytest.mark.parametrize("data, name, reason", [
    (b"%PDF-1.4\n%%EOF\n", "logo.png", NOT_AN_IMAGE),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", NOT_AN_IMAGE),
    (b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, "logo.png", NOT_AN_IMAGE),
    (b"", "logo.png", "The file is empty."),
    (png_header_only(20_000, 20_000), "bomb.png", TOO_LARGE),
])
def test_what_is_not_a_reasonable_image_is_refused_and_nothing_is_kept(app, data, name, reason):
    """A PDF or SVG named like an image, a broken PNG, an empty file and a 400-megapixel header are refused with a
    reason on the field; no record and no file is kept."""
    from flask_babel import gettext

    from marketplace.uploads.images import MAX_PIXELS, image_folder, save_public_image
    from marketplace.uploads.models import PublicImage

    with app.test_request_context():
        user = make_user("vendor")
        with pytest.raises(DomainError) as refused:
            save_public_image(upload(data, name), user=user, purpose="logo", field="image")
        assert refused.value.field == "image"
        assert str(refused.value) == gettext(reason, mp=MAX_PIXELS // 1_000_000)
        assert db.session.query(PublicImage).count() == 0
        assert not any(image_folder().rglob("*.webp"))


def test_a_file_over_the_size_limit_is_refused(app):
    """A file larger than the upload limit is refused by size before it is decoded."""
    from flask_babel import gettext

    from marketplace.uploads.images import save_public_image

    app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    with app.test_request_context():
        user = make_user("vendor")
        with pytest.raises(DomainError) as refused:
            save_public_image(upload(b"\xff\xd8\xff" + b"\x00" * 1_100_000), user=user, purpose="cover")
        assert str(refused.value) == gettext("The file is larger than %(mb)s MB.", mb=1)


def test_a_public_image_is_served_with_a_long_cache_and_its_type(app, client):
    """Anyone may fetch a rendition: image/webp, nosniff and a year-long immutable cache."""
    with app.app_context():
        record, _full, _thumb = saved(app, image_bytes((640, 480)))
        image_id = record.id
    response = client.get(f"/images/{image_id}/thumb.webp")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(response.data)).size == (480, 360)


def test_a_private_upload_is_not_reachable_through_the_public_image_route(app, client):
    """A business licence kept as a private file has no public image record: its id answers 404 there."""
    from marketplace.uploads.services import save_upload

    with app.app_context():
        user = make_user("enterprise")
        licence = save_upload(upload(image_bytes((100, 100)), "营业执照.jpg"), user=user, purpose="licence")
        db.session.commit()
        licence_id = licence.id
    assert client.get(f"/images/{licence_id}/full.webp").status_code == 404
    assert client.get(f"/images/{licence_id}/thumb.webp").status_code == 404


def test_the_owner_uploads_a_cover_and_cards_show_it_with_its_size(app, client, auth):
    """The vendor uploads an offering's cover; the list card shows the thumbnail with alt text, width and height."""
    vendor = auth.as_role("vendor")
    with app.app_context():
        from marketplace.accounts.models import Organisation

        offering = make_offering(db.session.get(Organisation, vendor.org_id), title="注塑件视觉质检")
        offering_id = offering.id
    response = client.post(f"/listings/offering/{offering_id}/cover",
                           data={"image": (io.BytesIO(image_bytes((1600, 1200))), "cover.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get("/offerings").get_data(as_text=True)
    with app.app_context():
        from marketplace.catalog.models import Offering

        cover = db.session.get(Offering, offering_id).cover
        assert cover is not None
        src = f'/images/{cover.id}/thumb.webp'
    assert src in page
    assert 'alt="注塑件视觉质检 的封面图"' in page or 'alt="Cover image of 注塑件视觉质检"' in page
    assert 'width="480" height="360"' in page


def test_a_refused_logo_keeps_the_organisation_page_with_the_reason(app, client, auth):
    """Uploading a PDF as a logo answers 422 with the organisation form still there and the reason on the field."""
    auth.as_role("vendor")
    response = client.post("/accounts/organisation/logo",
                           data={"image": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'name="org_name"' in page
    assert 'id="image-err"' in page


def test_without_an_image_a_card_shows_initials(app, client):
    """A provider without a logo gets a placeholder with its initials (after the city), hidden from screen readers."""
    from marketplace.templating import initials

    assert initials("广州视衡智能科技有限公司") == "视衡"
    assert initials("佛山市陶云科技有限公司") == "陶云"
    assert initials("Acme robotics") == "AR"
    with app.app_context():
        vendor = make_user("vendor", name="广州视衡智能科技有限公司")
        make_model(vendor.organisation, state="published")
    page = client.get("/models").get_data(as_text=True)
    assert 'class="pic pic-initials pic-thumb" aria-hidden="true">视衡</span>' in page


def test_another_vendor_cannot_change_a_listing_cover(app, client, auth):
    """A vendor posting a cover to another vendor's model is refused and the model keeps no cover."""
    with app.app_context():
        owner = make_user("vendor")
        model_id = make_model(owner.organisation).id
    auth.as_role("vendor")
    response = client.post(f"/listings/model/{model_id}/cover",
                           data={"image": (io.BytesIO(image_bytes()), "cover.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    with app.app_context():
        from marketplace.catalog.models import IndustrialModel

        assert db.session.get(IndustrialModel, model_id).cover is None
