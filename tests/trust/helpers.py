"""Files and records the trust tests share: a real PNG and PDF, and a licence submitted through the service."""
from __future__ import annotations

import io

from PIL import Image
from werkzeug.datastructures import FileStorage


def png_bytes() -> bytes:
    """A small, valid PNG image (a scanned licence stands in)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#f4e9d8").save(out, format="PNG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(data: bytes | None = None, name: str = "营业执照.png") -> FileStorage:
    """A file as a form would send it."""
    return FileStorage(io.BytesIO(png_bytes() if data is None else data), filename=name)
