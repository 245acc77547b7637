"""Webhook test helpers: a real HTTP receiver on 127.0.0.1 that checks each delivery's signature, and a deal
between an SME and a vendor to announce."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from marketplace.extensions import db
from marketplace.webhooks.services import create_endpoint
from tests.factories import make_offering, make_user


@dataclass
class Received:
    """One POST the receiver got: its path, headers, body, and whether the signature matched the path's secret."""

    path: str
    headers: dict
    body: bytes
    signature_valid: bool

    @property
    def event(self) -> dict:
        """The JSON body."""
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP server that answers with the queued status codes (then 200) and records every request."""

    base_url: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        """The URL of a path on the receiver."""
        return self.base_url + path

    def of_type(self, event_type: str) -> list[Received]:
        """The requests carrying events of one type."""
        return [r for r in self.received if r.event["type"] == event_type]


def make_handler(receiver: Receiver):
    """Build the request handler class bound to a receiver."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            """Record the delivery, check its HMAC against the path's secret, answer the next status."""
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            secret = receiver.secrets.get(self.path, "")
            timestamp = self.headers.get("Webhook-Timestamp", "")
            expected = "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            valid = bool(secret) and hmac.compare_digest(expected, self.headers.get("Webhook-Signature", ""))
            receiver.received.append(Received(self.path, dict(self.headers), body, valid))
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            answer = (b"boom " * 1000) if status >= 500 else b'{"ok":true}'
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            """Keep the test output quiet."""

    return Handler


@pytest.fixture
def receiver():
    """A running receiver on 127.0.0.1 (a free port), stopped after the test."""
    found = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(found))
    found.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


def register(user, receiver: Receiver, path: str, events) -> SimpleNamespace:
    """Register an endpoint on the receiver for the user's organisation; the receiver learns its secret."""
    endpoint, secret = create_endpoint(user, receiver.url(path), "测试接收端", events)
    db.session.commit()
    receiver.secrets[path] = secret
    return SimpleNamespace(id=endpoint.id, secret=secret)


@pytest.fixture
def deal(app):
    """An SME, a vendor and the vendor's published offering (ids), in an app context for the test."""
    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        offering = make_offering(vendor.organisation, voucher_eligible=False)
        yield SimpleNamespace(sme=sme, vendor=vendor, offering=offering)
