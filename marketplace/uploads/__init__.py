"""Files organisations upload (business licences, redemption contracts, invoices, acceptance forms).

A file is checked (size, and its type by its first bytes, never by its name), stored once under the
upload folder by its SHA-256, and recorded as a `StoredFile` row owned by the uploading organisation.
Who may download it is the feature's permission rule; `send` only streams it as an attachment.
"""
