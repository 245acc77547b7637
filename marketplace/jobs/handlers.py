"""What a worker does with each outbox topic: re-index documents, send one e-mail, make one webhook attempt,
start an import."""
from __future__ import annotations

from flask import current_app


def apply_index_events(payloads: list[dict]) -> None:
    """Bring the documents the events name up to date in the search index (all events of a claim at once).

    In a worker the index is loaded (or built) first and the update is saved before the events are
    marked done, so the other processes see it at their next reload. Run in the committing process
    (immediate mode) it behaves as the commit hook did: small batches at once, large ones in the background.
    """
    doc_ids: set[str] = set()
    for payload in payloads:
        doc_ids.update(payload.get("doc_ids", []))
    if not doc_ids:
        return
    engine = current_app.extensions["matching"]
    if current_app.extensions["jobs"].immediate:
        engine.apply_changes(doc_ids)
        return
    if not engine.ready:
        engine.ensure_index()
    engine.apply_changes(doc_ids)
    engine.wait()
    engine.flush()


def send_mail_events(payloads: list[dict]) -> None:
    """Send the e-mail of each event (the dispatcher claims mail one message at a time); a failure raises."""
    from marketplace.notifications.mail import send_queued

    for payload in payloads:
        send_queued(payload)


def deliver_webhooks(payloads: list[dict]) -> None:
    """Make the webhook attempt each event names and record it (the dispatcher claims one at a time)."""
    from marketplace.webhooks.delivery import deliver_webhook_events

    deliver_webhook_events(payloads)


def start_imports(payloads: list[dict]) -> None:
    """Hand each uploaded file to the import task (its own task, so a long file holds up no other topic)."""
    jobs = current_app.extensions["jobs"]
    for payload in payloads:
        jobs.import_task(int(payload["job_id"]))
