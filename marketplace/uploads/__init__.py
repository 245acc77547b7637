"""Files organisations upload: private files (business licences, redemption contracts, invoices, acceptance forms)
and public images (logos, listing covers).

A private file is checked (size, and its type by its first bytes, never by its name), stored once under the
upload folder by its SHA-256, and recorded as a `StoredFile` row owned by the uploading organisation.
Who may download it is the feature's permission rule; `send` only streams it as an attachment.

A public image is checked the same way, resized and re-encoded without metadata (`images`); only its renditions
are kept, and this blueprint serves them to anyone.
"""
from flask import Blueprint

bp = Blueprint("uploads", __name__)

from marketplace.uploads import views  # noqa: E402,F401
